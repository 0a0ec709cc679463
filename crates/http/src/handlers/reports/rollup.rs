//! The live roll-up over the organisation and region trees, its export, and the year's summary (rules 42-43).

use super::*;

/// A roll-up's scope, checked against the caller.
struct Scope {
    roll: RollScope,
    kind: RollupKind,
    key: String,
    /// `None` for an organisation: read with the figures (a roll-up kept for the scope
    /// then needs no read at all, for a caller whose rights settle the permission).
    name: Option<String>,
}

impl Scope {
    /// The scope's name: a region's or the nation's as resolved, an organisation's read now.
    async fn named(&self, state: &AppState) -> Result<String, ApiError> {
        Ok(match (&self.name, &self.roll) {
            (Some(name), _) => name.clone(),
            (None, RollScope::Subtree(id)) => load_org(state, *id).await?.name,
            (None, RollScope::Region(_)) => String::new(),
        })
    }
}

async fn resolve_scope(
    state: &AppState,
    who: &Authenticated,
    p: &mut Problems,
    organization_id: Option<Uuid>,
    region_code: Option<&str>,
) -> Result<Option<Scope>, ApiError> {
    match (organization_id, region_code) {
        (Some(_), Some(_)) => {
            p.push(
                "region_code",
                ProblemCode::OneScope,
                "give an organisation or a region, not both",
            );
            Ok(None)
        }
        (Some(id), None) => {
            if !oversees(state, who, id).await? {
                load_org(state, id).await?; // 404 when there is no such organisation
                return Err(ApiError::Forbidden(
                    ProblemCode::NotInYourOversight,
                    "a roll-up is shown to the organisation's admins and those above it".into(),
                ));
            }
            Ok(Some(Scope {
                roll: RollScope::Subtree(id),
                kind: RollupKind::Organization,
                key: id.to_string(),
                name: None,
            }))
        }
        (None, Some(code)) => {
            let Some(region) = state.store.get_region(code).await? else {
                p.push(
                    "region_code",
                    ProblemCode::UnknownRegion,
                    "not a known region code",
                );
                return Ok(None);
            };
            let prefix = region_prefix(code).to_string();
            let associations = state
                .store
                .organizations_by_ids(&who.admin_of)
                .await?
                .into_iter()
                .filter(|o| {
                    matches!(
                        Some(*o.category),
                        Some(
                            OrganizationCategory::ProvincialAssociation
                                | OrganizationCategory::CityAssociation
                                | OrganizationCategory::CountyAssociation
                        )
                    ) && o.status == OrganizationStatus::Approved
                })
                .any(|o| prefix.starts_with(region_prefix(&o.region_code)));
            if !(who.is_platform_admin || associations) {
                return Err(ApiError::Forbidden(ProblemCode::NotInYourOversight,
                    "a region's roll-up is shown to its associations for science and technology and platform admins".into(),
                ));
            }
            Ok(Some(Scope {
                roll: RollScope::Region(prefix.clone()),
                kind: RollupKind::Region,
                key: code.to_string(),
                name: Some(region.name),
            }))
        }
        (None, None) => {
            if !who.is_platform_admin {
                return Err(ApiError::Forbidden(
                    ProblemCode::PlatformAdminOnly,
                    "the national roll-up is shown to platform admins".into(),
                ));
            }
            Ok(Some(Scope {
                roll: RollScope::Region(String::new()),
                kind: RollupKind::Nation,
                key: "000000".into(),
                name: Some("全国".into()),
            }))
        }
    }
}

/// A roll-up row from the sums the database grouped.
fn rollup_row(
    b: &BucketFigures,
    due_months: usize,
    kind: RollupKind,
    key: String,
    name: String,
) -> RollupRow {
    RollupRow {
        kind,
        key,
        name,
        organizations: b.organizations,
        figures: figures_view(&b.figures),
        people_served: b.people_served,
        reports_due: b.organizations * due_months as i64,
        reports_filed: b.reports_filed,
        reports_late: b.reports_late,
        reports_missing: b.reports_missing,
        organizations_short_of_activities: b.short_of_activities,
        organizations_below_minimum_size: b.below_minimum_size,
        compliant: b.reports_missing == 0 && b.short_of_activities == 0,
    }
}

/// The rules of rules 39-43 as numbers for a period of `months` months: activities
/// required by region (the configured prefixes, else monthly) and minimum sizes by level.
fn roll_rules(state: &AppState, months: u32, due: Vec<String>) -> RollRules {
    RollRules {
        required_activities: i64::from(required_activities(months, ActivityRule::Monthly)),
        required_by_prefix: state
            .settings
            .activity_rules
            .iter()
            .map(|(prefix, rule)| {
                (
                    prefix.clone(),
                    i64::from(required_activities(months, *rule)),
                )
            })
            .collect(),
        minimum_members: OrganizationLevel::ALL
            .iter()
            .filter_map(|l| Some((l.as_str().to_string(), l.minimum_members()? as i64)))
            .collect(),
        due_months: due,
    }
}

