//! Matching rural demand with scientists' supply (科普需求对接): a need is posted (点单),
//! dispatched by the requester's parent (派单) or claimed by a team (接单), scheduled as the
//! team's activity, served and rated by the requester (评单), rules 46-53.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::error::{FieldError, TransitionError};
use crate::organization::string_enum;
use crate::{OrganizationCategory, OrganizationLevel, ProblemCode};

string_enum! {
    /// States of a need (rule 47). `expired` is never stored: an open, dispatched or claimed
    /// need is expired once its preferred window has passed without an activity.
    NeedStatus {
        Draft => "draft",
        Open => "open",
        /// Dispatched to one team, awaiting its answer (派单).
        Dispatched => "dispatched",
        /// A team holds it (接单).
        Claimed => "claimed",
        /// The holding team's activity exists.
        Scheduled => "scheduled",
        /// The activity's hours are confirmed.
        Served => "served",
        /// The requester rated the service (评单).
        Rated => "rated",
        Expired => "expired",
        Cancelled => "cancelled",
    }
}

string_enum! {
    /// What can be done to a need.
    NeedAction {
        /// Change its content (the requester, before a team holds it).
        Update => "update",
        /// Open a draft to teams (the requester).
        Publish => "publish",
        /// Withdraw it before it is served (the requester).
        Cancel => "cancel",
        /// Send an open need to one team (the requester's parent).
        Dispatch => "dispatch",
        /// Take a dispatched need (the team it was sent to).
        AcceptDispatch => "accept_dispatch",
        /// Refuse a dispatched need with a reason; it is open again (the team).
        DeclineDispatch => "decline_dispatch",
        /// Take an open need directly (an eligible team, rule 48).
        Claim => "claim",
        /// Turn the need into the holding team's draft activity (rule 50).
        Schedule => "schedule",
        /// Rate the service (the requester, rule 51).
        Rate => "rate",
    }
}

string_enum! {
    /// One entry of a need's history.
    NeedEvent {
        Created => "created",
        Updated => "updated",
        Published => "published",
        Cancelled => "cancelled",
        Dispatched => "dispatched",
        DispatchAccepted => "dispatch_accepted",
        DispatchDeclined => "dispatch_declined",
        Claimed => "claimed",
        Scheduled => "scheduled",
        /// The linked activity's hours were confirmed.
        Served => "served",
        Rated => "rated",
        /// Not stored: added when the window has passed without an activity.
        Expired => "expired",
    }
}

string_enum! {
    /// Who a need is for (服务对象).
    AudienceKind {
        /// 农民
        Farmers => "farmers",
        /// 中小学生
        Pupils => "pupils",
        /// 老年人
        Elderly => "elderly",
        /// 企业职工
        EnterpriseStaff => "enterprise_staff",
        /// 社区居民
        Residents => "residents",
    }
}

string_enum! {
    /// The skill fields a need asks for and volunteers name among their skills (专业领域).
    SkillField {
        /// 农业技术
        Agriculture => "agriculture",
        /// 医疗卫生
        Health => "health",
        /// 教育
        Education => "education",
        /// 工程技术
        Engineering => "engineering",
        /// 信息技术
        InformationTechnology => "information_technology",
        /// 生态环境
        Environment => "environment",
        /// 应急安全
        Safety => "safety",
        /// 科普讲解
        ScienceCommunication => "science_communication",
    }
}

string_enum! {
    /// Why a county comes first wherever needs are listed (rule 46).
    PriorityArea {
        /// 脱贫县
        PovertyAlleviated => "poverty_alleviated",
        /// 革命老区
        RevolutionaryBase => "revolutionary_base",
        /// 边远山区
        RemoteMountain => "remote_mountain",
    }
}

string_enum! {
    /// How close a team is to a need in the region tree (rule 52).
    Closeness {
        SameCounty => "same_county",
        SameCity => "same_city",
        SameProvince => "same_province",
        /// A national society, which serves everywhere.
        National => "national",
        Elsewhere => "elsewhere",
    }
}

string_enum! {
    /// On what ground a team may claim a need itself (rule 48).
    ClaimBasis {
        /// A team of the need's county.
        SameCounty => "same_county",
        /// A society paired with the need's county.
        Paired => "paired",
        /// A society of the need's province.
        ProvincialSociety => "provincial_society",
        /// A national society.
        NationalSociety => "national_society",
    }
}

/// Days a requester has to rate a served need (rule 51; configurable).
pub const DEFAULT_RATING_DAYS: i64 = 30;

/// The longest preferred window a need names: a year.
pub const MAX_WINDOW_DAYS: i64 = 366;

