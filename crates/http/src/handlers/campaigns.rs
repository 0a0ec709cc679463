//! Collection campaigns (征集), rules 54-56: an organisation asks some of its descendants for
//! entries, each addressed organisation submits and marks its submission complete, and the
//! owner follows the progress, reminds those behind, accepts entries as draft activities
//! and exports the whole as a workbook.
//!
//! Campaigns are internal: the owner's admins act; the admins of organisations above the
//! owner and platform admins read; an addressed organisation's admins see the campaign (once
//! open) and their own submission and entries. Anyone else is told there is no campaign.

use std::collections::HashMap;

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use uuid::Uuid;
use zhihui_contract::activities::{ActivityPlan, CreateActivityRequest};
use zhihui_contract::campaigns::{
    AcceptCampaignEntryRequest, CampaignDraft, CampaignEntryPage, CampaignEntryQuery,
    CampaignEntryView, CampaignMonth, CampaignPage, CampaignProgressQuery, CampaignProgressView,
    CampaignQuery, CampaignReminderView, CampaignView, CreateCampaignEntryRequest,
    CreateCampaignRequest, CustomFieldView, CustomValueView, EntryDraft, ProgressRow,
    ReopenSubmissionRequest, SubmissionView, UpdateCampaignEntryRequest, UpdateCampaignRequest,
};
use zhihui_contract::pairing::PartyView;
use zhihui_contract::{Problem, DEFAULT_LIMIT, MAX_LIMIT};
use zhihui_domain::campaign::{
    draft_hours, entry_stage, submission_allowed_actions, submission_state, CustomField,
};
use zhihui_domain::{
    campaign_allowed_actions, entry_allowed_actions, CampaignStatus, EntryStage, EntryStatus,
    OrganizationStatus, ProblemCode, SubmissionState,
};
use zhihui_persistence::entities::{campaign, campaign_entry, campaign_submission};
use zhihui_persistence::{
    addressees_of, custom_fields_of, custom_values_of, submission_facts, CampaignContent,
    CampaignFilter, EntryContent, EntryFilter,
};

use super::{actor, compound_cursor, expected_version, next_cursor, uuid_cursor, with_etag};
use crate::auth::Authenticated;
use crate::clock::china_date;
use crate::error::ApiError;
use crate::export::{self, Cell, Sheet};
use crate::lookups::{administers_above, parties, party_of};
use crate::state::AppState;
use crate::validation::Problems;

/// The most entries an export or a roll-up reads (200 organisations' most, 100 times over).
const MOST_ENTRIES_READ: u64 = 200_000;

/// Who the caller is to a campaign.
struct Standing {
    /// Administers the owner: acts.
    owner: bool,
    /// Administers an organisation above the owner, or the platform: reads.
    oversees: bool,
    /// The caller's addressed organisations' submissions.
    mine: Vec<campaign_submission::Model>,
}

impl Standing {
    /// Sees the progress, every entry and the export.
    fn follows(&self) -> bool {
        self.owner || self.oversees
    }
}

struct Loaded {
    campaign: campaign::Model,
    standing: Standing,
}

async fn load(state: &AppState, who: &Authenticated, id: Uuid) -> Result<Loaded, ApiError> {
    let not_found = ApiError::NotFound(ProblemCode::CampaignNotFound);
    let campaign = state
        .store
        .get_campaign(id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::CampaignNotFound))?;
    let owner = state
        .store
        .get_organization(campaign.owner_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::CampaignNotFound))?;
    let is_owner = who.administers(owner.id);
    let draft = *campaign.status == CampaignStatus::Draft;
    let oversees =
        !is_owner && (who.is_platform_admin || administers_above(state, who, &owner).await?);
    let mine = if draft || is_owner {
        vec![]
    } else {
        state.store.submissions_of(id, &who.admin_of).await?
    };
    let visible = is_owner || (!draft && (oversees || !mine.is_empty()));
    if !visible {
        return Err(not_found);
    }
    Ok(Loaded {
        campaign,
        standing: Standing {
            owner: is_owner,
            oversees,
            mine,
        },
    })
}

fn owner_only(action: &str) -> ApiError {
    ApiError::Forbidden(
        ProblemCode::CampaignOwnerOnly,
        format!("only the admins of the organisation that opened the campaign {action}"),
    )
}

fn content(d: CampaignDraft) -> CampaignContent {
    CampaignContent {
        title: d.title,
        purpose: d.purpose,
        year: d.year,
        categories: d.categories,
        levels: d.levels,
        min_entries: d.min_entries,
        custom_fields: d.custom_fields,
        deadline: d.deadline,
    }
}

fn draft_of(c: &campaign::Model) -> CampaignDraft {
    let (categories, levels) = addressees_of(c);
    CampaignDraft {
        title: c.title.clone(),
        purpose: c.purpose.clone(),
        year: c.year,
        categories,
        levels,
        min_entries: c.min_entries,
        custom_fields: custom_fields_of(c),
        deadline: c.deadline,
    }
}

fn entry_content(d: EntryDraft) -> EntryContent {
    EntryContent {
        title: d.title,
        topic: d.topic,
        lead: d.lead,
        planned_month: d.planned_month,
        place: d.place,
        expected_audience: d.expected_audience,
        custom: d.custom,
    }
}