/// Months and their period from a query, with field problems.
fn months_of(p: &mut Problems, from: &str, to: Option<&str>) -> Option<(Month, Month)> {
    let from = parse_month(p, "month_from", from)?;
    let to = match to {
        Some(t) => parse_month(p, "month_to", t)?,
        None => from,
    };
    if to < from {
        p.push(
            "month_to",
            ProblemCode::RangeBackwards,
            "month_to comes after month_from",
        );
        return None;
    }
    if from.through(to).len() > MAX_MONTHS as usize {
        p.push(
            "month_to",
            ProblemCode::RangeTooLong,
            "a roll-up covers at most 24 months",
        );
        return None;
    }
    Some((from, to))
}

/// A roll-up request checked whole: its months and its scope against the caller, with every
/// field problem named at once. The roll-up and the roll-up by month take the same request.
async fn checked_request(
    state: &AppState,
    who: &Authenticated,
    organization_id: Option<Uuid>,
    region_code: Option<&str>,
    month_from: &str,
    month_to: Option<&str>,
) -> Result<(Scope, Month, Month), ApiError> {
    let mut p = Problems::default();
    let range = months_of(&mut p, month_from, month_to);
    let scope = resolve_scope(state, who, &mut p, organization_id, region_code).await?;
    p.finish()?;
    match (range, scope) {
        (Some((from, to)), Some(scope)) => Ok((scope, from, to)),
        _ => Err(ApiError::Internal("roll-up scope".into())),
    }
}

/// The roll-up of a checked request. Each handler calls `checked_request` itself, so the
/// scope's refusals stay within the calls the spec's problem codes are read from.
async fn rollup(
    state: &web::Data<AppState>,
    scope: Scope,
    from: Month,
    to: Month,
) -> Result<Arc<RollupView>, ApiError> {
    let now = state.clock.now();
    let today = china_date(now);
    // The same scope, period and day give the same answer: kept for a few seconds, and
    // forgotten at once when this process answers a write (`crate::cache`).
    let generation = state.writes.current();
    let cache_key = format!("{}|{}|{from}|{to}|{today}", scope.kind, scope.key);
    let state_for_work = state.clone();
    state
        .rollups
        .get_or_compute(&cache_key, generation, now, move || {
            compute_rollup(state_for_work, scope, from, to, now)
        })
        .await
}