/// The most people a need's audience counts.
pub const MAX_AUDIENCE: i32 = 100_000;

impl SkillField {
    /// Words that, inside a volunteer's skill, show the field: the field's own name first.
    pub fn words(self) -> &'static [&'static str] {
        match self {
            SkillField::Agriculture => &[
                "农业", "农技", "种植", "养殖", "畜牧", "兽医", "果树", "蔬菜", "植保", "水产",
            ],
            SkillField::Health => &["医疗", "卫生", "医学", "护理", "中医", "健康", "医生", "药"],
            SkillField::Education => &["教育", "教学", "教师", "心理"],
            SkillField::Engineering => &["工程", "机械", "电气", "建筑", "水利", "材料"],
            SkillField::InformationTechnology => {
                &["信息", "计算机", "软件", "网络", "电商", "数据"]
            }
            SkillField::Environment => &["生态", "环境", "环保", "林业", "气象", "地质"],
            SkillField::Safety => &["应急", "安全", "消防", "防灾", "急救"],
            SkillField::ScienceCommunication => &["科普", "讲解", "科学传播"],
        }
    }
}

/// What a need asks for, as the matching reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WantedSkills {
    pub fields: Vec<SkillField>,
    /// Free tags, e.g. `果树修剪`.
    pub tags: Vec<String>,
}

fn normal(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Whether one skill a volunteer registered with covers a free tag: either holds the other,
/// ignoring case and surrounding spaces (`果树修剪` covers `修剪`; `农业技术` covers `农业`).
pub fn tag_matches(tag: &str, held: &str) -> bool {
    let (t, h) = (normal(tag), normal(held));
    if t.chars().count() < 2 || h.chars().count() < 2 {
        return !t.is_empty() && t == h;
    }
    h.contains(&t) || t.contains(&h)
}

/// Whether a volunteer's skill belongs to a field: it holds one of the field's words.
pub fn field_matches(field: SkillField, held: &str) -> bool {
    let h = normal(held);
    field.words().iter().any(|w| h.contains(w))
}

impl WantedSkills {
    /// How many skills are wanted (fields and tags).
    pub fn count(&self) -> usize {
        self.fields.len() + self.tags.len()
    }

    /// The wanted skills some of `held` covers, named as the need names them (a field by
    /// its value, a tag as written), fields first.
    pub fn covered_by<'a>(&self, held: impl IntoIterator<Item = &'a str> + Clone) -> Vec<String> {
        let fields = self
            .fields
            .iter()
            .filter(|f| held.clone().into_iter().any(|h| field_matches(**f, h)))
            .map(|f| f.as_str().to_string());
        let tags = self
            .tags
            .iter()
            .filter(|t| held.clone().into_iter().any(|h| tag_matches(t, h)))
            .cloned();
        fields.chain(tags).collect()
    }
}

/// The status a need has now (China's date `today`): an open, dispatched or claimed need
/// whose window ended before today is expired.
pub fn effective_status(stored: NeedStatus, window_to: NaiveDate, today: NaiveDate) -> NeedStatus {
    match stored {
        NeedStatus::Open | NeedStatus::Dispatched | NeedStatus::Claimed if today > window_to => {
            NeedStatus::Expired
        }
        s => s,
    }
}

/// The stored statuses an effective status is read from: what a list filtered by status
/// selects before the clock tells `open` from `expired` (see [`effective_status`]).
pub fn stored_as(status: NeedStatus) -> &'static [NeedStatus] {
    match status {
        NeedStatus::Expired => &[
            NeedStatus::Open,
            NeedStatus::Dispatched,
            NeedStatus::Claimed,
        ],
        NeedStatus::Draft => &[NeedStatus::Draft],
        NeedStatus::Open => &[NeedStatus::Open],
        NeedStatus::Dispatched => &[NeedStatus::Dispatched],
        NeedStatus::Claimed => &[NeedStatus::Claimed],
        NeedStatus::Scheduled => &[NeedStatus::Scheduled],
        NeedStatus::Served => &[NeedStatus::Served],
        NeedStatus::Rated => &[NeedStatus::Rated],
        NeedStatus::Cancelled => &[NeedStatus::Cancelled],
    }
}

/// Whether an effective status leaves the clock out: only these four can expire, so a list
/// of them compares the window with today.
pub fn can_expire(status: NeedStatus) -> bool {
    matches!(
        status,
        NeedStatus::Open | NeedStatus::Dispatched | NeedStatus::Claimed | NeedStatus::Expired
    )
}