fn submission_view(
    c: &campaign::Model,
    s: &campaign_submission::Model,
    party: PartyView,
    today: NaiveDate,
    submitter: bool,
    owner: bool,
) -> SubmissionView {
    let f = submission_facts(c, s, today);
    let entries = s.entries.max(0) as u64;
    SubmissionView {
        campaign_id: c.id,
        organization: party,
        state: submission_state(entries, s.completed_on, f),
        entries: s.entries,
        min_entries: c.min_entries,
        completed_on: s.completed_on,
        late: s.late,
        reopened_until: s.reopened_until,
        open_until: f.open_until(),
        allowed_actions: submission_allowed_actions(f, entries, c.min_entries, submitter, owner),
    }
}

/// Campaigns as views: one read of their owners, counts and the caller's submissions.
async fn views(
    state: &AppState,
    who: &Authenticated,
    rows: Vec<campaign::Model>,
) -> Result<Vec<CampaignView>, ApiError> {
    let today = china_date(state.clock.now());
    let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
    let counts = state.store.campaign_counts(&ids).await?;
    // The caller's submissions to the campaigns it answers (not its own, not drafts), in one
    // read.
    let answering: Vec<Uuid> = rows
        .iter()
        .filter(|c| !who.administers(c.owner_id) && *c.status != CampaignStatus::Draft)
        .map(|c| c.id)
        .collect();
    let mut mine: HashMap<Uuid, Vec<campaign_submission::Model>> =
        answering.iter().map(|id| (*id, vec![])).collect();
    for s in state
        .store
        .submissions_to(&answering, &who.admin_of)
        .await?
    {
        mine.entry(s.campaign_id).or_default().push(s);
    }
    let mut org_ids: Vec<Uuid> = rows.iter().map(|c| c.owner_id).collect();
    org_ids.extend(mine.values().flatten().map(|s| s.organization_id));
    org_ids.sort();
    org_ids.dedup();
    let orgs = state.store.organizations_by_ids(&org_ids).await?;
    let map = parties(state, &orgs).await?;
    let mut above: HashMap<Uuid, bool> = HashMap::new();
    for o in orgs
        .iter()
        .filter(|o| rows.iter().any(|c| c.owner_id == o.id))
    {
        let sees = who.administers(o.id)
            || who.is_platform_admin
            || administers_above(state, who, o).await?;
        above.insert(o.id, sees);
    }
    rows.into_iter()
        .map(|c| {
            let owner = who.administers(c.owner_id);
            let follows = above.get(&c.owner_id).copied().unwrap_or(false);
            let (categories, levels) = addressees_of(&c);
            let (addressed, completed) = counts.get(&c.id).copied().unwrap_or_default();
            let my_submissions = mine
                .get(&c.id)
                .map(|subs| {
                    subs.iter()
                        .map(|s| {
                            Ok(submission_view(
                                &c,
                                s,
                                party_of(&map, s.organization_id)?,
                                today,
                                true,
                                false,
                            ))
                        })
                        .collect::<Result<Vec<_>, ApiError>>()
                })
                .transpose()?
                .unwrap_or_default();
            Ok(CampaignView {
                id: c.id,
                owner: party_of(&map, c.owner_id)?,
                title: c.title.clone(),
                purpose: c.purpose.clone(),
                year: c.year,
                addressed_categories: categories,
                addressed_levels: levels,
                min_entries: c.min_entries,
                custom_fields: custom_fields_of(&c)
                    .iter()
                    .map(CustomFieldView::from)
                    .collect(),
                deadline: c.deadline,
                status: *c.status,
                opened_at: c.opened_at,
                closed_at: c.closed_at,
                reminded_at: c.reminded_at,
                addressed,
                completed,
                allowed_actions: campaign_allowed_actions(*c.status, owner),
                my_submissions,
                follows,
                created_at: c.created_at,
                updated_at: c.updated_at,
                version: c.version,
            })
        })
        .collect()
}

async fn one(
    state: &AppState,
    who: &Authenticated,
    c: campaign::Model,
) -> Result<CampaignView, ApiError> {
    views(state, who, vec![c])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal("a campaign view went missing".into()))
}

async fn respond(
    state: &AppState,
    who: &Authenticated,
    c: campaign::Model,
) -> Result<HttpResponse, ApiError> {
    let v = one(state, who, c).await?;
    Ok(with_etag(HttpResponse::Ok().json(&v), v.version))
}

/// Opens a campaign as a draft for an organisation the caller administers: title, purpose,
/// year, the categories and levels of the descendants asked, the minimum entries each
/// submits, up to ten fields besides the fixed ones, and the deadline.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), request_body = CreateCampaignRequest, responses(
    (status = 201, body = CampaignView, headers(("ETag" = String, description = "version of the campaign"))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_your_organization"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "organization_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "organization_not_approved"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "too_many_custom_fields, duplicate_custom_field, bad_choices, unknown_custom_field_kind, unknown_category, unknown_level, in_the_past (deadline), range…"),
))]
#[post("/campaigns")]
pub async fn create_campaign(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CreateCampaignRequest>,
) -> Result<HttpResponse, ApiError> {
    let owner = state
        .store
        .get_organization(body.owner_id)
        .await?
        .filter(|o| o.status == OrganizationStatus::Approved || who.administers(o.id))
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    if !who.administers(owner.id) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the organisation's own admins open its campaigns".into(),
        ));
    }
    if owner.status != OrganizationStatus::Approved {
        return Err(ApiError::Conflict {
            code: ProblemCode::OrganizationNotApproved,
            message: "an organisation opens campaigns once it is approved".into(),
        });
    }
    let today = china_date(state.clock.now());
    let draft = CampaignDraft::try_from((&*body, today))?;
    let actor = actor(&state, &who).await?;
    let c = state
        .store
        .create_campaign(owner.id, &content(draft), &actor, state.clock.now())
        .await?;
    let v = one(&state, &who, c).await?;
    Ok(with_etag(
        super::created(format!("/campaigns/{}", v.id)).json(&v),
        v.version,
    ))
}