/// The roll-up of a resolved scope and period, as of `now`.
async fn compute_rollup(
    state: web::Data<AppState>,
    scope: Scope,
    from: Month,
    to: Month,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<RollupView, ApiError> {
    let today = china_date(now);
    let scope_name = scope.named(&state).await?;
    let grace = state.settings.report_grace_days;
    let months: Vec<Month> = from.through(to);
    let month_keys: Vec<String> = months.iter().map(|m| m.to_string()).collect();
    let due: Vec<String> = months
        .iter()
        .filter(|m| is_overdue(**m, today, grace))
        .map(|m| m.to_string())
        .collect();
    let rules = roll_rules(&state, months.len() as u32, due.clone());
    // Who has not reported: the first 200 by region code (and how many in all, below).
    let RollupRows {
        buckets,
        not_reporting: missing,
    } = state
        .store
        .rollup(&scope.roll, &month_keys, &rules, 200)
        .await?;
    // The totals count every organisation of the scope, the rows those that fall in one.
    let mut all = BucketFigures::default();
    for b in &buckets {
        all.add(b);
    } // Names of the rows.
    let listed: Vec<Uuid> = missing.iter().map(|(id, _)| *id).collect();
    // The rows' organisations and those listed as not reporting, named in one read.
    let org_keys: Vec<Uuid> = buckets
        .iter()
        .filter_map(|b| match b.bucket {
            Some(Bucket::Root(id)) | Some(Bucket::Organization(id)) => Some(id),
            _ => None,
        })
        .chain(listed.iter().copied())
        .collect();
    let region_keys: Vec<String> = buckets
        .iter()
        .filter_map(|b| match &b.bucket {
            Some(Bucket::Region(code)) => Some(code.clone()),
            _ => None,
        })
        .collect();
    let org_names: HashMap<Uuid, String> = state
        .store
        .organizations_by_ids(&org_keys)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let region_names = state.store.region_names(&region_keys).await?;
    let mut out_rows: Vec<RollupRow> = buckets
        .iter()
        .filter_map(|b| {
            Some(match b.bucket.as_ref()? {
                Bucket::Root(id) => {
                    let name = org_names.get(id).cloned().unwrap_or_default();
                    rollup_row(
                        b,
                        due.len(),
                        RollupKind::Own,
                        id.to_string(),
                        format!("{name}（本级）"),
                    )
                }
                Bucket::Organization(id) => {
                    let name = org_names.get(id).cloned().unwrap_or_default();
                    rollup_row(b, due.len(), RollupKind::Organization, id.to_string(), name)
                }
                Bucket::Region(code) => {
                    let name = region_names.get(code).cloned().unwrap_or_default();
                    rollup_row(b, due.len(), RollupKind::Region, code.clone(), name)
                }
            })
        })
        .collect();
    out_rows.sort_by(|a, b| {
        (a.kind != RollupKind::Own)
            .cmp(&(b.kind != RollupKind::Own))
            .then_with(|| a.key.cmp(&b.key))
    });
    let not_reported_total = all.organizations_not_reporting;
    let filed_months = state.store.filed_months(&listed, &due).await?;
    let not_reported = missing
        .into_iter()
        .map(|(id, region_code)| NotReportedView {
            organization_id: id,
            name: org_names.get(&id).cloned().unwrap_or_default(),
            region_code,
            missing_months: due
                .iter()
                .filter(|m| !filed_months.get(&id).is_some_and(|f| f.contains(*m)))
                .cloned()
                .collect(),
        })
        .collect();
    Ok(RollupView {
        scope: scope.kind,
        key: scope.key.clone(),
        name: scope_name.clone(),
        month_from: from.to_string(),
        month_to: to.to_string(),
        totals: rollup_row(&all, due.len(), scope.kind, scope.key, scope_name),
        rows: out_rows,
        not_reported,
        not_reported_total,
        computed_at: now,
    })
}

/// The live roll-up of an organisation's subtree (a row for itself and one per child), a
/// region (a province by city, a city by county, a county by organisation) or the nation
/// (by province), for a month or a range: totals, compliance per row, and who has not
/// reported. Computed from the organisations' monthly figures, which the service keeps up to
/// date in the transactions that change them, and from the filed reports; `computed_at` says
/// when. A replica keeps an answer for `read_cache_secs` (5 s by default) and forgets it when
/// it takes a write that may change it (hours, reports, members; not sign-ups); figures changed through another replica show within a few times that
/// (at most four).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(RollupQuery), responses(
    (status = 200, body = RollupView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/report-rollup")]
pub async fn get_report_rollup(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<RollupQuery>,
) -> Result<HttpResponse, ApiError> {
    let (scope, from, to) = checked_request(
        &state,
        &who,
        q.organization_id,
        q.region_code.as_deref(),
        &q.month_from,
        q.month_to.as_deref(),
    )
    .await?;
    let v = rollup(&state, scope, from, to).await?;
    Ok(HttpResponse::Ok().json(&*v))
}

/// The same scope as `/report-rollup` (an organisation's whole subtree, a region or the
/// nation, with the same permissions), month by month: each month's figures and filed
/// reports, for the year's charts. At most 24 months.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(RollupQuery), responses(
    (status = 200, body = RollupByMonthView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/report-rollup/by-month")]
pub async fn get_report_rollup_by_month(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<RollupQuery>,
) -> Result<HttpResponse, ApiError> {
    let (scope, from, to) = checked_request(
        &state,
        &who,
        q.organization_id,
        q.region_code.as_deref(),
        &q.month_from,
        q.month_to.as_deref(),
    )
    .await?;
    let name = scope.named(&state).await?;
    let months: Vec<String> = from.through(to).iter().map(|m| m.to_string()).collect();
    let sums = state.store.rollup_by_month(&scope.roll, &months).await?;
    Ok(HttpResponse::Ok().json(RollupByMonthView {
        scope: scope.kind,
        key: scope.key,
        name,
        months: sums
            .into_iter()
            .map(|m| RollupMonthView {
                figures: figures_view(&m.figures),
                month: m.month,
                people_served: m.people_served,
                reports_filed: m.reports_filed,
            })
            .collect(),
        computed_at: state.clock.now(),
    }))
}

/// The roll-up as XLSX or CSV with Chinese headers: one line per row, then the totals.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(RollupExportQuery), responses(
    (status = 200, description = "The table", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/csv")
    )),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/report-rollup/export")]
pub async fn export_report_rollup(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<RollupExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::default();
    let format = export::format(&mut p, q.format.as_deref(), export::Format::Xlsx);
    p.finish()?;
    let (scope, from, to) = checked_request(
        &state,
        &who,
        q.organization_id,
        q.region_code.as_deref(),
        &q.month_from,
        q.month_to.as_deref(),
    )
    .await?;
    let v = rollup(&state, scope, from, to).await?;
    let line = |r: &RollupRow, name: String| -> Vec<Cell> {
        vec![
            name.into(),
            Cell::Number(r.organizations as f64),
            Cell::Number(r.figures.activities_held as f64),
            Cell::Number(r.figures.volunteer_attendances as f64),
            Cell::Number(r.figures.service_hours),
            Cell::Number(r.figures.new_volunteers as f64),
            Cell::Number(r.people_served as f64),
            Cell::Number(r.figures.pairing_activities as f64),
            Cell::Number(r.figures.needs_served as f64),
            Cell::Number(r.figures.exhibition_visitors as f64),
            Cell::Number(r.reports_due as f64),
            Cell::Number(r.reports_filed as f64),
            Cell::Number(r.reports_late as f64),
            Cell::Number(r.reports_missing as f64),
            Cell::Number(r.organizations_short_of_activities as f64),
            Cell::Number(r.organizations_below_minimum_size as f64),
            if r.compliant { "是" } else { "否" }.into(),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = v.rows.iter().map(|r| line(r, r.name.clone())).collect();
    rows.push(line(&v.totals, "合计".into()));
    let stem = format!("rollup-{}-{}-{}", v.key, v.month_from, v.month_to);
    export::respond(
        format,
        &stem,
        "汇总",
        &[
            "单位或地区",
            "组织数",
            "开展活动数",
            "志愿者参与人次",
            "服务时长（小时）",
            "新增志愿者",
            "服务群众人数",
            "结对活动数",
            "需求服务数",
            "展览参观人次",
            "应报月报数",
            "已报月报数",
            "逾期月报数",
            "缺报月报数",
            "活动不达标组织数",
            "人数不达标组织数",
            "是否达标",
        ],
        &rows,
    )
}

/// An organisation's year in figures, month by month and in total, with its registered
/// volunteers at the year's end (rule 43). Its admins and those above it.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = Uuid, Path), AnnualSummaryQuery), responses(
    (status = 200, body = AnnualSummaryView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/organizations/{id}/annual-summary")]
pub async fn get_annual_summary(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    q: web::Query<AnnualSummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*q).finish()?;
    let org = load_org(&state, *id).await?;
    if !oversees(&state, &who, org.id).await? {
        return Err(ApiError::Forbidden(
            ProblemCode::NotInYourOversight,
            "the annual summary is shown to the organisation's admins and those above it".into(),
        ));
    }
    let first = Month::parse(&format!("{:04}-01", q.year))
        .map_err(|e| ApiError::field("year", e.code, e.message))?;
    let last = Month::parse(&format!("{:04}-12", q.year))
        .map_err(|e| ApiError::field("year", e.code, e.message))?;
    let reports: HashMap<String, monthly_report::Model> = state
        .store
        .list_reports(ReportFilter {
            organizations: Some(vec![org.id]),
            month_from: Some(first.to_string()),
            month_to: Some(last.to_string()),
            limit: 12,
            ..Default::default()
        })
        .await?
        .into_iter()
        .map(|r| (r.month.clone(), r))
        .collect();
    let mut months = vec![];
    let mut totals = Figures::default();
    let (mut people, mut filed, mut late) = (0i64, 0i64, 0i64);
    for m in first.through(last) {
        let f = state
            .store
            .organization_figures(org.id, Period::months(m, m))
            .await?;
        totals.activities_held += f.activities_held;
        totals.attendances += f.attendances;
        totals.hours_tenths += f.hours_tenths;
        totals.new_volunteers += f.new_volunteers;
        totals.pairing_activities += f.pairing_activities;
        totals.needs_served += f.needs_served;
        totals.exhibition_visitors += f.exhibition_visitors;
        let r = reports.get(&m.to_string());
        let is_filed = r.is_some_and(|r| r.status.is_filed());
        if is_filed {
            filed += 1;
            people += r.and_then(|r| r.people_served).map(i64::from).unwrap_or(0);
            if r.and_then(|r| r.late) == Some(true) {
                late += 1;
            }
        }
        months.push(AnnualMonthView {
            month: m.to_string(),
            figures: figures_view(&f),
            people_served: r.and_then(|r| r.people_served),
            report_status: r.map_or(MonthStanding::Missing, |r| (*r.status).into()),
            report_late: r.and_then(|r| r.late),
        });
    }
    let year_end = china_day_start(last.next().first_day());
    let registered = state.store.members_joined_by(org.id, year_end).await?;
    let map = parties(&state, std::slice::from_ref(&org)).await?;
    Ok(HttpResponse::Ok().json(AnnualSummaryView {
        organization: party_of(&map, org.id)?,
        year: q.year,
        months,
        totals: figures_view(&totals),
        people_served: people,
        registered_volunteers_at_year_end: registered,
        reports_filed: filed,
        reports_late: late,
    }))
}