/// The state a need moves to when `action` is taken in state `from` (its effective state),
/// or why it cannot (rules 47-51).
pub fn need_transition(
    from: NeedStatus,
    action: NeedAction,
) -> Result<NeedStatus, TransitionError> {
    use NeedAction as A;
    use NeedStatus as S;
    let refuse = |code: ProblemCode, message: String| Err(TransitionError::new(code, message));
    match (from, action) {
        (S::Draft | S::Open, A::Update) => Ok(from),
        (S::Draft, A::Publish) => Ok(S::Open),
        (S::Draft | S::Open | S::Dispatched | S::Claimed | S::Scheduled, A::Cancel) => {
            Ok(S::Cancelled)
        }
        (S::Open, A::Dispatch) => Ok(S::Dispatched),
        (S::Open, A::Claim) => Ok(S::Claimed),
        (S::Dispatched, A::AcceptDispatch) => Ok(S::Claimed),
        (S::Dispatched, A::DeclineDispatch) => Ok(S::Open),
        (S::Claimed, A::Schedule) => Ok(S::Scheduled),
        (S::Served, A::Rate) => Ok(S::Rated),
        (S::Expired, _) => refuse(
            ProblemCode::NeedExpired,
            "the need's window passed without an activity".into(),
        ),
        (S::Cancelled, _) => refuse(
            ProblemCode::NeedCancelled,
            "the requester cancelled the need".into(),
        ),
        (S::Rated, A::Rate) => refuse(
            ProblemCode::NeedAlreadyRated,
            "the need was rated already; one rating per need".into(),
        ),
        (S::Served | S::Rated, _) => refuse(
            ProblemCode::NeedServed,
            format!("the need is {} and cannot change", from.as_str()),
        ),
        (S::Draft, A::Dispatch | A::Claim | A::AcceptDispatch | A::DeclineDispatch) => {
            refuse(ProblemCode::NeedNotOpen, "the need is still a draft".into())
        }
        (S::Dispatched | S::Claimed | S::Scheduled, A::Dispatch | A::Claim) => refuse(
            ProblemCode::NeedAlreadyHeld,
            "a team holds the need already or is answering its dispatch".into(),
        ),
        (S::Dispatched | S::Claimed | S::Scheduled, A::Update) => refuse(
            ProblemCode::NeedAlreadyHeld,
            "a need a team holds cannot change; cancel it and post another".into(),
        ),
        (_, A::Publish) => refuse(
            ProblemCode::NeedNotDraft,
            format!("the need is {}; only a draft is published", from.as_str()),
        ),
        (_, A::AcceptDispatch | A::DeclineDispatch) => refuse(
            ProblemCode::NeedNotDispatched,
            format!("the need is {}, not dispatched", from.as_str()),
        ),
        (_, A::Schedule) => refuse(
            ProblemCode::NeedNotClaimed,
            format!(
                "the need is {}; a team schedules a need it holds",
                from.as_str()
            ),
        ),
        (_, A::Rate) => refuse(
            ProblemCode::NeedNotServed,
            "a need is rated once its activity's hours are confirmed".into(),
        ),
    }
}

/// The statuses `action` can be taken from: what a count of work waiting reads.
pub fn need_action_starts_from(action: NeedAction) -> Vec<NeedStatus> {
    NeedStatus::ALL
        .iter()
        .copied()
        .filter(|s| need_transition(*s, action).is_ok())
        .collect()
}

/// Who the caller is to a need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NeedRoles {
    /// Administers the requesting organisation.
    pub requester: bool,
    /// Administers the requester's parent, which dispatches.
    pub parent: bool,
    /// Administers the team the need is dispatched to or held by.
    pub holder: bool,
    /// Administers at least one team that may claim the need.
    pub claimant: bool,
}

/// What the caller may do to a need in `status` now (its effective status).
pub fn need_allowed_actions(status: NeedStatus, roles: NeedRoles) -> Vec<NeedAction> {
    NeedAction::ALL
        .iter()
        .copied()
        .filter(|a| need_transition(status, *a).is_ok())
        .filter(|a| match a {
            NeedAction::Update | NeedAction::Publish | NeedAction::Cancel | NeedAction::Rate => {
                roles.requester
            }
            NeedAction::Dispatch => roles.parent,
            NeedAction::AcceptDispatch | NeedAction::DeclineDispatch | NeedAction::Schedule => {
                roles.holder
            }
            NeedAction::Claim => roles.claimant && !roles.requester,
        })
        .collect()
}