/// Changes a campaign (the owner). A draft changes as a whole; an open campaign keeps its
/// fields and addressees (`campaign_fields_fixed`). Send `If-Match` with the ETag.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = UpdateCampaignRequest, responses(
    (status = 200, body = CampaignView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "campaign_owner_only"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "campaign_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "campaign_fields_fixed, campaign_closed"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/campaigns/{id}")]
pub async fn update_campaign(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<UpdateCampaignRequest>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !l.standing.owner {
        return Err(owner_only("change it"));
    }
    let expected = expected_version(&req)?;
    let today = china_date(state.clock.now());
    zhihui_domain::campaign_transition(*l.campaign.status, zhihui_domain::CampaignAction::Update)?;
    let draft = draft_of(&l.campaign).amended(&body, today)?;
    let c = state
        .store
        .update_campaign(l.campaign.id, expected, &content(draft), state.clock.now())
        .await?;
    respond(&state, &who, c).await
}

/// Opens a draft to the organisations it addresses (the owner): each approved descendant of
/// the asked categories and levels gets a submission and `campaign.opened`. The deadline
/// must not have passed.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), responses(
    (status = 200, body = CampaignView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "campaign_owner_only"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "campaign_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "campaign_not_draft, campaign_closed"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "campaign_addresses_nobody, in_the_past (deadline)"),
))]
#[post("/campaigns/{id}/open")]
pub async fn open_campaign(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !l.standing.owner {
        return Err(owner_only("open it"));
    }
    let c = &l.campaign;
    zhihui_domain::campaign_transition(*c.status, zhihui_domain::CampaignAction::Open)?;
    let today = china_date(state.clock.now());
    if let Err(e) = zhihui_domain::campaign::check_deadline(c.deadline, c.year, today) {
        return Err(ApiError::field("deadline", e.code, e.message));
    }
    let (cats, levels) = addressees_of(c);
    if state
        .store
        .campaign_addressees(c.owner_id, &cats, &levels)
        .await?
        .is_empty()
    {
        return Err(ApiError::field(
            "addressed_categories",
            ProblemCode::CampaignAddressesNobody,
            "no approved organisation below matches these categories and levels",
        ));
    }
    let (c, _) = state
        .store
        .open_campaign(c.id, expected_version(&req)?, state.clock.now())
        .await?;
    respond(&state, &who, c).await
}

/// Closes an open campaign (the owner): no more entries or reopening; entries can still be
/// accepted.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), responses(
    (status = 200, body = CampaignView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "campaign_owner_only"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "campaign_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "campaign_not_open, campaign_closed"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
))]
#[post("/campaigns/{id}/close")]
pub async fn close_campaign(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !l.standing.owner {
        return Err(owner_only("close it"));
    }
    let c = state
        .store
        .close_campaign(l.campaign.id, expected_version(&req)?, state.clock.now())
        .await?;
    respond(&state, &who, c).await
}

/// Reminds the addressed organisations that have not completed (the owner): each gets
/// `campaign.reminder` naming its entries and the minimum. At most once a day.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = CampaignReminderView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "campaign_owner_only"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "campaign_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "reminded_recently, campaign_not_open, campaign_closed"),
))]
#[post("/campaigns/{id}/reminders")]
pub async fn remind_campaign(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !l.standing.owner {
        return Err(owner_only("remind"));
    }
    let now = state.clock.now();
    let organization_ids = state
        .store
        .remind_campaign(l.campaign.id, china_date(now), now)
        .await?;
    Ok(HttpResponse::Ok().json(CampaignReminderView {
        organization_ids,
        reminded_at: now,
    }))
}

/// Campaigns: those an organisation opened (`owner_id`: its admins, those above it, the
/// platform), those addressed to an organisation (`addressed_to`: its admins), or, with
/// neither, the caller's own both ways. Newest first; drafts only to their owner's admins.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(CampaignQuery), responses(
    (status = 200, body = CampaignPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_in_your_oversight"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "organization_not_found (owner_id)"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/campaigns")]
pub async fn list_campaigns(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<CampaignQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let status = p.closed_opt::<CampaignStatus>(
        "status",
        ProblemCode::UnknownCampaignStatus,
        q.status.as_deref(),
    );
    let before = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let mut f = CampaignFilter {
        drafts_of: who.admin_of.clone(),
        status,
        year: q.year,
        before,
        limit,
        ..Default::default()
    };
    let refused = || {
        ApiError::Forbidden(
            ProblemCode::NotInYourOversight,
            "this organisation is neither yours nor below one of yours".into(),
        )
    };
    if let Some(o) = q.owner_id {
        if !who.administers(o) && !who.is_platform_admin {
            let org = state
                .store
                .get_organization(o)
                .await?
                .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
            if !administers_above(&state, &who, &org).await? {
                return Err(refused());
            }
        }
        f.owners_in = Some(vec![o]);
    }
    if let Some(a) = q.addressed_to {
        if !who.administers(a) && !who.is_platform_admin {
            return Err(refused());
        }
        f.addressed_to_any = Some(vec![a]);
    }
    if q.owner_id.is_none() && q.addressed_to.is_none() {
        let mine: Vec<Uuid> = who.admin_of.iter().copied().take(1000).collect();
        f.mine = Some((mine.clone(), mine));
    }
    let rows = state.store.list_campaigns(f).await?;
    let next = next_cursor(&rows, limit, |c| c.id.to_string());
    Ok(HttpResponse::Ok().json(CampaignPage {
        items: views(&state, &who, rows).await?,
        next_cursor: next,
    }))
}

