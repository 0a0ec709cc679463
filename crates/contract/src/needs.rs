//! Needs (科普需求) and their matching: posted (点单), dispatched (派单) or claimed (接单),
//! scheduled, served and rated (评单), rules 46-53.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

use crate::form::{Problems, Rejected};
use crate::pairing::{PairingRef, PartyView};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateNeedRequest {
    /// The requesting organisation (a county association or volunteer federation, or a
    /// township, school, enterprise or community team); the caller administers it.
    pub organization_id: Uuid,
    /// What is needed, as a topic.
    #[schema(example = "设施蔬菜病虫害绿色防控技术培训")]
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub title: String,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    #[serde(default)]
    pub description: String,
    /// The national activity category (rule 17).
    #[schema(schema_with = crate::values::activity_category)]
    pub category: String,
    /// Skill fields wanted.
    #[validate(length(max = 8))]
    #[schema(schema_with = crate::values::skill_fields)]
    #[serde(default)]
    pub skill_fields: Vec<String>,
    /// Free tags, each 1 to 20 characters, e.g. `果树修剪`.
    #[validate(length(max = 10))]
    #[schema(max_items = 10)]
    #[serde(default)]
    pub skill_tags: Vec<String>,
    #[schema(schema_with = crate::values::audience_kind)]
    pub audience: String,
    /// How many people the service is for.
    #[schema(minimum = 1, maximum = 100_000)]
    pub audience_size: i32,
    #[schema(example = "西兆通镇文化站")]
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub place: String,
    /// GB/T 2260 county code of the place.
    #[schema(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: String,
    /// First day the service may take place.
    #[validate(custom(function = "crate::bounds::date"))]
    pub window_from: NaiveDate,
    /// Last day; the need expires after it unless an activity exists.
    #[validate(custom(function = "crate::bounds::date"))]
    pub window_to: NaiveDate,
    /// The priority area the requester declares; when the county the need is posted under
    /// is flagged by an organisation above it (`set_organization_priority_area`), the
    /// county's flag applies instead.
    #[schema(schema_with = crate::values::priority_area_or_null)]
    pub priority_area: Option<String>,
    #[schema(example = "李春华")]
    #[validate(length(min = 2, max = 50))]
    #[schema(min_length = 2, max_length = 50)]
    pub contact_name: String,
    /// Mainland mobile number; stored encrypted, shown to the requester, its parent and the
    /// team holding the need.
    #[schema(example = "13900139000")]
    #[schema(pattern = "^[+0-9 -]+$")]
    pub contact_phone: String,
    /// The service point (服务点) the need is for: one the requester is responsible for.
    /// Naming it lets any organisation responsible for a service point post (rule 46), and
    /// the activity scheduled from the need is held there.
    #[serde(default)]
    pub service_point_id: Option<Uuid>,
}

/// Partial update of a draft or open need; absent fields stay as they are. Send
/// `If-Match` with the ETag.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateNeedRequest {
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub title: Option<String>,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    #[schema(schema_with = crate::values::activity_category_or_null)]
    pub category: Option<String>,
    #[validate(length(max = 8))]
    #[schema(schema_with = crate::values::skill_fields)]
    pub skill_fields: Option<Vec<String>>,
    #[validate(length(max = 10))]
    #[schema(max_items = 10)]
    pub skill_tags: Option<Vec<String>>,
    #[schema(schema_with = crate::values::audience_kind_or_null)]
    pub audience: Option<String>,
    #[schema(minimum = 1, maximum = 100_000)]
    pub audience_size: Option<i32>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub place: Option<String>,
    #[schema(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: Option<String>,
    #[validate(custom(function = "crate::bounds::date"))]
    pub window_from: Option<NaiveDate>,
    #[validate(custom(function = "crate::bounds::date"))]
    pub window_to: Option<NaiveDate>,
    /// A priority area, or `null` to keep the present one.
    #[schema(schema_with = crate::values::priority_area_or_null)]
    pub priority_area: Option<String>,
    #[validate(length(min = 2, max = 50))]
    #[schema(min_length = 2, max_length = 50)]
    pub contact_name: Option<String>,
    #[schema(pattern = "^[+0-9 -]+$")]
    pub contact_phone: Option<String>,
}

