//! Synthetic data at the programme's scale, for benchmarks and load tests (`zhihui seed`).
//!
//! Organisation trees follow the real region list (the `regions` table): a provincial
//! association per province, a city association per city, a county association per county,
//! teams under the counties, national and provincial societies at the top. Volunteers have
//! Chinese names and valid ID numbers (the domain's check character; unique by
//! construction) and join teams of their county; activities are spread over the last twelve
//! months with sign-ups, attendance and confirmed service records; every organisation files
//! monthly reports for the last six months from the figures generated. Rows go in with
//! multi-row inserts of a few thousand at a time. Deterministic for a given `rng_seed`.

use std::collections::HashMap;
use std::time::Instant;
use zhihui_domain::ProblemCode;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;
use zhihui_domain::{
    ActivityCategory, ActivityStatus, AttendanceSource, MembershipStatus, MobilePhone,
    OrganizationCategory, OrganizationLevel, OrganizationStatus, PersonName, RegionCode,
    RegionLevel, ReportStatus, ResidentIdNumber, SignUpStatus,
};

use crate::entities::{
    account, activity, counter, membership, monthly_report, organization, organization_admin,
    organization_closure, region, service_need, service_record, sign_up,
};
use crate::repo::organizations::name_key;
use crate::{NewVolunteer, Store, StoreError, StoreResult};

/// How much to generate.
#[derive(Debug, Clone)]
pub struct SeedScale {
    pub name: &'static str,
    /// Provinces taken from the region list, in code order (`None`: all).
    pub provinces: Option<usize>,
    /// Cities per province and counties per city (`None`: all).
    pub cities_per_province: Option<usize>,
    pub counties_per_city: Option<usize>,
    pub organizations: usize,
    pub volunteers: usize,
    pub activities: usize,
    /// Confirmed service records (about one per sign-up of a past activity).
    pub records: usize,
    /// Volunteers that also get a sign-in account (`seed-v<n>@zhihui.test`).
    pub volunteer_accounts: usize,
    /// Needs posted over the last twelve months (about a tenth unmet).
    pub needs: usize,
    /// Service points (服务点): every county's civilisation-practice centre, then stations,
    /// posts and bases of its teams.
    pub service_points: usize,
    /// Micro-exhibitions of the county associations, each rotated monthly between the
    /// county's points that show exhibitions.
    pub exhibitions: usize,
}

impl SeedScale {
    pub fn named(name: &str) -> Option<Self> {
        Some(match name {
            "small" => Self {
                name: "small",
                provinces: Some(2),
                cities_per_province: Some(3),
                counties_per_city: Some(3),
                organizations: 120,
                volunteers: 2_000,
                activities: 400,
                records: 6_000,
                volunteer_accounts: 200,
                needs: 300,
                service_points: 300,
                exhibitions: 60,
            },
            "province" => Self {
                name: "province",
                provinces: Some(1),
                cities_per_province: None,
                counties_per_city: None,
                organizations: 3_600,
                volunteers: 170_000,
                activities: 10_000,
                records: 100_000,
                volunteer_accounts: 2_000,
                needs: 7_000,
                service_points: 2_000,
                exhibitions: 400,
            },
            "national" => Self {
                name: "national",
                provinces: None,
                cities_per_province: None,
                counties_per_city: None,
                organizations: 110_000,
                volunteers: 5_200_000,
                activities: 300_000,
                records: 3_000_000,
                volunteer_accounts: 20_000,
                needs: 200_000,
                service_points: 60_000,
                exhibitions: 12_000,
            },
            _ => return None,
        })
    }
}

/// What was loaded and how long each part took.
#[derive(Debug, Default)]
pub struct SeedReport {
    pub organizations: usize,
    pub accounts: usize,
    pub volunteers: usize,
    pub memberships: usize,
    pub activities: usize,
    pub sign_ups: usize,
    pub records: usize,
    pub monthly_reports: usize,
    pub needs: usize,
    pub service_points: usize,
    pub exhibitions: usize,
    pub exhibition_stays: usize,
    pub campaigns: usize,
    pub campaign_entries: usize,
    pub timings: Vec<(&'static str, f64)>,
}

/// The password of every generated account (documented in the README; benchmarks sign in).
pub const SEED_PASSWORD: &str = "zhihui-seed-2026";

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "欧阳", "司马",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "华", "慧", "建国", "晓东", "文", "婷", "志强", "海燕", "俊", "宇", "欣", "浩",
    "春梅", "立新",
];
const TEAM_KINDS: &[(OrganizationCategory, &str)] = &[
    (OrganizationCategory::University, "高校科技志愿服务队"),
    (OrganizationCategory::Enterprise, "企业科技志愿服务队"),
    (
        OrganizationCategory::RuralTechnicalAssociation,
        "农技协科技志愿服务队",
    ),
    (OrganizationCategory::Youth, "青少年科技志愿服务队"),
    (OrganizationCategory::ScienceCaravan, "科普大篷车志愿服务队"),
    (OrganizationCategory::Other, "科技志愿服务队"),
];
const ACTIVITY_KINDS: &[(ActivityCategory, &str, &str)] = &[
    (
        ActivityCategory::TechnicalService,
        "果树修剪技术指导",
        "为果农讲解修剪要点并现场示范",
    ),
    (
        ActivityCategory::TechnicalService,
        "设施蔬菜病虫害绿色防控培训",
        "讲解绿色防控技术，现场识别病虫害",
    ),
    (
        ActivityCategory::SciencePopularisation,
        "社区科普讲座",
        "面向社区居民讲解防灾减灾与健康知识",
    ),
    (
        ActivityCategory::SciencePopularisation,
        "青少年科学实验课",
        "带领中小学生动手完成科学小实验",
    ),
    (
        ActivityCategory::Livelihood,
        "义诊与健康咨询",
        "组织医生开展义诊，测量血压血糖并提供咨询",
    ),
    (
        ActivityCategory::Professional,
        "中小企业技术诊断",
        "专家走访企业，诊断生产工艺问题",
    ),
    (
        ActivityCategory::Emergency,
        "防汛应急科普",
        "讲解汛期避险与自救互救知识",
    ),
];