/// One campaign: its details, what the owner's admins may do, and the caller's addressed
/// organisations' submissions with what they may do.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = CampaignView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "campaign_not_found"),
))]
#[get("/campaigns/{id}")]
pub async fn get_campaign(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    respond(&state, &who, l.campaign).await
}

/// What a campaign's entries add up to, by organisation and by month (rule 56's roll-up).
#[derive(Default)]
struct Tally {
    by_org: HashMap<Uuid, [u64; 3]>,
    months: [[u64; 4]; 12],
    entries: u64,
    accepted: u64,
    held: u64,
}

async fn stages(
    state: &AppState,
    entries: &[campaign_entry::Model],
) -> Result<HashMap<Uuid, EntryStage>, ApiError> {
    let now = state.clock.now();
    let activity_ids: Vec<Uuid> = entries.iter().filter_map(|e| e.activity_id).collect();
    let acts = state.store.activity_states(&activity_ids).await?;
    Ok(entries
        .iter()
        .map(|e| {
            let activity = e
                .activity_id
                .and_then(|a| acts.get(&a))
                .map(|(s, ends)| (*s, *ends < now));
            (e.id, entry_stage(*e.status, activity))
        })
        .collect())
}

fn tally(entries: &[campaign_entry::Model], stages: &HashMap<Uuid, EntryStage>) -> Tally {
    let mut t = Tally::default();
    for e in entries {
        let stage = stages.get(&e.id).copied().unwrap_or(EntryStage::Planned);
        if *e.status == EntryStatus::Withdrawn {
            continue;
        }
        let month = (e.planned_month.clamp(1, 12) - 1) as usize;
        let o = t.by_org.entry(e.organization_id).or_default();
        let m = &mut t.months[month];
        t.entries += 1;
        o[0] += 1;
        m[0] += 1;
        if *e.status == EntryStatus::Accepted {
            t.accepted += 1;
            o[1] += 1;
            m[1] += 1;
        }
        match stage {
            EntryStage::Held => {
                t.held += 1;
                o[2] += 1;
                m[2] += 1;
            }
            EntryStage::Dropped => m[3] += 1,
            _ => {}
        }
    }
    t
}

async fn all_entries(
    state: &AppState,
    campaign_id: Uuid,
) -> Result<Vec<campaign_entry::Model>, ApiError> {
    Ok(state
        .store
        .list_campaign_entries(EntryFilter {
            campaign_id,
            limit: MOST_ENTRIES_READ,
            ..Default::default()
        })
        .await?)
}