/// A need's content as the form and the service both check it (需求草稿). Whether the
/// requester may post and the region exists are the service's to check.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedDraft {
    pub title: String,
    pub description: String,
    pub category: d::ActivityCategory,
    pub skills: d::need::WantedSkills,
    pub audience: d::AudienceKind,
    pub audience_size: i32,
    pub place: String,
    pub region: d::RegionCode,
    pub window_from: NaiveDate,
    pub window_to: NaiveDate,
    pub priority_area: Option<d::PriorityArea>,
    pub contact_name: String,
    pub contact_phone: d::MobilePhone,
}

/// The raw values of a need before checking, whether new or amended.
struct Raw<'a> {
    title: &'a str,
    description: &'a str,
    category: &'a str,
    skill_fields: &'a [String],
    skill_tags: &'a [String],
    audience: &'a str,
    audience_size: i32,
    place: &'a str,
    region_code: &'a str,
    window_from: NaiveDate,
    window_to: NaiveDate,
    priority_area: Option<&'a str>,
    contact_name: &'a str,
    contact_phone: &'a str,
}

impl Raw<'_> {
    fn check(self, mut p: Problems, today: NaiveDate) -> Result<NeedDraft, Rejected> {
        use d::ProblemCode as C;
        let category = p.closed("category", C::UnknownActivityCategory, self.category);
        let audience = p.closed("audience", C::UnknownAudience, self.audience);
        let priority_area = match self.priority_area {
            None => Some(None),
            Some(a) => p
                .closed("priority_area", C::UnknownPriorityArea, a)
                .map(Some),
        };
        let mut fields = vec![];
        for (i, f) in self.skill_fields.iter().enumerate() {
            if let Some(f) = p.closed::<d::SkillField>(
                &format!("skill_fields[{i}]"),
                C::UnknownSkillField,
                f.trim(),
            ) {
                if !fields.contains(&f) {
                    fields.push(f);
                }
            }
        }
        let mut tags: Vec<String> = vec![];
        for (i, t) in self.skill_tags.iter().enumerate() {
            let t = t.trim();
            let n = t.chars().count();
            if n == 0 || n > 20 {
                p.push(
                    &format!("skill_tags[{i}]"),
                    C::Length,
                    "a tag has 1 to 20 characters",
                );
            } else if !tags.iter().any(|x| x == t) {
                tags.push(t.to_string());
            }
        }
        if !(1..=d::need::MAX_AUDIENCE).contains(&self.audience_size) {
            p.push(
                "audience_size",
                C::Range,
                "the audience counts 1 to 100,000 people",
            );
        }
        let title = self.title.trim();
        if title.chars().count() < 2 && !p.has("title") {
            p.push("title", C::Length, "a title has 2 to 100 characters");
        }
        let place = self.place.trim();
        if place.is_empty() && !p.has("place") {
            p.push("place", C::Length, "the place is required");
        }
        let region = p.parse("region_code", d::RegionCode::parse(self.region_code));
        p.parse("contact_name", d::PersonName::parse(self.contact_name));
        let phone = p.parse("contact_phone", d::MobilePhone::parse(self.contact_phone));
        if let Err((field, e)) = d::need::check_window(self.window_from, self.window_to, today) {
            if !p.has(field) {
                p.push(field, e.code, e.message);
            }
        }
        let draft = match (category, audience, priority_area, region, phone) {
            (Some(category), Some(audience), Some(priority_area), Some(region), Some(phone)) => {
                Some(NeedDraft {
                    title: title.to_string(),
                    description: self.description.trim().to_string(),
                    category,
                    skills: d::need::WantedSkills { fields, tags },
                    audience,
                    audience_size: self.audience_size,
                    place: place.to_string(),
                    region,
                    window_from: self.window_from,
                    window_to: self.window_to,
                    priority_area,
                    contact_name: self.contact_name.trim().to_string(),
                    contact_phone: phone,
                })
            }
            _ => None,
        };
        p.done(draft)
    }
}

/// A new need checked on `today` (China's date: the window must not have ended).
impl TryFrom<(&CreateNeedRequest, NaiveDate)> for NeedDraft {
    type Error = Rejected;

    fn try_from((r, today): (&CreateNeedRequest, NaiveDate)) -> Result<Self, Rejected> {
        Raw {
            title: &r.title,
            description: &r.description,
            category: &r.category,
            skill_fields: &r.skill_fields,
            skill_tags: &r.skill_tags,
            audience: &r.audience,
            audience_size: r.audience_size,
            place: &r.place,
            region_code: &r.region_code,
            window_from: r.window_from,
            window_to: r.window_to,
            priority_area: r.priority_area.as_deref(),
            contact_name: &r.contact_name,
            contact_phone: &r.contact_phone,
        }
        .check(Problems::validate(r), today)
    }
}