struct Org {
    id: Uuid,
    name: String,
    category: OrganizationCategory,
    level: OrganizationLevel,
    parent: Option<usize>,
    region: String,
    /// Index among the counties (for teams and county associations), to pick members.
    county: Option<usize>,
    members: Vec<Uuid>,
    admin: Option<Uuid>,
}

/// A valid unified social credit code, unique for `n`.
fn credit_code(region: &str, n: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut body = String::from("51");
    body.push_str(region);
    let mut x = n;
    let mut tail = [b'0'; 9];
    for c in tail.iter_mut().rev() {
        *c = ALPHABET[x % ALPHABET.len()];
        x /= ALPHABET.len();
    }
    body.push_str(std::str::from_utf8(&tail).unwrap_or("000000000"));
    let check = zhihui_domain::credit_code::check_character(&body).unwrap_or('0');
    body.push(check);
    body
}

/// A valid ID number for volunteer `i` of a county: unique for `i` below 20 million.
fn id_number(county: &str, i: usize) -> Option<ResidentIdNumber> {
    let birth = NaiveDate::from_ymd_opt(1955, 1, 1)? + Duration::days(((i / 1000) % 18_000) as i64);
    let first17 = format!("{county}{}{:03}", birth.format("%Y%m%d"), i % 1000);
    let check = zhihui_domain::id_number::check_character(first17.as_bytes())?;
    ResidentIdNumber::parse(&format!("{first17}{check}")).ok()
}

fn china_midnight(d: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default()) - Duration::hours(8)
}

fn month_key(t: DateTime<Utc>) -> String {
    let d = t + Duration::hours(8);
    format!("{:04}-{:02}", d.year(), d.month())
}

impl Store {
    /// Loads a data set into an empty database. `password_hash` is the hash of
    /// [`SEED_PASSWORD`] (the caller hashes it once, with the service's settings).
    pub async fn seed(
        &self,
        scale: &SeedScale,
        password_hash: &str,
        now: DateTime<Utc>,
        rng_seed: u64,
        progress: &(dyn Fn(&str) + Sync),
    ) -> StoreResult<SeedReport> {
        if organization::Entity::find().count(&self.db).await? > 0 {
            return Err(StoreError::Conflict {
                code: ProblemCode::DatabaseNotEmpty,
                message: "seed loads into an empty database (organisations exist)".into(),
            });
        }
        let mut rng = StdRng::seed_from_u64(rng_seed);
        let mut report = SeedReport::default();
        let mut clock = Instant::now();
        let mut lap = |report: &mut SeedReport, what: &'static str| {
            report.timings.push((what, clock.elapsed().as_secs_f64()));
            progress(&format!("{what}: {:.1} s", clock.elapsed().as_secs_f64()));
            clock = Instant::now();
        };

        // Regions: provinces, their cities, the cities' counties.
        let regions = region::Entity::find().all(&self.db).await?;
        let mut children: HashMap<String, Vec<&region::Model>> = HashMap::new();
        for r in &regions {
            if let Some(p) = &r.parent_code {
                children.entry(p.clone()).or_default().push(r);
            }
        }
        for v in children.values_mut() {
            v.sort_by(|a, b| a.code.cmp(&b.code));
        }
        let mut provinces: Vec<&region::Model> = regions
            .iter()
            .filter(|r| r.level == RegionLevel::Province)
            .collect();
        provinces.sort_by(|a, b| a.code.cmp(&b.code));
        provinces.truncate(scale.provinces.unwrap_or(usize::MAX));

        // Organisations.
        let platform = Uuid::now_v7();
        let mut orgs: Vec<Org> = vec![];
        let mut counties: Vec<usize> = vec![];
        let org = |name: String, category, level, parent, region: &str, county| Org {
            id: Uuid::now_v7(),
            name,
            category,
            level,
            parent,
            region: region.to_string(),
            county,
            members: vec![],
            admin: None,
        };
        for p in &provinces {
            let pi = orgs.len();
            orgs.push(org(
                format!("{}科学技术协会", p.name),
                OrganizationCategory::ProvincialAssociation,
                OrganizationLevel::Province,
                None,
                &p.code,
                None,
            ));
            orgs.push(org(
                format!("{}农学会", p.name),
                OrganizationCategory::ProvincialSociety,
                OrganizationLevel::Province,
                None,
                &p.code,
                None,
            ));
            let cities = children.get(&p.code).cloned().unwrap_or_default();
            for c in cities
                .iter()
                .take(scale.cities_per_province.unwrap_or(usize::MAX))
            {
                let ci = orgs.len();
                orgs.push(org(
                    format!("{}{}科学技术协会", p.name, c.name),
                    OrganizationCategory::CityAssociation,
                    OrganizationLevel::City,
                    Some(pi),
                    &c.code,
                    None,
                ));
                let cs = children.get(&c.code).cloned().unwrap_or_default();
                for k in cs
                    .iter()
                    .take(scale.counties_per_city.unwrap_or(usize::MAX))
                {
                    let ki = orgs.len();
                    orgs.push(org(
                        format!("{}{}{}科学技术协会", p.name, c.name, k.name),
                        OrganizationCategory::CountyAssociation,
                        OrganizationLevel::County,
                        Some(ci),
                        &k.code,
                        Some(counties.len()),
                    ));
                    counties.push(ki);
                }
            }
        }
        for n in 0..20 {
            orgs.push(org(
                format!("中国第{}专业学会", n + 1),
                OrganizationCategory::NationalSociety,
                OrganizationLevel::National,
                None,
                "110000",
                None,
            ));
        }
        if counties.is_empty() {
            return Err(StoreError::Conflict {
                code: ProblemCode::NoRegions,
                message: "the region list is empty".into(),
            });
        }
        let mut t = 0usize;
        while orgs.len() < scale.organizations {
            let ci = t % counties.len();
            let parent = counties[ci];
            let (category, label) = TEAM_KINDS[(t / counties.len()) % TEAM_KINDS.len()];
            let name = format!(
                "{}{}{}",
                orgs[parent].name.trim_end_matches("科学技术协会"),
                label,
                t / counties.len() / TEAM_KINDS.len() + 1
            );
            let region = orgs[parent].region.clone();
            orgs.push(org(
                name,
                category,
                OrganizationLevel::Grassroots,
                Some(parent),
                &region,
                Some(ci),
            ));
            t += 1;
        }
        // Teams of each county (a county association is a team of its county too).
        let mut teams_of_county: Vec<Vec<usize>> = vec![vec![]; counties.len()];
        for (i, o) in orgs.iter().enumerate() {
            if let Some(c) = o.county {
                teams_of_county[c].push(i);
            }
        }