/// The progress table (rule 56): per addressed organisation its entries against the
/// minimum, complete or not, late, never answered, and its entries planned, accepted and
/// held; the counts of each state; and the year's months, planned against held. The owner's
/// admins, those above the owner and the platform.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = Uuid, Path), CampaignProgressQuery), responses(
    (status = 200, body = CampaignProgressView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "campaign_owner_only"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "campaign_not_found"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/campaigns/{id}/progress")]
pub async fn get_campaign_progress(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    q: web::Query<CampaignProgressQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let only = p.closed_opt::<SubmissionState>("state", ProblemCode::Invalid, q.state.as_deref());
    let after = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit.unwrap_or(50).clamp(1, MAX_LIMIT);
    let l = load(&state, &who, *id).await?;
    if !l.standing.follows() {
        return Err(owner_only("follow its progress"));
    }
    let c = &l.campaign;
    let today = china_date(state.clock.now());
    let subs = state.store.campaign_submissions(c.id).await?;
    let entries = all_entries(&state, c.id).await?;
    let st = stages(&state, &entries).await?;
    let t = tally(&entries, &st);
    let mut counts: HashMap<SubmissionState, u64> = HashMap::new();
    let mut page: Vec<(&campaign_submission::Model, SubmissionState)> = vec![];
    for s in &subs {
        let state_now = submission_state(
            s.entries.max(0) as u64,
            s.completed_on,
            submission_facts(c, s, today),
        );
        *counts.entry(state_now).or_default() += 1;
        let wanted = only.is_none_or(|o| o == state_now);
        let after_cursor = after.is_none_or(|a| s.organization_id > a);
        if wanted && after_cursor && (page.len() as u64) < limit {
            page.push((s, state_now));
        }
    }
    let org_ids: Vec<Uuid> = page.iter().map(|(s, _)| s.organization_id).collect();
    let orgs = state.store.organizations_by_ids(&org_ids).await?;
    let map = parties(&state, &orgs).await?;
    let rows = page
        .iter()
        .map(|(s, state_now)| {
            let [planned, accepted, held] = t
                .by_org
                .get(&s.organization_id)
                .copied()
                .unwrap_or_default();
            let f = submission_facts(c, s, today);
            Ok(ProgressRow {
                organization: party_of(&map, s.organization_id)?,
                state: *state_now,
                entries: s.entries,
                short_by: (c.min_entries - s.entries).max(0),
                completed_on: s.completed_on,
                late: s.late,
                reopened_until: s.reopened_until,
                planned,
                accepted,
                held,
                allowed_actions: submission_allowed_actions(
                    f,
                    s.entries.max(0) as u64,
                    c.min_entries,
                    false,
                    l.standing.owner,
                ),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let next = next_cursor(&rows, limit, |r| r.organization.id.to_string());
    let n = |s: SubmissionState| counts.get(&s).copied().unwrap_or(0);
    Ok(HttpResponse::Ok().json(CampaignProgressView {
        campaign_id: c.id,
        min_entries: c.min_entries,
        deadline: c.deadline,
        addressed: subs.len() as u64,
        not_answered: n(SubmissionState::NotAnswered),
        in_progress: n(SubmissionState::InProgress),
        overdue: n(SubmissionState::Overdue),
        complete: n(SubmissionState::Complete),
        completed_late: n(SubmissionState::CompletedLate),
        entries: t.entries,
        accepted: t.accepted,
        held: t.held,
        months: (0..12)
            .map(|i| CampaignMonth {
                month: i as i32 + 1,
                planned: t.months[i][0],
                accepted: t.months[i][1],
                held: t.months[i][2],
                dropped: t.months[i][3],
            })
            .collect(),
        rows,
        next_cursor: next,
    }))
}

fn entry_view(
    fields: &[CustomField],
    e: campaign_entry::Model,
    party: PartyView,
    facts: zhihui_domain::campaign::SubmissionFacts,
    stage: EntryStage,
    submitter: bool,
    owner: bool,
) -> CampaignEntryView {
    let custom = custom_values_of(&e)
        .into_iter()
        .map(|(key, value)| CustomValueView {
            label: fields
                .iter()
                .find(|f| f.key == key)
                .map(|f| f.label.clone())
                .unwrap_or_else(|| key.clone()),
            key,
            value,
        })
        .collect();
    CampaignEntryView {
        id: e.id,
        campaign_id: e.campaign_id,
        organization: party,
        title: e.title,
        topic: *e.topic,
        lead: e.lead,
        planned_month: e.planned_month,
        place: e.place,
        expected_audience: e.expected_audience,
        custom,
        status: *e.status,
        stage,
        activity_id: e.activity_id,
        allowed_actions: entry_allowed_actions(*e.status, facts, submitter, owner),
        created_at: e.created_at,
        updated_at: e.updated_at,
        version: e.version,
    }
}

async fn entry_views(
    state: &AppState,
    who: &Authenticated,
    c: &campaign::Model,
    rows: Vec<campaign_entry::Model>,
) -> Result<Vec<CampaignEntryView>, ApiError> {
    let today = china_date(state.clock.now());
    let fields = custom_fields_of(c);
    let mut org_ids: Vec<Uuid> = rows.iter().map(|e| e.organization_id).collect();
    org_ids.sort();
    org_ids.dedup();
    let subs: HashMap<Uuid, campaign_submission::Model> = state
        .store
        .submissions_of(c.id, &org_ids)
        .await?
        .into_iter()
        .map(|s| (s.organization_id, s))
        .collect();
    let orgs = state.store.organizations_by_ids(&org_ids).await?;
    let map = parties(state, &orgs).await?;
    let st = stages(state, &rows).await?;
    let owner = who.administers(c.owner_id);
    rows.into_iter()
        .map(|e| {
            let s = subs
                .get(&e.organization_id)
                .ok_or_else(|| ApiError::Internal(format!("entry {} has no submission", e.id)))?;
            let party = party_of(&map, e.organization_id)?;
            let stage = st.get(&e.id).copied().unwrap_or(EntryStage::Planned);
            let submitter = who.administers(e.organization_id);
            Ok(entry_view(
                &fields,
                e,
                party,
                submission_facts(c, s, today),
                stage,
                submitter,
                owner,
            ))
        })
        .collect()
}

async fn one_entry(
    state: &AppState,
    who: &Authenticated,
    c: &campaign::Model,
    e: campaign_entry::Model,
) -> Result<CampaignEntryView, ApiError> {
    entry_views(state, who, c, vec![e])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal("an entry view went missing".into()))
}

async fn respond_entry(
    state: &AppState,
    who: &Authenticated,
    c: &campaign::Model,
    e: campaign_entry::Model,
) -> Result<HttpResponse, ApiError> {
    let v = one_entry(state, who, c, e).await?;
    Ok(with_etag(HttpResponse::Ok().json(&v), v.version))
}

/// A campaign's entries by organisation: all of them to the owner's admins, those above and
/// the platform; to an addressed organisation's admins, their own.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = Uuid, Path), CampaignEntryQuery), responses(
    (status = 200, body = CampaignEntryPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "campaign_not_found"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/campaigns/{id}/entries")]
pub async fn list_campaign_entries(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    q: web::Query<CampaignEntryQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let status = p.closed_opt::<EntryStatus>("status", ProblemCode::Invalid, q.status.as_deref());
    let after = compound_cursor(&mut p, &q.cursor, |k| Uuid::parse_str(k).ok());
    p.finish()?;
    let limit = q.limit.unwrap_or(50).clamp(1, MAX_LIMIT);
    let l = load(&state, &who, *id).await?;
    let mut f = EntryFilter {
        campaign_id: l.campaign.id,
        organization_id: q.organization_id,
        status,
        planned_month: q.planned_month,
        after,
        limit,
        ..Default::default()
    };
    if !l.standing.follows() {
        f.organizations_in = Some(l.standing.mine.iter().map(|s| s.organization_id).collect());
    }
    let rows = state.store.list_campaign_entries(f).await?;
    let next = next_cursor(&rows, limit, |e| format!("{}_{}", e.organization_id, e.id));
    Ok(HttpResponse::Ok().json(CampaignEntryPage {
        items: entry_views(&state, &who, &l.campaign, rows).await?,
        next_cursor: next,
    }))
}

/// The caller's addressed organisation `org`, or why it may not act for it.
fn my_submission(l: &Loaded, who: &Authenticated, org: Uuid) -> Result<(), ApiError> {
    if !who.administers(org) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the addressed organisation's own admins submit its entries".into(),
        ));
    }
    if !l.standing.mine.iter().any(|s| s.organization_id == org) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotAddressed,
            "the campaign does not ask this organisation".into(),
        ));
    }
    Ok(())
}