impl NeedDraft {
    /// This draft with a partial update applied, checked as a whole on `today`.
    pub fn amended(&self, r: &UpdateNeedRequest, today: NaiveDate) -> Result<NeedDraft, Rejected> {
        let fields: Vec<String> = self
            .skills
            .fields
            .iter()
            .map(|f| f.as_str().to_string())
            .collect();
        let region = self.region.as_str().to_string();
        let phone = self.contact_phone.as_str().to_string();
        Raw {
            title: r.title.as_deref().unwrap_or(&self.title),
            description: r.description.as_deref().unwrap_or(&self.description),
            category: r.category.as_deref().unwrap_or(self.category.as_str()),
            skill_fields: r.skill_fields.as_deref().unwrap_or(&fields),
            skill_tags: r.skill_tags.as_deref().unwrap_or(&self.skills.tags),
            audience: r.audience.as_deref().unwrap_or(self.audience.as_str()),
            audience_size: r.audience_size.unwrap_or(self.audience_size),
            place: r.place.as_deref().unwrap_or(&self.place),
            region_code: r.region_code.as_deref().unwrap_or(&region),
            window_from: r.window_from.unwrap_or(self.window_from),
            window_to: r.window_to.unwrap_or(self.window_to),
            priority_area: r
                .priority_area
                .as_deref()
                .or(self.priority_area.map(|a| a.as_str())),
            contact_name: r.contact_name.as_deref().unwrap_or(&self.contact_name),
            contact_phone: r.contact_phone.as_deref().unwrap_or(&phone),
        }
        .check(Problems::validate(r), today)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct DispatchNeedRequest {
    /// The team sent the need; it accepts or declines.
    pub team_id: Uuid,
    /// A note to the team.
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ClaimNeedRequest {
    /// The team that takes the need; the caller administers it.
    pub team_id: Uuid,
}

/// Why a dispatched need is declined, or a need cancelled.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct NeedReasonRequest {
    #[validate(length(min = 1, max = 1000))]
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
}

/// When the holding team's activity takes place. It is created as the team's draft, with
/// the need's title, category, place, region and the audience size as its capacity.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ScheduleNeedRequest {
    /// Within the need's window (China dates).
    #[validate(custom(function = "crate::bounds::instant"))]
    pub starts_at: DateTime<Utc>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub ends_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RateNeedRequest {
    /// One to five.
    #[schema(minimum = 1, maximum = 5)]
    pub stars: i32,
    /// How many people the service actually reached.
    #[schema(minimum = 0, maximum = 100_000)]
    pub people_reached: i32,
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub comment: Option<String>,
}

/// A checked rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedRating {
    pub stars: i32,
    pub people_reached: i32,
    pub comment: Option<String>,
}

impl TryFrom<&RateNeedRequest> for NeedRating {
    type Error = Rejected;

    fn try_from(r: &RateNeedRequest) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        p.parse("stars", d::need::check_stars(r.stars));
        if !(0..=d::need::MAX_AUDIENCE).contains(&r.people_reached) {
            p.push(
                "people_reached",
                d::ProblemCode::Range,
                "0 to 100,000 people",
            );
        }
        p.done(Some(NeedRating {
            stars: r.stars,
            people_reached: r.people_reached,
            comment: r
                .comment
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string),
        }))
    }
}

/// Who to reach about a need: shown to the requester, its parent, the team holding the
/// need and platform admins; never on the public board.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NeedContactView {
    pub name: String,
    pub phone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NeedRatingView {
    pub stars: i32,
    pub people_reached: i32,
    pub comment: Option<String>,
    pub rated_at: DateTime<Utc>,
}