        // Accounts: an admin for every organisation above the teams and for the first
        // teams of each county, and a platform admin.
        let mut accounts = vec![];
        let mut admins = vec![];
        for (i, o) in orgs.iter_mut().enumerate() {
            if o.level == OrganizationLevel::Grassroots && i % 25 != 0 {
                continue;
            }
            let id = Uuid::now_v7();
            o.admin = Some(id);
            accounts.push(account::ActiveModel {
                id: Set(id),
                login: Set(format!("seed-admin-{i}@zhihui.test")),
                display_name: Set(format!("{}管理员", o.name)),
                password_hash: Set(password_hash.to_string()),
                is_platform_admin: Set(false),
                created_at: Set(now),
            });
            admins.push(organization_admin::ActiveModel {
                organization_id: Set(o.id),
                account_id: Set(id),
                granted_by: Set(None),
                granted_at: Set(now),
            });
        }
        accounts.push(account::ActiveModel {
            id: Set(platform),
            login: Set("seed-platform@zhihui.test".into()),
            display_name: Set("平台管理员".into()),
            password_hash: Set(password_hash.to_string()),
            is_platform_admin: Set(true),
            created_at: Set(now),
        });
        report.accounts += accounts.len();
        self.insert_rows(accounts).await?;

        let mut rows = Vec::with_capacity(orgs.len());
        let mut closure = Vec::with_capacity(orgs.len() * 4);
        for (i, o) in orgs.iter().enumerate() {
            let phone = format!("139{:08}", i);
            let masked = MobilePhone::parse(&phone)
                .map(|p| p.masked())
                .unwrap_or_default();
            rows.push(organization::ActiveModel {
                id: Set(o.id),
                name: Set(o.name.clone()),
                name_key: Set(name_key(&o.name)),
                category: Set(o.category.into()),
                level: Set(o.level.into()),
                parent_id: Set(o.parent.map(|p| orgs[p].id)),
                region_code: Set(o.region.clone()),
                credit_code: Set(Some(credit_code(&o.region, i))),
                contact_name: Set("王芳".into()),
                contact_phone_enc: Set(self.crypto.encrypt(&phone)),
                contact_phone_masked: Set(masked),
                address: Set(None),
                description: Set(None),
                status: Set(OrganizationStatus::Approved.into()),
                rejection_reason: Set(None),
                approved_members: Set(0),
                admin_count: Set(o.admin.map_or(0, |_| 1)),
                created_by: Set(o.admin.unwrap_or(platform)),
                created_at: Set(now - Duration::days(800)),
                updated_at: Set(now - Duration::days(800)),
                version: Set(1),
                // About one county in eight is a priority area.
                priority_area: Set((o.level == OrganizationLevel::County && i % 8 == 3)
                    .then_some(zhihui_domain::PriorityArea::PovertyAlleviated.into())),
            });
            let mut depth = 0;
            let mut at = Some(i);
            while let Some(a) = at {
                closure.push(organization_closure::ActiveModel {
                    ancestor_id: Set(orgs[a].id),
                    descendant_id: Set(o.id),
                    depth: Set(depth),
                });
                depth += 1;
                at = orgs[a].parent;
            }
        }
        report.organizations = rows.len();
        // Parents before children: the list was built top-down.
        self.insert_rows(rows).await?;
        self.insert_rows(closure).await?;
        self.insert_rows(admins).await?;
        lap(&mut report, "organisations, their tree and admin accounts");