/// Adds an entry for an addressed organisation the caller administers, until the deadline
/// (or the owner's reopening) and before the submission is marked complete; custom values
/// are checked against the campaign's fields.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = CreateCampaignEntryRequest, responses(
    (status = 201, body = CampaignEntryView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_your_organization, not_addressed"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "campaign_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "campaign_deadline_passed, submission_complete, campaign_closed, too_many_entries"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "unknown_custom_field, not_a_choice, value_format, required (custom.<key>), unknown_category…"),
))]
#[post("/campaigns/{id}/entries")]
pub async fn create_campaign_entry(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<CreateCampaignEntryRequest>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    my_submission(&l, &who, body.organization_id)?;
    let fields = custom_fields_of(&l.campaign);
    let draft = EntryDraft::try_from((&*body, fields.as_slice()))?;
    let actor = actor(&state, &who).await?;
    let now = state.clock.now();
    let e = state
        .store
        .add_campaign_entry(
            l.campaign.id,
            body.organization_id,
            &entry_content(draft),
            &actor,
            china_date(now),
            now,
        )
        .await?;
    let v = one_entry(&state, &who, &l.campaign, e).await?;
    Ok(with_etag(
        super::created(format!("/campaign-entries/{}", v.id)).json(&v),
        v.version,
    ))
}

/// An entry with its campaign, visible to the caller (or not found).
async fn load_entry(
    state: &AppState,
    who: &Authenticated,
    id: Uuid,
) -> Result<(Loaded, campaign_entry::Model), ApiError> {
    let e = state
        .store
        .get_campaign_entry(id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::CampaignEntryNotFound))?;
    let l = load(state, who, e.campaign_id)
        .await
        .map_err(|_| ApiError::NotFound(ProblemCode::CampaignEntryNotFound))?;
    if !l.standing.follows() && !who.administers(e.organization_id) {
        return Err(ApiError::NotFound(ProblemCode::CampaignEntryNotFound));
    }
    Ok((l, e))
}

fn submitter_only(
    l: &Loaded,
    who: &Authenticated,
    e: &campaign_entry::Model,
) -> Result<(), ApiError> {
    my_submission(l, who, e.organization_id)
}

/// Changes an entry (its organisation's admins) while its submission is open. Send
/// `If-Match` with the ETag.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = UpdateCampaignEntryRequest, responses(
    (status = 200, body = CampaignEntryView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_your_organization"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "campaign_entry_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "campaign_deadline_passed, submission_complete, entry_withdrawn, entry_accepted, campaign_closed"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/campaign-entries/{id}")]
pub async fn update_campaign_entry(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<UpdateCampaignEntryRequest>,
) -> Result<HttpResponse, ApiError> {
    let (l, e) = load_entry(&state, &who, *id).await?;
    submitter_only(&l, &who, &e)?;
    let expected = expected_version(&req)?;
    zhihui_domain::entry_transition(*e.status, zhihui_domain::EntryAction::Update)?;
    let fields = custom_fields_of(&l.campaign);
    let current = EntryDraft {
        title: e.title.clone(),
        topic: *e.topic,
        lead: e.lead.clone(),
        planned_month: e.planned_month,
        place: e.place.clone(),
        expected_audience: e.expected_audience,
        custom: custom_values_of(&e),
    };
    let draft = current.amended(&body, &fields)?;
    let now = state.clock.now();
    let e = state
        .store
        .update_campaign_entry(e.id, expected, &entry_content(draft), china_date(now), now)
        .await?;
    respond_entry(&state, &who, &l.campaign, e).await
}

/// Takes an entry back (its organisation's admins) while its submission is open.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), responses(
    (status = 200, body = CampaignEntryView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_your_organization"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "campaign_entry_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "campaign_deadline_passed, submission_complete, entry_withdrawn, entry_accepted"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
))]
#[post("/campaign-entries/{id}/withdraw")]
pub async fn withdraw_campaign_entry(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (l, e) = load_entry(&state, &who, *id).await?;
    submitter_only(&l, &who, &e)?;
    let now = state.clock.now();
    let e = state
        .store
        .withdraw_campaign_entry(e.id, expected_version(&req)?, china_date(now), now)
        .await?;
    respond_entry(&state, &who, &l.campaign, e).await
}