/// One step of a need's history.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NeedEventView {
    /// What happened; `expired` is added when the window has passed.
    #[schema(schema_with = crate::values::need_event)]
    pub action: d::NeedEvent,
    pub at: DateTime<Utc>,
    /// Who acted (absent for an expiry).
    pub actor_name: Option<String>,
    /// The team dispatched to, claiming, accepting or declining.
    pub team: Option<PartyView>,
    /// The dispatch note, the reason for declining or cancelling.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NeedView {
    pub id: Uuid,
    pub requester: PartyView,
    pub title: String,
    pub description: String,
    #[schema(schema_with = crate::values::activity_category)]
    pub category: d::ActivityCategory,
    #[schema(schema_with = crate::values::skill_fields)]
    pub skill_fields: Vec<d::SkillField>,
    pub skill_tags: Vec<String>,
    #[schema(schema_with = crate::values::audience_kind)]
    pub audience: d::AudienceKind,
    pub audience_size: i32,
    pub place: String,
    pub region_code: String,
    pub region_name: String,
    pub window_from: NaiveDate,
    pub window_to: NaiveDate,
    #[schema(schema_with = crate::values::priority_area_or_null)]
    pub priority_area: Option<d::PriorityArea>,
    /// Absent for anyone but the requester, its parent, the holding team and the platform.
    pub contact: Option<NeedContactView>,
    /// The effective status: `expired` once the window has passed without an activity.
    #[schema(schema_with = crate::values::need_status)]
    pub status: d::NeedStatus,
    /// The team the need is dispatched to (awaiting its answer) or held by.
    pub holder: Option<PartyView>,
    /// The holding team's activity, once scheduled.
    pub activity_id: Option<Uuid>,
    /// The service point the need is posted for, if any.
    #[serde(default)]
    pub service_point_id: Option<Uuid>,
    /// The pairing between the team's society and the county the activity serves under.
    pub pairing: Option<PairingRef>,
    pub published_at: Option<DateTime<Utc>>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub served_at: Option<DateTime<Utc>>,
    /// Until when the requester may rate a served need.
    pub rating_due_at: Option<DateTime<Utc>>,
    pub rating: Option<NeedRatingView>,
    pub cancel_reason: Option<String>,
    /// What the caller may do now.
    #[schema(schema_with = crate::values::need_actions)]
    pub allowed_actions: Vec<d::NeedAction>,
    /// The caller's teams that may claim the need now (rule 48).
    pub claimable_by: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    /// The need's steps, oldest first (only on a single need).
    pub history: Option<Vec<NeedEventView>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NeedPage {
    pub items: Vec<NeedView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct NeedQuery {
    /// The effective status. Anonymous callers and outsiders see open needs only (the
    /// public board).
    #[param(schema_with = crate::values::need_status_or_null)]
    pub status: Option<String>,
    /// A region code or its prefix: `13` (a province), `1301` (a city), `130102` (a county).
    #[param(pattern = "^[0-9]{2}([0-9]{2}([0-9]{2})?)?$")]
    pub region: Option<String>,
    #[param(schema_with = crate::values::activity_category_or_null)]
    pub category: Option<String>,
    /// Needs whose window overlaps `from`..`to`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Needs posted by this organisation.
    pub requester_id: Option<Uuid>,
    /// Needs dispatched to or held by this team.
    pub holder_id: Option<Uuid>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// Each factor's points in a suggestion (rule 52).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct RankFactorsView {
    pub skills: f64,
    pub pairing: f64,
    pub closeness: f64,
    pub load: f64,
    pub rating: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct TeamSuggestionView {
    /// 1 for the best.
    pub rank: u32,
    pub team: PartyView,
    /// The sum of the factors (at most the weights' sum, 100 by default).
    pub score: f64,
    pub factors: RankFactorsView,
    /// The wanted skills the team's approved members hold.
    pub matched_skills: Vec<String>,
    #[schema(schema_with = crate::values::closeness)]
    pub closeness: d::Closeness,
    /// An active pairing with the need's county.
    pub paired: bool,
    /// Needs dispatched to or held by the team now.
    pub open_commitments: u32,
    pub ratings: u32,
    pub average_rating: Option<f64>,
    /// Why the team may claim the need itself; absent when only a dispatch can give it.
    #[schema(schema_with = crate::values::claim_basis_or_null)]
    pub claim_basis: Option<d::ClaimBasis>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NeedSuggestionsView {
    pub need_id: Uuid,
    /// The weights in force (configuration).
    pub weights: RankFactorsView,
    pub items: Vec<TeamSuggestionView>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct NeedRollupQuery {
    /// A province (`13`) or city (`1301`) code prefix; absent: the nation.
    #[param(pattern = "^[0-9]{2}([0-9]{2})?$")]
    pub region: Option<String>,
    /// The year whose needs are counted (by the month they were posted); default this year.
    #[validate(range(min = 2000, max = 2100))]
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

/// Figures of needs (rule 53).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NeedFigures {
    /// Needs published.
    pub posted: u64,
    /// Of those, served (rated or not).
    pub served: u64,
    /// Of those, past their window without an activity.
    pub unmet: u64,
    /// Median whole days from publishing to scheduling.
    pub median_days_to_schedule: Option<i64>,
    pub ratings: u64,
    pub average_rating: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NeedRegionFigures {
    pub region_code: String,
    pub region_name: String,
    /// Needs of priority counties (脱贫县, 革命老区, 边远山区) among those posted; regions
    /// with any come first.
    pub priority_needs: u64,
    pub figures: NeedFigures,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NeedMonthFigures {
    /// `YYYY-MM`.
    pub month: String,
    pub posted: u64,
    /// Needs served in the month, whenever posted.
    pub served: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NeedRollupView {
    /// The scope's code prefix (absent: the nation).
    pub region: Option<String>,
    pub region_name: String,
    pub year: i32,
    pub totals: NeedFigures,
    /// One entry per child region (provinces of the nation, cities of a province, counties
    /// of a city) with needs, priority first, then most unmet.
    pub by_region: Vec<NeedRegionFigures>,
    /// The year's twelve months.
    pub by_month: Vec<NeedMonthFigures>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> CreateNeedRequest {
        CreateNeedRequest {
            organization_id: Uuid::nil(),
            title: " 果树冬季修剪 ".into(),
            description: String::new(),
            category: "technical_service".into(),
            skill_fields: vec!["agriculture".into(), "agriculture".into()],
            skill_tags: vec![" 果树修剪 ".into()],
            audience: "farmers".into(),
            audience_size: 40,
            place: "果品合作社".into(),
            region_code: "130102".into(),
            window_from: NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
            window_to: NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
            priority_area: None,
            contact_name: "李春华".into(),
            contact_phone: "13900139000".into(),
            service_point_id: None,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
    }

    #[test]
    fn a_sound_need_is_trimmed_and_its_skills_kept_once() {
        let d = NeedDraft::try_from((&request(), today())).unwrap();
        assert_eq!(d.title, "果树冬季修剪");
        assert_eq!(d.skills.fields, [zhihui_domain::SkillField::Agriculture]);
        assert_eq!(d.skills.tags, ["果树修剪"]);
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut r = request();
        r.skill_fields = vec!["astrology".into()];
        r.skill_tags = vec![" ".into()];
        r.audience = "tourists".into();
        r.audience_size = 0;
        r.window_to = NaiveDate::from_ymd_opt(2026, 5, 31).unwrap();
        r.window_from = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        r.priority_area = Some("coastal".into());
        r.contact_phone = "12345".into();
        let e = NeedDraft::try_from((&r, today())).unwrap_err();
        let mut got: Vec<(&str, &str)> =
            e.0.iter()
                .map(|p| (p.field.as_str(), p.code.as_str()))
                .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("audience", "unknown_audience"),
                ("audience_size", "range"),
                (
                    "contact_phone",
                    e.on("contact_phone").unwrap().code.as_str()
                ),
                ("priority_area", "unknown_priority_area"),
                ("skill_fields[0]", "unknown_skill_field"),
                ("skill_tags[0]", "length"),
                ("window_to", "in_the_past"),
            ]
        );
    }

    #[test]
    fn an_amendment_is_checked_as_a_whole() {
        let d = NeedDraft::try_from((&request(), today())).unwrap();
        let ok = d
            .amended(
                &UpdateNeedRequest {
                    audience_size: Some(80),
                    ..Default::default()
                },
                today(),
            )
            .unwrap();
        assert_eq!(ok.audience_size, 80);
        assert_eq!(ok.skills, d.skills);
        let bad = d
            .amended(
                &UpdateNeedRequest {
                    window_to: Some(NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()),
                    ..Default::default()
                },
                today(),
            )
            .unwrap_err();
        assert_eq!(
            bad.on("window_to").unwrap().code.as_str(),
            "period_ends_before_start"
        );
    }

    #[test]
    fn a_rating_has_one_to_five_stars() {
        let r = |stars, reached| RateNeedRequest {
            stars,
            people_reached: reached,
            comment: Some("  ".into()),
        };
        let ok = NeedRating::try_from(&r(5, 38)).unwrap();
        assert_eq!(ok.comment, None);
        assert_eq!(
            NeedRating::try_from(&r(6, 1))
                .unwrap_err()
                .on("stars")
                .unwrap()
                .code
                .as_str(),
            "range"
        );
        assert!(NeedRating::try_from(&r(0, 1)).is_err());
        assert!(NeedRating::try_from(&r(3, -1))
            .unwrap_err()
            .on("people_reached")
            .is_some());
    }
}