/// What `action` records in a need's history.
impl NeedEvent {
    pub fn of(action: NeedAction) -> Self {
        match action {
            NeedAction::Update => NeedEvent::Updated,
            NeedAction::Publish => NeedEvent::Published,
            NeedAction::Cancel => NeedEvent::Cancelled,
            NeedAction::Dispatch => NeedEvent::Dispatched,
            NeedAction::AcceptDispatch => NeedEvent::DispatchAccepted,
            NeedAction::DeclineDispatch => NeedEvent::DispatchDeclined,
            NeedAction::Claim => NeedEvent::Claimed,
            NeedAction::Schedule => NeedEvent::Scheduled,
            NeedAction::Rate => NeedEvent::Rated,
        }
    }
}

/// Rule 46: who posts a need: a county association or county volunteer federation, a
/// grassroots team (a township, school, enterprise or community team), or any organisation
/// for a service point it is responsible for (`for_own_service_point`).
pub fn check_requester(
    category: OrganizationCategory,
    level: OrganizationLevel,
    for_own_service_point: bool,
) -> Result<(), FieldError> {
    let county_body = matches!(
        category,
        OrganizationCategory::CountyAssociation | OrganizationCategory::CountyVolunteerFederation
    );
    if county_body || level == OrganizationLevel::Grassroots || for_own_service_point {
        Ok(())
    } else {
        Err(FieldError::new(
            ProblemCode::NotARequester,
            "needs are posted by a county association or volunteer federation, a township, school, enterprise or community team, or for a service point the organisation is responsible for",
        ))
    }
}

/// The priority area a need is listed under (rule 46): its county's flag when the county is
/// flagged, else what the requester declared.
pub fn need_priority(
    declared: Option<PriorityArea>,
    county_flag: Option<PriorityArea>,
) -> Option<PriorityArea> {
    county_flag.or(declared)
}

/// Whether an organisation of this category serves needs: every kind but the associations
/// for science and technology and the county volunteer federations, which coordinate.
pub fn serves_needs(category: OrganizationCategory) -> bool {
    !matches!(
        category,
        OrganizationCategory::ProvincialAssociation
            | OrganizationCategory::CityAssociation
            | OrganizationCategory::CountyAssociation
            | OrganizationCategory::CountyVolunteerFederation
    )
}

/// What the claim rule reads of a team and a need.
#[derive(Debug, Clone, Copy)]
pub struct ClaimFacts<'a> {
    pub team_category: OrganizationCategory,
    /// The team's six-digit region code.
    pub team_region: &'a str,
    /// The need's six-digit region code (its county).
    pub need_region: &'a str,
    /// The team is a society with an active pairing with the need's county.
    pub paired: bool,
    /// The team is the need's requester.
    pub own_need: bool,
}

fn prefix(code: &str, n: usize) -> &str {
    code.get(..n).unwrap_or(code)
}

/// How close a team is to a need (rule 52): same county > same city > same province >
/// a national society > elsewhere.
pub fn closeness(
    team_category: OrganizationCategory,
    team_region: &str,
    need_region: &str,
) -> Closeness {
    if team_region == need_region {
        Closeness::SameCounty
    } else if prefix(team_region, 4) == prefix(need_region, 4) && !team_region.ends_with("0000") {
        Closeness::SameCity
    } else if prefix(team_region, 2) == prefix(need_region, 2) {
        Closeness::SameProvince
    } else if team_category == OrganizationCategory::NationalSociety {
        Closeness::National
    } else {
        Closeness::Elsewhere
    }
}

/// Rule 48: the ground on which a team may claim a need itself, or why it may not.
pub fn claim_basis(f: ClaimFacts<'_>) -> Result<ClaimBasis, FieldError> {
    if f.own_need {
        return Err(FieldError::new(
            ProblemCode::ClaimNotEligible,
            "an organisation does not claim its own need",
        ));
    }
    if !serves_needs(f.team_category) {
        return Err(FieldError::new(
            ProblemCode::ClaimNotEligible,
            "associations for science and technology and volunteer federations dispatch needs; teams claim them",
        ));
    }
    if f.team_region == f.need_region {
        return Ok(ClaimBasis::SameCounty);
    }
    if f.team_category.is_society() && f.paired {
        return Ok(ClaimBasis::Paired);
    }
    if f.team_category == OrganizationCategory::NationalSociety {
        return Ok(ClaimBasis::NationalSociety);
    }
    if f.team_category.is_society() && prefix(f.team_region, 2) == prefix(f.need_region, 2) {
        return Ok(ClaimBasis::ProvincialSociety);
    }
    Err(FieldError::new(
        ProblemCode::ClaimNotEligible,
        "a need is claimed by a team of its county, a society paired with the county, a society of its province or a national society",
    ))
}