/// Accepts an entry (the owner, rule 56): it becomes a draft activity of the submitting
/// organisation with its title, topic, place, the organisation's region and the expected
/// audience as capacity, linked to the campaign (the activity's `campaign_id`). The times are
/// the request's, or the 15th of the planned month (tomorrow if that has passed within the
/// month), 09:00-11:00 China time. The organisation edits and publishes it as any other.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = AcceptCampaignEntryRequest, responses(
    (status = 200, body = CampaignEntryView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "campaign_owner_only"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "campaign_entry_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "entry_withdrawn, entry_accepted, planned_month_passed"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "ends_before_start, in_the_past (starts_at)…"),
))]
#[post("/campaign-entries/{id}/accept")]
pub async fn accept_campaign_entry(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<AcceptCampaignEntryRequest>,
) -> Result<HttpResponse, ApiError> {
    let (l, e) = load_entry(&state, &who, *id).await?;
    if !l.standing.owner {
        return Err(owner_only("accept its entries"));
    }
    zhihui_domain::entry_transition(*e.status, zhihui_domain::EntryAction::Accept)?;
    let now = state.clock.now();
    let c = &l.campaign;
    let (starts_at, ends_at) = match (body.starts_at, body.ends_at) {
        (Some(s), Some(t)) => (s, t),
        (Some(s), None) => (s, s + chrono::Duration::hours(2)),
        (None, _) => draft_hours(c.year, e.planned_month.clamp(1, 12) as u32, china_date(now))?,
    };
    let submitter = state
        .store
        .get_organization(e.organization_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    let fields = custom_fields_of(c);
    let mut description = format!(
        "{}（{}年）征集条目。主讲人/负责人：{}。",
        c.title, c.year, e.lead
    );
    for (k, v) in custom_values_of(&e) {
        let label = fields
            .iter()
            .find(|f| f.key == k)
            .map(|f| f.label.as_str())
            .unwrap_or(&k);
        description.push_str(&format!("{label}：{v}。"));
    }
    let request = CreateActivityRequest {
        organization_id: submitter.id,
        title: e.title.clone(),
        category: e.topic.as_str().to_string(),
        description: description.chars().take(5000).collect(),
        starts_at,
        ends_at,
        place: e.place.clone(),
        region_code: submitter.region_code.clone(),
        capacity: e.expected_audience,
        sign_up_opens_at: None,
        sign_up_closes_at: None,
        members_only: false,
        key_date: None,
        leader_ids: vec![],
        service_point_id: None,
    };
    let mut p = Problems::validate(&*body);
    let plan = p.absorb(ActivityPlan::try_from((&request, now)));
    let plan = p.done(plan)?;
    let e = state
        .store
        .accept_campaign_entry(e.id, expected_version(&req)?, &plan, who.account_id, now)
        .await?;
    respond_entry(&state, &who, c, e).await
}

/// Marks an addressed organisation's submission complete (its admins): with at least the
/// minimum entries; after the deadline (when reopened) it is marked late.
/// `campaign.submission_completed` goes to the owner.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = Uuid, Path), ("organization_id" = Uuid, Path)), responses(
    (status = 200, body = SubmissionView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_your_organization, not_addressed"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "campaign_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "too_few_entries, submission_complete, campaign_deadline_passed, campaign_closed"),
))]
#[post("/campaigns/{id}/submissions/{organization_id}/complete")]
pub async fn complete_campaign_submission(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, org) = path.into_inner();
    let l = load(&state, &who, id).await?;
    my_submission(&l, &who, org)?;
    let now = state.clock.now();
    let today = china_date(now);
    let s = state
        .store
        .complete_campaign_submission(id, org, today, now)
        .await?;
    submission_answer(&state, &l.campaign, s, today, true, false).await
}

async fn submission_answer(
    state: &AppState,
    c: &campaign::Model,
    s: campaign_submission::Model,
    today: NaiveDate,
    submitter: bool,
    owner: bool,
) -> Result<HttpResponse, ApiError> {
    let orgs = state
        .store
        .organizations_by_ids(&[s.organization_id])
        .await?;
    let map = parties(state, &orgs).await?;
    let party = party_of(&map, s.organization_id)?;
    Ok(HttpResponse::Ok().json(submission_view(c, &s, party, today, submitter, owner)))
}

/// Reopens one organisation's submission until a day (the owner, while the campaign is
/// open): it may change its entries again, and a completion is undone, to be marked again
/// (late, if after the deadline). `campaign.submission_reopened` goes to the organisation.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = Uuid, Path), ("organization_id" = Uuid, Path)), request_body = ReopenSubmissionRequest, responses(
    (status = 200, body = SubmissionView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "campaign_owner_only, not_addressed"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "campaign_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "campaign_closed, campaign_not_open"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "in_the_past (until)"),
))]
#[post("/campaigns/{id}/submissions/{organization_id}/reopen")]
pub async fn reopen_campaign_submission(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<ReopenSubmissionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, org) = path.into_inner();
    Problems::validate(&*body).finish()?;
    let l = load(&state, &who, id).await?;
    if !l.standing.owner {
        return Err(owner_only("reopen a submission"));
    }
    let now = state.clock.now();
    let today = china_date(now);
    if let Err((Some(field), e)) =
        zhihui_domain::campaign::check_reopen(*l.campaign.status, body.until, today)
    {
        return Err(ApiError::field(field, e.code, e.message));
    }
    let s = state
        .store
        .reopen_campaign_submission(id, org, body.until, today, now)
        .await
        .map_err(|e| match e {
            zhihui_persistence::StoreError::Conflict {
                code: ProblemCode::NotAddressed,
                message,
            } => ApiError::Forbidden(ProblemCode::NotAddressed, message),
            e => e.into(),
        })?;
    submission_answer(&state, &l.campaign, s, today, false, true).await
}