        // Volunteers (with valid, unique ID numbers) and their memberships.
        let first_number = counter::Entity::find_by_id("volunteer_number".to_string())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?
            .value
            + 1;
        let since = now - Duration::days(730);
        let mut vol_rows = Vec::with_capacity(10_000);
        let mut mem_rows = Vec::with_capacity(11_000);
        let mut acc_rows = vec![];
        for i in 0..scale.volunteers {
            let c = rng.gen_range(0..counties.len());
            let teams = &teams_of_county[c];
            let team = teams[rng.gen_range(0..teams.len())];
            let county_code = orgs[counties[c]].region.clone();
            let name_text = format!(
                "{}{}",
                SURNAMES[rng.gen_range(0..SURNAMES.len())],
                GIVEN[rng.gen_range(0..GIVEN.len())]
            );
            let (Some(idn), Ok(name), Ok(phone), Ok(region)) = (
                id_number(&county_code, i),
                PersonName::parse(&name_text),
                MobilePhone::parse(&format!("1{}{:09}", [3, 5, 7, 8, 9][i % 5], i)),
                RegionCode::parse(&county_code),
            ) else {
                continue;
            };
            let mut nv = NewVolunteer::identity(&name, &idn, &phone, &region, "registration");
            nv.consent_version = "2025-01".into();
            nv.service_categories = vec![ACTIVITY_KINDS[i % ACTIVITY_KINDS.len()].0];
            let joined = since + Duration::minutes(rng.gen_range(0..730 * 24 * 60));
            if i < scale.volunteer_accounts {
                let aid = Uuid::now_v7();
                nv.account_id = Some(aid);
                acc_rows.push(account::ActiveModel {
                    id: Set(aid),
                    login: Set(format!("seed-v{i}@zhihui.test")),
                    display_name: Set(name_text.clone()),
                    password_hash: Set(password_hash.to_string()),
                    is_platform_admin: Set(false),
                    created_at: Set(joined),
                });
            }
            let mut m = self.volunteer_model(
                &nv,
                Self::volunteer_number(first_number + i as i64, joined),
                joined,
            );
            let vid = Uuid::now_v7();
            m.id = Set(vid);
            let mut joined_teams = vec![team];
            let other = teams[rng.gen_range(0..teams.len())];
            if other != team && rng.gen_bool(0.1) {
                joined_teams.push(other);
            }
            m.active_memberships = Set(joined_teams.len() as i32);
            vol_rows.push(m);
            for t in joined_teams {
                orgs[t].members.push(vid);
                mem_rows.push(membership::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    volunteer_id: Set(vid),
                    organization_id: Set(orgs[t].id),
                    status: Set(MembershipStatus::Approved.into()),
                    reason: Set(None),
                    requested_at: Set(joined),
                    decided_at: Set(Some(joined)),
                    decided_by: Set(orgs[t].admin),
                });
            }
            if vol_rows.len() >= 10_000 || i + 1 == scale.volunteers {
                report.volunteers += vol_rows.len();
                report.memberships += mem_rows.len();
                report.accounts += acc_rows.len();
                self.insert_rows(std::mem::take(&mut acc_rows)).await?;
                self.insert_rows(std::mem::take(&mut vol_rows)).await?;
                self.insert_rows(std::mem::take(&mut mem_rows)).await?;
                if report.volunteers % 500_000 < 10_000 {
                    progress(&format!("  {} volunteers", report.volunteers));
                }
            }
        }
        counter::Entity::update_many()
            .col_expr(
                counter::Column::Value,
                Expr::value(first_number - 1 + scale.volunteers as i64),
            )
            .filter(counter::Column::Name.eq("volunteer_number"))
            .exec(&self.db)
            .await?;
        self.recount_members().await?;
        lap(&mut report, "volunteers and memberships");

        // Activities over the last twelve months (a tenth still ahead), with sign-ups,
        // attendance and confirmed hours for the past ones.
        let per_activity = (scale.records / scale.activities.max(1)).max(1);
        let hosts: Vec<usize> = (0..orgs.len())
            .filter(|&i| !orgs[i].members.is_empty())
            .collect();
        let mut figures: HashMap<(usize, String), (i32, i32, i64)> = HashMap::new();
        let mut acts = Vec::with_capacity(2_000);
        let mut sups = Vec::with_capacity(30_000);
        let mut recs = Vec::with_capacity(30_000);
        let today = (now + Duration::hours(8)).date_naive();
        for a in 0..scale.activities {
            if hosts.is_empty() {
                break;
            }
            let host = hosts[rng.gen_range(0..hosts.len())];
            let o = &orgs[host];
            let (category, title, description) = ACTIVITY_KINDS[a % ACTIVITY_KINDS.len()];
            let day = today - Duration::days(rng.gen_range(-36..330));
            let starts = china_midnight(day) + Duration::hours(9);
            let ends = starts + Duration::hours(rng.gen_range(2..5));
            let past = ends < now;
            let cancelled = rng.gen_bool(0.03);
            let capacity = rng.gen_range(per_activity as i32..=(per_activity as i32 * 2 + 10));
            let want = if cancelled {
                0
            } else {
                rng.gen_range(per_activity / 2..=per_activity + per_activity / 2)
            }
            .min(o.members.len())
            .min(capacity as usize);
            let id = Uuid::now_v7();
            let chosen: Vec<Uuid> = o.members.choose_multiple(&mut rng, want).copied().collect();
            let place = format!("{}活动中心", o.name.trim_end_matches("科学技术协会"));
            let title = format!("{title}（{}）", a + 1);
            acts.push(activity::ActiveModel {
                id: Set(id),
                organization_id: Set(o.id),
                title: Set(title.clone()),
                category: Set(category.into()),
                description: Set(description.to_string()),
                starts_at: Set(starts),
                ends_at: Set(ends),
                place: Set(place.clone()),
                region_code: Set(o.region.clone()),
                capacity: Set(capacity),
                sign_up_opens_at: Set(starts - Duration::days(14)),
                sign_up_closes_at: Set(starts - Duration::hours(2)),
                members_only: Set(false),
                key_date: Set(None),
                status: Set(if cancelled {
                    ActivityStatus::Cancelled
                } else {
                    ActivityStatus::Published
                }
                .into()),
                cancel_reason: Set(cancelled.then(|| "天气原因".to_string())),
                confirmed_count: Set(chosen.len() as i32),
                waitlist_count: Set(0),
                created_by: Set(o.admin.unwrap_or(platform)),
                created_at: Set(starts - Duration::days(20)),
                updated_at: Set(starts - Duration::days(20)),
                version: Set(2),
                service_point_id: Set(None),
                campaign_id: Set(None),
            });
            let month = month_key(starts);
            let f = figures.entry((host, month)).or_default();
            if !cancelled && past {
                f.0 += 1;
            }
            for v in chosen {
                let sid = Uuid::now_v7();
                sups.push(sign_up::ActiveModel {
                    id: Set(sid),
                    activity_id: Set(id),
                    volunteer_id: Set(v),
                    status: Set(SignUpStatus::Confirmed.into()),
                    signed_up_at: Set(starts - Duration::days(rng.gen_range(1..14))),
                    promoted_at: Set(None),
                    cancelled_at: Set(None),
                    checked_in_at: Set(past.then_some(starts)),
                    checked_out_at: Set(past.then_some(ends)),
                    absent: Set(false),
                    attendance_source: Set(past.then_some(AttendanceSource::Code.into())),
                    attendance_confirmed_at: Set(None),
                    starts_at: Set(starts),
                    ends_at: Set(ends),
                });
                if past {
                    let tenths = (ends - starts).num_hours() as i32 * 10;
                    f.1 += 1;
                    f.2 += tenths as i64;
                    recs.push(service_record::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        sign_up_id: Set(sid),
                        volunteer_id: Set(v),
                        activity_id: Set(id),
                        organization_id: Set(o.id),
                        activity_title: Set(title.clone()),
                        category: Set(category.into()),
                        service_date: Set(day),
                        place: Set(place.clone()),
                        content: Set(description.to_string()),
                        hours_tenths: Set(tenths),
                        responsible_person: Set("王芳".into()),
                        confirmed_by: Set(o.admin.unwrap_or(platform)),
                        confirmed_at: Set(ends + Duration::days(1)),
                        updated_at: Set(ends + Duration::days(1)),
                    });
                }
            }
            if acts.len() >= 2_000 || a + 1 == scale.activities {
                report.activities += acts.len();
                report.sign_ups += sups.len();
                report.records += recs.len();
                self.insert_rows(std::mem::take(&mut acts)).await?;
                self.insert_rows(std::mem::take(&mut sups)).await?;
                self.insert_rows(std::mem::take(&mut recs)).await?;
            }
        }
        lap(&mut report, "activities, sign-ups and service records");

        // Monthly reports of the last six months, from the figures generated.
        let mut reps = Vec::with_capacity(10_000);
        let this_month =
            chrono::NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
        for (i, o) in orgs.iter().enumerate() {
            for back in 1..=6u32 {
                let first = this_month
                    .checked_sub_months(chrono::Months::new(back))
                    .unwrap_or(this_month);
                let month = format!("{:04}-{:02}", first.year(), first.month());
                if rng.gen_bool(0.08) {
                    continue; // not filed
                }
                let (held, attendances, tenths) = figures
                    .get(&(i, month.clone()))
                    .copied()
                    .unwrap_or_default();
                let submitted = china_midnight(
                    first
                        .checked_add_months(chrono::Months::new(1))
                        .unwrap_or(first)
                        + Duration::days(rng.gen_range(0..8)),
                ) + Duration::hours(10);
                if submitted > now {
                    continue;
                }
                let accepted = back > 1 || rng.gen_bool(0.5);
                reps.push(monthly_report::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    organization_id: Set(o.id),
                    month: Set(month),
                    activities_held: Set(held),
                    attendances: Set(attendances),
                    hours_tenths: Set(tenths),
                    new_volunteers: Set(0),
                    pairing_activities: Set(0),
                    needs_served: Set(0),
                    exhibition_visitors: Set(0),
                    people_served: Set(Some(held * rng.gen_range(20..80))),
                    narrative: Set("本月按计划开展科技志愿服务活动。".into()),
                    highlights: Set(String::new()),
                    problems: Set(String::new()),
                    next_plan: Set("继续开展技术指导与科普活动。".into()),
                    status: Set(if accepted {
                        ReportStatus::Accepted
                    } else {
                        ReportStatus::Submitted
                    }
                    .into()),
                    submitted_at: Set(Some(submitted)),
                    late: Set(Some(submitted.date_naive().day() > 5)),
                    return_reason: Set(None),
                    returned_at: Set(None),
                    accepted_at: Set(accepted.then(|| submitted + Duration::days(2))),
                    decided_by: Set(accepted
                        .then_some(o.parent.and_then(|p| orgs[p].admin).unwrap_or(platform))),
                    created_by: Set(o.admin.unwrap_or(platform)),
                    created_at: Set(submitted - Duration::days(1)),
                    updated_at: Set(submitted),
                    version: Set(3),
                });
                if reps.len() >= 10_000 {
                    report.monthly_reports += reps.len();
                    self.insert_rows(std::mem::take(&mut reps)).await?;
                }
            }
        }
        report.monthly_reports += reps.len();
        self.insert_rows(reps).await?;
        lap(&mut report, "monthly reports");
        report.needs = self
            .seed_needs(scale, &orgs, platform, now, &mut rng)
            .await?;
        lap(&mut report, "needs");
        self.seed_hub(scale, &orgs, platform, now, &mut rng, &mut report)
            .await?;
        lap(&mut report, "service points and exhibitions");
        self.seed_campaigns(&orgs, now, &mut rng, &mut report)
            .await?;
        lap(&mut report, "campaigns");
        // Each organisation's monthly figures, from the records just loaded.
        crate::repo::figures::rebuild(&self.db).await?;
        lap(&mut report, "monthly figures");
        // Each volunteer's totals, likewise.
        crate::repo::volunteer_totals::rebuild(&self.db).await?;
        lap(&mut report, "volunteer totals");
        // Fresh statistics: without them the planner takes the new tables for empty and
        // scans them.
        self.analyze().await?;
        lap(&mut report, "statistics");
        Ok(report)
    }

    /// Needs of the county associations and grassroots teams over the last twelve months:
    /// past windows mostly served and rated, about a tenth unmet (expired), a few cancelled;
    /// current ones open, dispatched, claimed or scheduled. Holders are teams of the same
    /// county, else a national society. Seeded needs are not linked to activities.
    async fn seed_needs(
        &self,
        scale: &SeedScale,
        orgs: &[Org],
        platform: Uuid,
        now: DateTime<Utc>,
        rng: &mut StdRng,
    ) -> StoreResult<usize> {
        use zhihui_domain::need::serves_needs;
        use zhihui_domain::{AudienceKind, NeedStatus, PriorityArea, SkillField};
        let requesters: Vec<&Org> = orgs
            .iter()
            .filter(|o| {
                zhihui_domain::need::check_requester(o.category, o.level, false).is_ok()
                    && o.county.is_some()
            })
            .collect();
        if requesters.is_empty() || scale.needs == 0 {
            return Ok(0);
        }
        let mut teams_of: HashMap<usize, Vec<Uuid>> = HashMap::new();
        for o in orgs {
            if let (Some(c), true) = (o.county, serves_needs(o.category)) {
                teams_of.entry(c).or_default().push(o.id);
            }
        }
        let nationals: Vec<Uuid> = orgs
            .iter()
            .filter(|o| o.category == OrganizationCategory::NationalSociety)
            .map(|o| o.id)
            .collect();
        let today = (now + Duration::hours(8)).date_naive();
        let phone = "13900139000";
        let phone_enc = self.crypto.encrypt(phone);
        let masked = MobilePhone::parse(phone)
            .map(|p| p.masked())
            .unwrap_or_default();
        let mut rows = Vec::with_capacity(5_000);
        let mut count = 0;
        for n in 0..scale.needs {
            let r = requesters[rng.gen_range(0..requesters.len())];
            let (category, title, description) =
                ACTIVITY_KINDS[rng.gen_range(0..ACTIVITY_KINDS.len())];
            let posted_day = today - Duration::days(rng.gen_range(0..365));
            let window_from = posted_day + Duration::days(rng.gen_range(3..20));
            let window_to = window_from + Duration::days(rng.gen_range(20..90));
            let published = china_midnight(posted_day) + Duration::hours(10);
            let holder = r
                .county
                .and_then(|c| teams_of.get(&c))
                .filter(|t| !t.is_empty())
                .map(|t| t[rng.gen_range(0..t.len())])
                .or_else(|| nationals.first().copied());
            let past = window_to < today;
            let roll: f64 = rng.gen();
            let status = if past {
                match roll {
                    x if x < 0.10 => NeedStatus::Open, // expired: unmet
                    x if x < 0.15 => NeedStatus::Cancelled,
                    x if x < 0.35 => NeedStatus::Served,
                    _ => NeedStatus::Rated,
                }
            } else {
                match roll {
                    x if x < 0.5 => NeedStatus::Open,
                    x if x < 0.6 => NeedStatus::Dispatched,
                    x if x < 0.8 => NeedStatus::Claimed,
                    _ => NeedStatus::Scheduled,
                }
            };
            let held = !matches!(status, NeedStatus::Open | NeedStatus::Cancelled);
            let scheduled = matches!(
                status,
                NeedStatus::Scheduled | NeedStatus::Served | NeedStatus::Rated
            );
            let days_to_schedule = rng.gen_range(1..25);
            let scheduled_at = published + Duration::days(days_to_schedule);
            let served_at = china_midnight(window_from) + Duration::days(rng.gen_range(0..15));
            let served =
                matches!(status, NeedStatus::Served | NeedStatus::Rated) && served_at < now;
            let status = if matches!(status, NeedStatus::Served | NeedStatus::Rated) && !served {
                NeedStatus::Scheduled
            } else {
                status
            };
            let rated = status == NeedStatus::Rated;
            let priority_area = match n % 10 {
                0 => Some(PriorityArea::PovertyAlleviated),
                1 => Some(PriorityArea::RemoteMountain),
                _ => None,
            };
            let field = SkillField::ALL[n % SkillField::ALL.len()];
            rows.push(service_need::ActiveModel {
                id: Set(Uuid::now_v7()),
                requester_id: Set(r.id),
                county_id: Set(r.county.map(|_| {
                    if r.level == OrganizationLevel::County {
                        r.id
                    } else {
                        r.parent.map(|p| orgs[p].id).unwrap_or(r.id)
                    }
                })),
                title: Set(title.to_string()),
                description: Set(description.to_string()),
                category: Set(category.into()),
                skill_fields: Set(format!("[\"{}\"]", field.as_str())),
                skill_tags: Set("[]".into()),
                audience: Set(AudienceKind::ALL[n % AudienceKind::ALL.len()].into()),
                audience_size: Set(rng.gen_range(20..120)),
                place: Set(format!("{}活动室", r.name)),
                region_code: Set(r.region.clone()),
                window_from: Set(window_from),
                window_to: Set(window_to),
                priority: Set(i16::from(priority_area.is_some())),
                priority_area: Set(priority_area.map(Into::into)),
                contact_name: Set("李春华".into()),
                contact_phone_enc: Set(phone_enc.clone()),
                contact_phone_masked: Set(masked.clone()),
                status: Set(status.into()),
                holder_id: Set(if held { holder } else { None }),
                activity_id: Set(None),
                pairing_id: Set(None),
                published_at: Set(Some(published)),
                published_month: Set(Some(month_key(published))),
                scheduled_at: Set(scheduled.then_some(scheduled_at)),
                days_to_schedule: Set(scheduled.then_some(days_to_schedule as i32)),
                served_at: Set(served.then_some(served_at)),
                served_month: Set(served.then(|| month_key(served_at))),
                rated_at: Set(rated.then(|| served_at + Duration::days(3))),
                stars: Set(rated.then(|| rng.gen_range(3..=5))),
                people_reached: Set(rated.then(|| rng.gen_range(15..100))),
                rating_comment: Set(None),
                cancel_reason: Set(
                    (status == NeedStatus::Cancelled).then(|| "已自行安排".to_string())
                ),
                // Needs that expired before the data set was made are not news.
                expiry_announced_at: Set((past && status == NeedStatus::Open).then_some(now)),
                service_point_id: Set(None),
                created_by: Set(platform),
                created_at: Set(published),
                updated_at: Set(published),
                version: Set(2),
            });
            if rows.len() >= 5_000 {
                count += rows.len();
                self.insert_rows(std::mem::take(&mut rows)).await?;
            }
        }
        count += rows.len();
        self.insert_rows(rows).await?;
        Ok(count)
    }

    /// Service points and exhibitions (rules 57-62): each county's civilisation-practice
    /// centre (two exhibition slots), then stations, posts, bases and stations of its
    /// grassroots teams, round-robin over the counties; the county association's
    /// exhibitions rotate monthly between the county's points that show them, from six
    /// months ago to three months ahead, never two in one slot or one in two places. Past
    /// stays have their visits recorded.
    async fn seed_hub(
        &self,
        scale: &SeedScale,
        orgs: &[Org],
        platform: Uuid,
        now: DateTime<Utc>,
        rng: &mut StdRng,
        report: &mut SeedReport,
    ) -> StoreResult<()> {
        use crate::entities::{exhibition, exhibition_stay, service_point};
        use zhihui_domain::{ExhibitionCategory, ServicePointKind, StayStatus};
        const THEMES: &[(&str, ExhibitionCategory)] = &[
            ("防范电信诈骗", ExhibitionCategory::ScientificLiving),
            ("垃圾分类", ExhibitionCategory::Ecology),
            ("急救知识", ExhibitionCategory::Health),
            ("防灾减灾", ExhibitionCategory::EmergencySafety),
            ("航天科技", ExhibitionCategory::FrontierScience),
            ("智慧农业", ExhibitionCategory::RuralRevitalisation),
            ("数字生活", ExhibitionCategory::DigitalLiteracy),
            ("科学家精神", ExhibitionCategory::ScientistSpirit),
            ("合理膳食", ExhibitionCategory::Health),
            ("节水护水", ExhibitionCategory::Ecology),
            ("用电安全", ExhibitionCategory::EmergencySafety),
            ("人工智能", ExhibitionCategory::FrontierScience),
        ];
        if scale.service_points == 0 {
            return Ok(());
        }
        // Per county: its association and its grassroots teams.
        let mut county_assoc: HashMap<usize, usize> = HashMap::new();
        let mut teams: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, o) in orgs.iter().enumerate() {
            match (o.county, o.level) {
                (Some(c), OrganizationLevel::County)
                    if o.category == OrganizationCategory::CountyAssociation =>
                {
                    county_assoc.insert(c, i);
                }
                (Some(c), OrganizationLevel::Grassroots) => teams.entry(c).or_default().push(i),
                _ => {}
            }
        }
        let mut counties: Vec<usize> = county_assoc.keys().copied().collect();
        counties.sort_unstable();
        if counties.is_empty() {
            return Ok(());
        }
        let others = [
            (ServicePointKind::CivilisationStation, "新时代文明实践所", 1),
            (ServicePointKind::CivilisationPost, "新时代文明实践站", 1),
            (ServicePointKind::ScienceEducationBase, "科普教育基地", 1),
            (ServicePointKind::CommunityScienceStation, "社区科普e站", 0),
            (
                ServicePointKind::VillageTechnicalStation,
                "村级科技服务站",
                0,
            ),
        ];
        // (county, point id, slots)
        let mut placed: Vec<(usize, Uuid, i32)> = Vec::with_capacity(scale.service_points);
        let mut rows = Vec::with_capacity(5_000);
        let created = now - Duration::days(400);
        for n in 0..scale.service_points {
            let c = counties[n % counties.len()];
            let round = n / counties.len();
            let (org, kind, name, slots) = if round == 0 {
                let o = &orgs[county_assoc[&c]];
                (
                    o,
                    ServicePointKind::CivilisationCentre,
                    format!(
                        "{}新时代文明实践中心",
                        o.name.trim_end_matches("科学技术协会")
                    ),
                    2,
                )
            } else {
                let (kind, suffix, slots) = others[(round - 1) % others.len()];
                let o = teams
                    .get(&c)
                    .filter(|t| !t.is_empty())
                    .map(|t| &orgs[t[round % t.len()]])
                    .unwrap_or(&orgs[county_assoc[&c]]);
                (o, kind, format!("{}第{round}{suffix}", o.name), slots)
            };
            let id = Uuid::now_v7();
            placed.push((c, id, slots));
            rows.push(service_point::ActiveModel {
                id: Set(id),
                organization_id: Set(org.id),
                name: Set(name.chars().take(100).collect()),
                kind: Set(kind.into()),
                region_code: Set(org.region.clone()),
                address: Set(format!("{}中心路{}号", org.name, rng.gen_range(1..300))),
                opening_hours: Set("周二至周日 9:00-17:00".into()),
                capacity: Set(rng.gen_range(50..500)),
                exhibition_slots: Set(slots),
                created_by: Set(org.admin.unwrap_or(platform)),
                created_at: Set(created),
                updated_at: Set(created),
                version: Set(1),
            });
            if rows.len() >= 5_000 {
                report.service_points += rows.len();
                self.insert_rows(std::mem::take(&mut rows)).await?;
            }
        }
        report.service_points += rows.len();
        self.insert_rows(rows).await?;

        // Each county's points that show exhibitions, one seat per slot.
        let mut seats: HashMap<usize, Vec<Uuid>> = HashMap::new();
        for (c, id, slots) in &placed {
            for _ in 0..*slots {
                seats.entry(*c).or_default().push(*id);
            }
        }
        let per_county = scale.exhibitions.div_ceil(counties.len()).max(1);
        let today = (now + Duration::hours(8)).date_naive();
        let first = today - Duration::days(180);
        let mut exhibitions = Vec::with_capacity(5_000);
        let mut stays = Vec::with_capacity(5_000);
        let mut made = 0;
        'counties: for c in &counties {
            let Some(seats) = seats.get(c) else { continue };
            let owner = &orgs[county_assoc[c]];
            // At most one exhibition per seat: each month is then a permutation of seats.
            for i in 0..per_county.min(seats.len()) {
                if made == scale.exhibitions {
                    break 'counties;
                }
                made += 1;
                let (theme, category) = THEMES[(made + i) % THEMES.len()];
                let eid = Uuid::now_v7();
                exhibitions.push(exhibition::ActiveModel {
                    id: Set(eid),
                    owner_id: Set(owner.id),
                    title: Set(format!("{theme}科普微展览")),
                    theme: Set(theme.into()),
                    category: Set(category.into()),
                    panels: Set(rng.gen_range(8..30)),
                    description: Set(String::new()),
                    created_by: Set(owner.admin.unwrap_or(platform)),
                    created_at: Set(created),
                    updated_at: Set(created),
                    version: Set(1),
                });
                for k in 0..9 {
                    let from = first + Duration::days(30 * k as i64);
                    let to = from + Duration::days(29);
                    // Seat i in month k: seats (i + k) mod n, a different seat per
                    // exhibition each month; two seats of one centre may hold two.
                    let point = seats[(i + k) % seats.len()];
                    let past = to < today;
                    let visitors = if past { rng.gen_range(100..2_000) } else { 0 };
                    stays.push(exhibition_stay::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        exhibition_id: Set(eid),
                        service_point_id: Set(point),
                        starts_on: Set(from),
                        ends_on: Set(to),
                        year: Set(from.year()),
                        status: Set(StayStatus::Scheduled.into()),
                        visitors: Set(visitors),
                        guided_tours: Set(if past { visitors / 40 } else { 0 }),
                        lectures: Set(if past { rng.gen_range(0..4) } else { 0 }),
                        visits_recorded_at: Set(
                            past.then(|| china_midnight(to) + Duration::hours(9))
                        ),
                        created_by: Set(owner.admin.unwrap_or(platform)),
                        created_at: Set(created),
                        updated_at: Set(created),
                        version: Set(1),
                    });
                }
                if stays.len() >= 5_000 {
                    report.exhibitions += exhibitions.len();
                    report.exhibition_stays += stays.len();
                    self.insert_rows(std::mem::take(&mut exhibitions)).await?;
                    self.insert_rows(std::mem::take(&mut stays)).await?;
                }
            }
        }
        report.exhibitions += exhibitions.len();
        report.exhibition_stays += stays.len();
        self.insert_rows(exhibitions).await?;
        self.insert_rows(stays).await?;
        Ok(())
    }

    /// One open campaign per city association for its county associations (the year's
    /// lectures, at least three each, due in twenty days): about a fifth have not answered,
    /// the rest have one to five entries, and most of those with three or more completed.
    async fn seed_campaigns(
        &self,
        orgs: &[Org],
        now: DateTime<Utc>,
        rng: &mut StdRng,
        report: &mut SeedReport,
    ) -> StoreResult<()> {
        use crate::entities::{campaign, campaign_entry, campaign_submission};
        use zhihui_domain::campaign::{CustomField, MAX_ENTRIES};
        use zhihui_domain::{ActivityCategory, CampaignStatus, CustomFieldKind, EntryStatus};
        let today = (now + Duration::hours(8)).date_naive();
        let deadline = today + Duration::days(20);
        let year = (today + Duration::days(40)).year();
        let fields = vec![CustomField {
            key: "mode".into(),
            label: "活动形式".into(),
            kind: CustomFieldKind::Choice,
            required: true,
            choices: vec!["线上".into(), "线下".into()],
        }];
        let fields_json = serde_json::to_string(&fields).unwrap_or_default();
        let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, o) in orgs.iter().enumerate() {
            if o.category == OrganizationCategory::CountyAssociation {
                if let Some(p) = o.parent {
                    children.entry(p).or_default().push(i);
                }
            }
        }
        let mut cities: Vec<usize> = children.keys().copied().collect();
        cities.sort_unstable();
        let (mut cs, mut subs, mut entries) = (vec![], vec![], vec![]);
        let opened = now - Duration::days(10);
        for c in cities {
            let owner = &orgs[c];
            if owner.category != OrganizationCategory::CityAssociation {
                continue;
            }
            let id = Uuid::now_v7();
            let by = owner.admin.unwrap_or(owner.id);
            cs.push(campaign::ActiveModel {
                id: Set(id),
                owner_id: Set(owner.id),
                title: Set(format!("{year}年度科普讲座活动征集")),
                purpose: Set("各县（区）科协至少开展3场科普讲座，请于截止日期前填报。".into()),
                year: Set(year),
                addressed_categories: Set(serde_json::to_string(&[
                    OrganizationCategory::CountyAssociation.as_str(),
                ])
                .unwrap_or_default()),
                addressed_levels: Set("[]".into()),
                min_entries: Set(3),
                custom_fields: Set(fields_json.clone()),
                deadline: Set(deadline),
                status: Set(CampaignStatus::Open.into()),
                opened_at: Set(Some(opened)),
                closed_at: Set(None),
                reminded_at: Set(None),
                created_by: Set(by),
                created_at: Set(opened),
                updated_at: Set(opened),
                version: Set(2),
            });
            for &k in &children[&c] {
                let county = &orgs[k];
                let n: i32 = if rng.gen_bool(0.2) {
                    0
                } else {
                    rng.gen_range(1..=5)
                };
                let n = n.min(MAX_ENTRIES as i32);
                let completed = n >= 3 && rng.gen_bool(0.7);
                let at = opened + Duration::days(rng.gen_range(1..=9));
                subs.push(campaign_submission::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    campaign_id: Set(id),
                    organization_id: Set(county.id),
                    entries: Set(n),
                    first_entry_at: Set((n > 0).then_some(at)),
                    completed_on: Set(completed.then(|| (at + Duration::hours(8)).date_naive())),
                    completed_at: Set(completed.then_some(at)),
                    late: Set(false),
                    reopened_until: Set(None),
                    updated_at: Set(at),
                    version: Set(1 + n),
                });
                for e in 0..n {
                    entries.push(campaign_entry::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        campaign_id: Set(id),
                        organization_id: Set(county.id),
                        title: Set(format!(
                            "{}科普讲座（{}）",
                            county.name.trim_end_matches("科学技术协会"),
                            e + 1
                        )
                        .chars()
                        .take(100)
                        .collect()),
                        topic: Set(ActivityCategory::SciencePopularisation.into()),
                        lead: Set(format!(
                            "{}{}",
                            SURNAMES[rng.gen_range(0..SURNAMES.len())],
                            "教授"
                        )),
                        planned_month: Set(rng.gen_range(1..=12)),
                        place: Set(format!(
                            "{}活动中心",
                            county.name.trim_end_matches("科学技术协会")
                        )),
                        expected_audience: Set(rng.gen_range(30..300)),
                        // The repository's spelling of custom values: (key, value) pairs.
                        custom: Set(serde_json::to_string(&[(
                            "mode",
                            if rng.gen_bool(0.3) {
                                "线上"
                            } else {
                                "线下"
                            },
                        )])
                        .unwrap_or_default()),
                        status: Set(EntryStatus::Submitted.into()),
                        activity_id: Set(None),
                        created_by: Set(county.admin.unwrap_or(by)),
                        created_at: Set(at),
                        updated_at: Set(at),
                        version: Set(1),
                    });
                }
            }
        }
        report.campaigns = cs.len();
        report.campaign_entries = entries.len();
        self.insert_rows(cs).await?;
        self.insert_rows(subs).await?;
        self.insert_rows(entries).await?;
        Ok(())
    }

    async fn insert_rows<A>(&self, rows: Vec<A>) -> StoreResult<()>
    where
        A: ActiveModelTrait + Send,
        <A::Entity as EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
    {
        crate::repo::insert_in_chunks(&self.db, rows).await
    }

    async fn analyze(&self) -> StoreResult<()> {
        use sea_orm::ConnectionTrait;
        // On PostgreSQL VACUUM also sets the visibility map, without which the roll-up's
        // index-only scans would visit the heap after all.
        let sql = match self.db.get_database_backend() {
            sea_orm::DbBackend::Postgres => "VACUUM ANALYZE",
            _ => "ANALYZE",
        };
        self.db.execute_unprepared(sql).await?;
        Ok(())
    }

    /// Sets every organisation's member count from its approved memberships.
    async fn recount_members(&self) -> StoreResult<()> {
        use sea_orm::ConnectionTrait;
        self.db
            .execute_unprepared(
                "UPDATE organizations SET approved_members = (SELECT count(*) FROM memberships m \
                 WHERE m.organization_id = organizations.id AND m.status = 'approved')",
            )
            .await?;
        Ok(())
    }
}