/// The preferred window (from-to, China dates), checked on `today`: it ends on or after its
/// first day, has not ended, and lasts at most a year. Returns the field and the problem.
pub fn check_window(
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<(), (&'static str, FieldError)> {
    if to < from {
        return Err((
            "window_to",
            FieldError::new(
                ProblemCode::PeriodEndsBeforeStart,
                "the window ends on or after its first day",
            ),
        ));
    }
    if (to - from).num_days() > MAX_WINDOW_DAYS {
        return Err((
            "window_to",
            FieldError::new(ProblemCode::PeriodTooLong, "a window lasts at most a year"),
        ));
    }
    if to < today {
        return Err((
            "window_to",
            FieldError::new(ProblemCode::InThePast, "the window has already ended"),
        ));
    }
    Ok(())
}

/// Rule 50: the activity a need is scheduled as takes place on a day (China date) within
/// the need's window.
pub fn check_within_window(
    day: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), FieldError> {
    if day < from || day > to {
        return Err(FieldError::new(
            ProblemCode::OutsideWindow,
            format!("the activity takes place within the need's window, {from} to {to}"),
        ));
    }
    Ok(())
}

/// When the rating of a need served at `served_at` closes (rule 51).
pub fn rating_due(served_at: DateTime<Utc>, rating_days: i64) -> DateTime<Utc> {
    served_at + Duration::days(rating_days)
}

/// Whether the requester may still rate a need served at `served_at`.
pub fn rating_open(served_at: DateTime<Utc>, now: DateTime<Utc>, rating_days: i64) -> bool {
    now <= rating_due(served_at, rating_days)
}

/// A rating's stars: 1 to 5.
pub fn check_stars(stars: i32) -> Result<(), FieldError> {
    if (1..=5).contains(&stars) {
        Ok(())
    } else {
        Err(FieldError::new(ProblemCode::Range, "one to five stars"))
    }
}

/// How a suggestion weighs each factor (rule 52; configuration). The score of a team is
/// the sum of its factors, each at most its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankWeights {
    /// Share of the wanted skills the team's approved members hold.
    pub skills: f64,
    /// An active pairing between the team (a society) and the need's county.
    pub pairing: f64,
    /// Closeness in the region tree.
    pub closeness: f64,
    /// Few open commitments: `weight / (1 + needs held)`.
    pub load: f64,
    /// Past ratings, averaged with two neutral ratings of three stars.
    pub rating: f64,
}

impl Default for RankWeights {
    fn default() -> Self {
        Self {
            skills: 40.0,
            pairing: 20.0,
            closeness: 20.0,
            load: 10.0,
            rating: 10.0,
        }
    }
}

/// What the ranking reads of one team.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The wanted skills the team's approved members hold ([`WantedSkills::covered_by`]).
    pub matched: Vec<String>,
    pub wanted: usize,
    pub paired: bool,
    pub closeness: Closeness,
    /// Needs the team holds now (dispatched to it, claimed or scheduled).
    pub open_commitments: u32,
    pub ratings: u32,
    pub stars_total: u32,
}

/// Each factor's points for one team.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Factors {
    pub skills: f64,
    pub pairing: f64,
    pub closeness: f64,
    pub load: f64,
    pub rating: f64,
}

impl Factors {
    pub fn total(&self) -> f64 {
        self.skills + self.pairing + self.closeness + self.load + self.rating
    }
}

/// Past ratings as the ranking reads them: the average with two neutral three-star
/// ratings added, so one five-star rating does not outrank a long good record.
pub fn smoothed_rating(ratings: u32, stars_total: u32) -> f64 {
    (f64::from(stars_total) + 6.0) / (f64::from(ratings) + 2.0)
}

/// The points of one team (rule 52).
pub fn factors(c: &Candidate, w: &RankWeights) -> Factors {
    let share = if c.wanted == 0 {
        0.0
    } else {
        c.matched.len() as f64 / c.wanted as f64
    };
    let near = match c.closeness {
        Closeness::SameCounty => 1.0,
        Closeness::SameCity => 0.75,
        Closeness::SameProvince => 0.5,
        Closeness::National => 0.25,
        Closeness::Elsewhere => 0.0,
    };
    let round = |x: f64| (x * 100.0).round() / 100.0;
    Factors {
        skills: round(w.skills * share),
        pairing: if c.paired { w.pairing } else { 0.0 },
        closeness: round(w.closeness * near),
        load: round(w.load / (1.0 + f64::from(c.open_commitments))),
        rating: round(w.rating * (smoothed_rating(c.ratings, c.stars_total) - 1.0) / 4.0),
    }
}