const MONTHS: [&str; 12] = [
    "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月",
];

fn state_zh(s: SubmissionState) -> &'static str {
    match s {
        SubmissionState::NotAnswered => "未填报",
        SubmissionState::InProgress => "填报中",
        SubmissionState::Overdue => "逾期未完成",
        SubmissionState::Complete => "已完成",
        SubmissionState::CompletedLate => "逾期完成",
    }
}

fn stage_zh(s: EntryStage) -> &'static str {
    match s {
        EntryStage::Planned => "待采纳",
        EntryStage::Accepted => "已采纳",
        EntryStage::Held => "已开展",
        EntryStage::Dropped => "已撤回或取消",
    }
}

/// The campaign as an XLSX workbook with Chinese headers: the sheet 条目 (one row per entry
/// not withdrawn, the campaign's own fields as further columns), the sheet 各单位汇总 (one
/// row per addressed organisation: entries against the minimum, state, late, planned,
/// accepted, held) and 月度汇总 (planned against held by month). The owner's admins, those
/// above the owner and the platform.
#[utoipa::path(tag = "campaigns", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "campaign_owner_only"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "campaign_not_found"),
))]
#[get("/campaigns/{id}/export")]
pub async fn export_campaign(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !l.standing.follows() {
        return Err(owner_only("export it"));
    }
    let c = &l.campaign;
    let today = china_date(state.clock.now());
    let fields = custom_fields_of(c);
    let subs = state.store.campaign_submissions(c.id).await?;
    let entries = all_entries(&state, c.id).await?;
    let st = stages(&state, &entries).await?;
    let t = tally(&entries, &st);
    let org_ids: Vec<Uuid> = subs.iter().map(|s| s.organization_id).collect();
    let mut names: HashMap<Uuid, String> = HashMap::new();
    for chunk in org_ids.chunks(1000) {
        for o in state.store.organizations_by_ids(chunk).await? {
            names.insert(o.id, o.name);
        }
    }
    let name = |id: Uuid| names.get(&id).cloned().unwrap_or_default();

    let mut entry_headers: Vec<String> = [
        "填报单位",
        "标题",
        "主题类别",
        "主讲人/负责人",
        "计划月份",
        "地点",
        "预计受众人数",
        "状态",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    entry_headers.extend(fields.iter().map(|f| f.label.clone()));
    let entry_rows: Vec<Vec<Cell>> = entries
        .iter()
        .filter(|e| *e.status != EntryStatus::Withdrawn)
        .map(|e| {
            let values = custom_values_of(e);
            let mut row = vec![
                Cell::from(name(e.organization_id)),
                Cell::from(e.title.clone()),
                Cell::from(e.topic.title_zh()),
                Cell::from(e.lead.clone()),
                Cell::from(MONTHS[(e.planned_month.clamp(1, 12) - 1) as usize]),
                Cell::from(e.place.clone()),
                Cell::Number(f64::from(e.expected_audience)),
                Cell::from(stage_zh(
                    st.get(&e.id).copied().unwrap_or(EntryStage::Planned),
                )),
            ];
            row.extend(fields.iter().map(|f| {
                values
                    .iter()
                    .find(|(k, _)| *k == f.key)
                    .map(|(_, v)| Cell::from(v.clone()))
                    .unwrap_or(Cell::Empty)
            }));
            row
        })
        .collect();
    let summary_rows: Vec<Vec<Cell>> = subs
        .iter()
        .map(|s| {
            let state_now = submission_state(
                s.entries.max(0) as u64,
                s.completed_on,
                submission_facts(c, s, today),
            );
            let [planned, accepted, held] = t
                .by_org
                .get(&s.organization_id)
                .copied()
                .unwrap_or_default();
            vec![
                Cell::from(name(s.organization_id)),
                Cell::Number(f64::from(s.entries)),
                Cell::Number(f64::from(c.min_entries)),
                Cell::from(state_zh(state_now)),
                Cell::from(if s.late { "是" } else { "否" }),
                s.completed_on
                    .map(|d| Cell::from(d.to_string()))
                    .unwrap_or(Cell::Empty),
                Cell::Number(planned as f64),
                Cell::Number(accepted as f64),
                Cell::Number(held as f64),
            ]
        })
        .collect();
    let month_rows: Vec<Vec<Cell>> = (0..12)
        .map(|i| {
            vec![
                Cell::from(MONTHS[i]),
                Cell::Number(t.months[i][0] as f64),
                Cell::Number(t.months[i][1] as f64),
                Cell::Number(t.months[i][2] as f64),
                Cell::Number(t.months[i][3] as f64),
            ]
        })
        .collect();
    let entry_header_refs: Vec<&str> = entry_headers.iter().map(String::as_str).collect();
    let sheets = [
        Sheet {
            name: "条目",
            headers: &entry_header_refs,
            rows: &entry_rows,
        },
        Sheet {
            name: "各单位汇总",
            headers: &[
                "单位",
                "条目数",
                "最少条目数",
                "填报状态",
                "逾期",
                "完成日期",
                "计划",
                "已采纳",
                "已开展",
            ],
            rows: &summary_rows,
        },
        Sheet {
            name: "月度汇总",
            headers: &["月份", "计划", "已采纳", "已开展", "已撤回或取消"],
            rows: &month_rows,
        },
    ];
    export::respond_workbook(&format!("campaign-{}", c.id), &sheets)
}