/// Ranks teams for a need: highest score first, ties by `key` (a team's id) so the same
/// data always gives the same order.
pub fn rank<K: Ord + Clone>(
    candidates: Vec<(K, Candidate)>,
    w: &RankWeights,
) -> Vec<(K, Candidate, Factors)> {
    let mut scored: Vec<(K, Candidate, Factors)> = candidates
        .into_iter()
        .map(|(k, c)| {
            let f = factors(&c, w);
            (k, c, f)
        })
        .collect();
    scored.sort_by(|a, b| {
        b.2.total()
            .total_cmp(&a.2.total())
            .then_with(|| a.0.cmp(&b.0))
    });
    scored
}

/// The median of a histogram `(value, count)`: the lower middle value of an even count.
pub fn median(histogram: &[(i64, u64)]) -> Option<i64> {
    let mut h: Vec<(i64, u64)> = histogram.iter().copied().filter(|(_, n)| *n > 0).collect();
    h.sort();
    let total: u64 = h.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let middle = total.div_ceil(2);
    let mut seen = 0;
    for (v, n) in h {
        seen += n;
        if seen >= middle {
            return Some(v);
        }
    }
    None
}

/// Whole days from publishing to scheduling, counted on China dates.
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days().max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_happy_path_runs_from_draft_to_rated() {
        use NeedAction as A;
        use NeedStatus as S;
        let mut s = S::Draft;
        for (a, to) in [
            (A::Publish, S::Open),
            (A::Dispatch, S::Dispatched),
            (A::DeclineDispatch, S::Open),
            (A::Dispatch, S::Dispatched),
            (A::AcceptDispatch, S::Claimed),
            (A::Schedule, S::Scheduled),
        ] {
            s = need_transition(s, a).unwrap();
            assert_eq!(s, to);
        }
        assert_eq!(need_transition(S::Open, A::Claim).unwrap(), S::Claimed);
        assert_eq!(need_transition(S::Served, A::Rate).unwrap(), S::Rated);
    }

    #[test]
    fn every_refusal_names_its_reason() {
        use NeedAction as A;
        use NeedStatus as S;
        let code = |s, a| need_transition(s, a).unwrap_err().code;
        assert_eq!(code(S::Claimed, A::Claim), ProblemCode::NeedAlreadyHeld);
        assert_eq!(code(S::Dispatched, A::Claim), ProblemCode::NeedAlreadyHeld);
        assert_eq!(
            code(S::Scheduled, A::Dispatch),
            ProblemCode::NeedAlreadyHeld
        );
        assert_eq!(code(S::Claimed, A::Update), ProblemCode::NeedAlreadyHeld);
        assert_eq!(code(S::Draft, A::Claim), ProblemCode::NeedNotOpen);
        assert_eq!(code(S::Open, A::Publish), ProblemCode::NeedNotDraft);
        assert_eq!(
            code(S::Open, A::AcceptDispatch),
            ProblemCode::NeedNotDispatched
        );
        assert_eq!(code(S::Open, A::Schedule), ProblemCode::NeedNotClaimed);
        assert_eq!(code(S::Scheduled, A::Rate), ProblemCode::NeedNotServed);
        assert_eq!(code(S::Rated, A::Rate), ProblemCode::NeedAlreadyRated);
        assert_eq!(code(S::Served, A::Cancel), ProblemCode::NeedServed);
        assert_eq!(code(S::Expired, A::Claim), ProblemCode::NeedExpired);
        assert_eq!(code(S::Cancelled, A::Publish), ProblemCode::NeedCancelled);
        // Every pair either moves or refuses with a need's own code.
        for s in S::ALL {
            for a in A::ALL {
                if let Err(e) = need_transition(*s, *a) {
                    assert!(e.code.as_str().starts_with("need_"), "{s} {a}: {}", e.code);
                }
            }
        }
    }

    #[test]
    fn a_need_expires_only_while_no_activity_exists() {
        let to = d(2026, 6, 30);
        for s in [
            NeedStatus::Open,
            NeedStatus::Dispatched,
            NeedStatus::Claimed,
        ] {
            assert_eq!(effective_status(s, to, d(2026, 6, 30)), s);
            assert_eq!(effective_status(s, to, d(2026, 7, 1)), NeedStatus::Expired);
            assert!(stored_as(NeedStatus::Expired).contains(&s));
        }
        for s in [NeedStatus::Scheduled, NeedStatus::Served, NeedStatus::Draft] {
            assert_eq!(effective_status(s, to, d(2027, 1, 1)), s);
        }
    }

    #[test]
    fn each_side_is_offered_only_its_own_steps() {
        let requester = NeedRoles {
            requester: true,
            ..Default::default()
        };
        let parent = NeedRoles {
            parent: true,
            ..Default::default()
        };
        let team = NeedRoles {
            claimant: true,
            ..Default::default()
        };
        let holder = NeedRoles {
            holder: true,
            ..Default::default()
        };
        use NeedAction as A;
        assert_eq!(
            need_allowed_actions(NeedStatus::Open, requester),
            [A::Update, A::Cancel]
        );
        assert_eq!(
            need_allowed_actions(NeedStatus::Open, parent),
            [A::Dispatch]
        );
        assert_eq!(need_allowed_actions(NeedStatus::Open, team), [A::Claim]);
        assert_eq!(
            need_allowed_actions(NeedStatus::Dispatched, holder),
            [A::AcceptDispatch, A::DeclineDispatch]
        );
        assert_eq!(
            need_allowed_actions(NeedStatus::Claimed, holder),
            [A::Schedule]
        );
        assert!(need_allowed_actions(NeedStatus::Expired, requester).is_empty());
        assert_eq!(
            need_allowed_actions(NeedStatus::Served, requester),
            [A::Rate]
        );
        // A requester that could claim its own need is not offered the claim.
        let both = NeedRoles {
            requester: true,
            claimant: true,
            ..Default::default()
        };
        assert!(!need_allowed_actions(NeedStatus::Open, both).contains(&A::Claim));
        assert_eq!(need_action_starts_from(A::Schedule), [NeedStatus::Claimed]);
    }

    #[test]
    fn who_posts_and_who_claims() {
        use OrganizationCategory as C;
        use OrganizationLevel as L;
        assert!(check_requester(C::CountyAssociation, L::County, false).is_ok());
        assert!(check_requester(C::CountyVolunteerFederation, L::County, false).is_ok());
        assert!(check_requester(C::Other, L::Grassroots, false).is_ok());
        // A provincial society posts for the science-education base it runs.
        assert!(check_requester(C::ProvincialSociety, L::Province, true).is_ok());
        let e = check_requester(C::ProvincialSociety, L::Province, false).unwrap_err();
        assert_eq!(e.code, ProblemCode::NotARequester);
        assert!(check_requester(C::CityAssociation, L::City, false).is_err());
        // The county's flag wins over what the requester declares.
        use PriorityArea as P;
        assert_eq!(
            need_priority(None, Some(P::RevolutionaryBase)),
            Some(P::RevolutionaryBase)
        );
        assert_eq!(
            need_priority(Some(P::RemoteMountain), Some(P::RevolutionaryBase)),
            Some(P::RevolutionaryBase)
        );
        assert_eq!(
            need_priority(Some(P::RemoteMountain), None),
            Some(P::RemoteMountain)
        );

        let facts = |c, team, paired| ClaimFacts {
            team_category: c,
            team_region: team,
            need_region: "130102",
            paired,
            own_need: false,
        };
        assert_eq!(
            claim_basis(facts(C::Other, "130102", false)).unwrap(),
            ClaimBasis::SameCounty
        );
        assert_eq!(
            claim_basis(facts(C::MunicipalSociety, "110000", true)).unwrap(),
            ClaimBasis::Paired
        );
        assert_eq!(
            claim_basis(facts(C::ProvincialSociety, "130000", false)).unwrap(),
            ClaimBasis::ProvincialSociety
        );
        assert_eq!(
            claim_basis(facts(C::NationalSociety, "110000", false)).unwrap(),
            ClaimBasis::NationalSociety
        );
        // A team of another county, a society of another province, an association.
        for f in [
            facts(C::University, "130104", false),
            facts(C::ProvincialSociety, "110000", false),
            facts(C::CountyAssociation, "130102", false),
            facts(C::University, "130104", true),
            ClaimFacts {
                own_need: true,
                ..facts(C::Other, "130102", false)
            },
        ] {
            assert_eq!(
                claim_basis(f).unwrap_err().code,
                ProblemCode::ClaimNotEligible
            );
        }
    }

    #[test]
    fn the_window_is_checked_against_today() {
        let today = d(2026, 6, 1);
        assert!(check_window(d(2026, 6, 1), d(2026, 6, 30), today).is_ok());
        let code = |f, t| check_window(f, t, today).unwrap_err().1.code;
        assert_eq!(
            code(d(2026, 6, 30), d(2026, 6, 1)),
            ProblemCode::PeriodEndsBeforeStart
        );
        assert_eq!(code(d(2026, 5, 1), d(2026, 5, 31)), ProblemCode::InThePast);
        assert_eq!(
            code(d(2026, 6, 1), d(2027, 6, 30)),
            ProblemCode::PeriodTooLong
        );
    }

    #[test]
    fn an_activity_falls_within_the_window_both_ends_included() {
        let (from, to) = (d(2026, 6, 10), d(2026, 7, 31));
        assert!(check_within_window(from, from, to).is_ok());
        assert!(check_within_window(to, from, to).is_ok());
        for day in [d(2026, 6, 9), d(2026, 8, 1)] {
            let e = check_within_window(day, from, to).unwrap_err();
            assert_eq!(e.code, ProblemCode::OutsideWindow);
        }
    }

    #[test]
    fn ratings_close_after_thirty_days() {
        let served = DateTime::parse_from_rfc3339("2026-06-01T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert!(rating_open(served, served + Duration::days(30), 30));
        assert!(!rating_open(
            served,
            served + Duration::days(30) + Duration::seconds(1),
            30
        ));
        assert!(check_stars(1).is_ok() && check_stars(5).is_ok());
        assert_eq!(check_stars(0).unwrap_err().code, ProblemCode::Range);
        assert!(check_stars(6).is_err());
    }

    #[test]
    fn skills_are_matched_by_field_words_and_tags() {
        let wanted = WantedSkills {
            fields: vec![SkillField::Agriculture, SkillField::Health],
            tags: vec!["果树修剪".into(), "无人机".into()],
        };
        let held = ["农业技术推广", "果树修剪与嫁接"];
        assert_eq!(
            wanted.covered_by(held.iter().copied()),
            ["agriculture", "果树修剪"]
        );
        assert!(wanted.covered_by(["会计"].iter().copied()).is_empty());
        assert!(tag_matches("修剪", "果树修剪"));
        assert!(!tag_matches("a", "ab"));
    }

    fn base() -> Candidate {
        Candidate {
            matched: vec!["agriculture".into()],
            wanted: 2,
            paired: false,
            closeness: Closeness::SameProvince,
            open_commitments: 1,
            ratings: 0,
            stars_total: 0,
        }
    }

    /// Each factor moves a team the documented way, all else equal.
    #[test]
    fn each_factor_moves_the_rank_the_documented_way() {
        let w = RankWeights::default();
        let better = |tweak: fn(&mut Candidate)| {
            let mut b = base();
            tweak(&mut b);
            // "b" is the better team; its key sorts last, so only the score can put it first.
            let ranked = rank(vec![(0, base()), (1, b)], &w);
            ranked[0].0
        };
        assert_eq!(better(|c| c.matched.push("果树修剪".into())), 1);
        assert_eq!(better(|c| c.paired = true), 1);
        assert_eq!(better(|c| c.closeness = Closeness::SameCounty), 1);
        assert_eq!(better(|c| c.open_commitments = 0), 1);
        assert_eq!(
            better(|c| {
                c.ratings = 3;
                c.stars_total = 15
            }),
            1
        );
        // And the other way.
        assert_eq!(better(|c| c.closeness = Closeness::National), 0);
        assert_eq!(better(|c| c.open_commitments = 5), 0);
        assert_eq!(
            better(|c| {
                c.ratings = 2;
                c.stars_total = 2
            }),
            0
        );
        // Equal teams keep the order of their keys: the same data, the same ranking.
        let ranked = rank(vec![(2, base()), (1, base())], &w);
        assert_eq!(ranked[0].0, 1);
        // The full marks are the weights' sum.
        let top = Candidate {
            matched: vec!["a".into(), "b".into()],
            wanted: 2,
            paired: true,
            closeness: Closeness::SameCounty,
            open_commitments: 0,
            ratings: 1000,
            stars_total: 5000,
        };
        assert!((factors(&top, &w).total() - 100.0).abs() < 0.1);
    }

    #[test]
    fn closeness_follows_the_region_tree() {
        use OrganizationCategory as C;
        assert_eq!(
            closeness(C::Other, "130102", "130102"),
            Closeness::SameCounty
        );
        assert_eq!(closeness(C::Other, "130104", "130102"), Closeness::SameCity);
        assert_eq!(
            closeness(C::ProvincialSociety, "130000", "130102"),
            Closeness::SameProvince
        );
        assert_eq!(
            closeness(C::MunicipalSociety, "130100", "130102"),
            Closeness::SameCity
        );
        assert_eq!(
            closeness(C::NationalSociety, "110000", "130102"),
            Closeness::National
        );
        assert_eq!(
            closeness(C::University, "110105", "130102"),
            Closeness::Elsewhere
        );
    }

    #[test]
    fn the_median_of_a_histogram() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(3, 1)]), Some(3));
        assert_eq!(median(&[(1, 1), (5, 1)]), Some(1));
        assert_eq!(median(&[(9, 1), (1, 2), (4, 2)]), Some(4));
    }
}
