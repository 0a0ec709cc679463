//! Science hub centres (科普服务汇中心): service points (服务点/阵地), micro-exhibitions
//! (科普微展览), their stays at service points and the rotation between them, rules 57-62.
//!
//! A stay's life is one state machine ([`stay_transition`], [`stay_allowed_actions`]); the
//! two placement rules of rule 60 are [`check_exhibition_free`] and [`check_room`], which the
//! repository applies to the rows it reads under lock; the rotation planner of rule 61 is
//! [`plan_rotation`]. Nothing here reads a clock: "today" is a parameter.

use std::collections::{BTreeSet, HashMap};

use chrono::{Duration, NaiveDate};
use uuid::Uuid;

use crate::error::{FieldError, TransitionError};
use crate::organization::string_enum;
use crate::ProblemCode;

string_enum! {
    /// What kind of place a service point is (rule 57).
    ServicePointKind {
        /// 新时代文明实践中心 (county)
        CivilisationCentre => "civilisation_centre",
        /// 新时代文明实践所 (township)
        CivilisationStation => "civilisation_station",
        /// 新时代文明实践站 (village or community)
        CivilisationPost => "civilisation_post",
        /// 科普教育基地
        ScienceEducationBase => "science_education_base",
        /// 社区科普e站
        CommunityScienceStation => "community_science_station",
        /// 村级科技服务站
        VillageTechnicalStation => "village_technical_station",
    }
}

string_enum! {
    /// The categories of CAST's guidance catalogue of exhibitions and activities for the
    /// civilisation-practice centres (《新时代文明实践中心科普展览、活动资源指导目录》), rule 59.
    ExhibitionCategory {
        /// 科学生活
        ScientificLiving => "scientific_living",
        /// 健康卫生
        Health => "health",
        /// 应急安全
        EmergencySafety => "emergency_safety",
        /// 生态环保
        Ecology => "ecology",
        /// 乡村振兴与农业科技
        RuralRevitalisation => "rural_revitalisation",
        /// 前沿科技
        FrontierScience => "frontier_science",
        /// 数字素养
        DigitalLiteracy => "digital_literacy",
        /// 科学家精神
        ScientistSpirit => "scientist_spirit",
    }
}

string_enum! {
    /// States of an exhibition's stay at a service point (rule 60). Only `scheduled` and
    /// `cancelled` are stored; `showing` and `ended` follow from the dates and today.
    StayStatus {
        /// Placed, not yet begun.
        Scheduled => "scheduled",
        /// On show today.
        Showing => "showing",
        /// Its last day has passed.
        Ended => "ended",
        Cancelled => "cancelled",
    }
}

string_enum! {
    /// What can be done to a stay.
    StayAction {
        /// Withdraw it before it begins (the exhibition's owner).
        Cancel => "cancel",
        /// Record its visitors, guided tours and lectures (the host or the owner), rule 62.
        RecordVisits => "record_visits",
    }
}

string_enum! {
    /// What can be done to a service point.
    ServicePointAction {
        /// Change its details (its organisation's admins, those above, the platform).
        Update => "update",
    }
}

impl ServicePointKind {
    /// Whether a point of this kind is a community or village service point, the fourth
    /// list of the annual "four top tens" (rules 26 and 62): a civilisation-practice post, a
    /// community science station or a village technical station.
    pub fn is_recognised_grassroots(self) -> bool {
        matches!(
            self,
            ServicePointKind::CivilisationPost
                | ServicePointKind::CommunityScienceStation
                | ServicePointKind::VillageTechnicalStation
        )
    }
}

/// How many service-point candidates a recognition lists at most.
pub const RECOGNITION_POINTS: u64 = 50;

/// The longest stay, and the longest rotation period, in days.
pub const MAX_STAY_DAYS: i64 = 366;
pub const MAX_PLAN_DAYS: i64 = 3 * 366;
/// The shortest stay a rotation plan proposes.
pub const MIN_PLAN_STAY_DAYS: i64 = 7;
/// How many exhibitions a service point may show at once at most.
pub const MAX_EXHIBITION_SLOTS: i32 = 20;
/// How many exhibitions and how many service points one plan considers at most.
pub const MAX_PLAN_EXHIBITIONS: usize = 100;
pub const MAX_PLAN_POINTS: usize = 100;

/// A closed interval of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Days {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Days {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Self {
        Self { from, to }
    }

    /// Whether the two share at least one day.
    pub fn overlaps(self, other: Days) -> bool {
        self.from <= other.to && other.from <= self.to
    }

    pub fn len(self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    pub fn is_empty(self) -> bool {
        self.to < self.from
    }
}

/// A stay's effective state on `today` (China's date).
pub fn effective_stay_status(stored: StayStatus, days: Days, today: NaiveDate) -> StayStatus {
    match stored {
        StayStatus::Cancelled => StayStatus::Cancelled,
        _ if today > days.to => StayStatus::Ended,
        _ if today >= days.from => StayStatus::Showing,
        _ => StayStatus::Scheduled,
    }
}

/// One step of a stay's life, from its effective state.
pub fn stay_transition(
    from: StayStatus,
    action: StayAction,
) -> Result<StayStatus, TransitionError> {
    use StayAction as A;
    use StayStatus as S;
    match (from, action) {
        (S::Scheduled, A::Cancel) => Ok(S::Cancelled),
        (S::Showing | S::Ended, A::RecordVisits) => Ok(from),
        (S::Cancelled, _) => Err(TransitionError::new(
            ProblemCode::StayCancelled,
            "the stay was cancelled",
        )),
        (S::Showing | S::Ended, A::Cancel) => Err(TransitionError::new(
            ProblemCode::StayBegun,
            "the stay has begun; a stay is cancelled before its first day",
        )),
        (S::Scheduled, A::RecordVisits) => Err(TransitionError::new(
            ProblemCode::StayNotBegun,
            "visits are recorded from the stay's first day",
        )),
    }
}

/// Who stands where towards a stay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StayRoles {
    /// Administers the exhibition's owner (or is a platform admin).
    pub owner: bool,
    /// Administers the hosting service point's organisation.
    pub host: bool,
}

/// The actions the caller may take on a stay in its effective state.
pub fn stay_allowed_actions(status: StayStatus, roles: StayRoles) -> Vec<StayAction> {
    StayAction::ALL
        .iter()
        .copied()
        .filter(|a| match a {
            StayAction::Cancel => roles.owner,
            StayAction::RecordVisits => roles.owner || roles.host,
        })
        .filter(|a| stay_transition(status, *a).is_ok())
        .collect()
}

/// The actions the caller may take on a service point.
pub fn service_point_allowed_actions(manages: bool) -> Vec<ServicePointAction> {
    if manages {
        vec![ServicePointAction::Update]
    } else {
        vec![]
    }
}

/// A new stay's days: it ends on or after its first day, lasts at most a year and has not
/// ended before `today`. The error names the field at fault.
pub fn check_stay_days(days: Days, today: NaiveDate) -> Result<(), (&'static str, FieldError)> {
    if days.is_empty() {
        return Err((
            "ends_on",
            FieldError::new(
                ProblemCode::PeriodEndsBeforeStart,
                "a stay ends on or after its first day",
            ),
        ));
    }
    if days.len() > MAX_STAY_DAYS {
        return Err((
            "ends_on",
            FieldError::new(ProblemCode::PeriodTooLong, "a stay lasts at most a year"),
        ));
    }
    if days.to < today {
        return Err((
            "ends_on",
            FieldError::new(ProblemCode::InThePast, "the stay would have ended already"),
        ));
    }
    Ok(())
}

/// Rule 60, first half: an exhibition is in one place at a time. `others` are the days of
/// its other stays that are not cancelled.
pub fn check_exhibition_free(others: &[Days], new: Days) -> Result<(), TransitionError> {
    match others.iter().find(|o| o.overlaps(new)) {
        Some(o) => Err(TransitionError::new(
            ProblemCode::ExhibitionElsewhere,
            format!("the exhibition is elsewhere from {} to {}", o.from, o.to),
        )),
        None => Ok(()),
    }
}

/// The most stays of `stays` showing on one day of `within`.
pub fn most_at_once(stays: &[Days], within: Days) -> usize {
    // A sweep over the days where the count changes.
    let mut changes: Vec<(NaiveDate, i32)> = Vec::new();
    for s in stays.iter().filter(|s| s.overlaps(within)) {
        changes.push((s.from.max(within.from), 1));
        if let Some(after) = s.to.min(within.to).succ_opt() {
            changes.push((after, -1));
        }
    }
    // Ends before starts on the same day: a stay ending the day before another begins does
    // not overlap it.
    changes.sort_by_key(|(d, c)| (*d, *c));
    let (mut now, mut most) = (0i32, 0i32);
    for (_, c) in changes {
        now += c;
        most = most.max(now);
    }
    most.max(0) as usize
}

/// Rule 60, second half: a service point shows at most `slots` exhibitions at once.
/// `others` are the days of the stays already placed there that are not cancelled.
pub fn check_room(slots: i32, others: &[Days], new: Days) -> Result<(), TransitionError> {
    if slots <= 0 {
        return Err(TransitionError::new(
            ProblemCode::PointShowsNoExhibitions,
            "this service point does not show exhibitions",
        ));
    }
    if most_at_once(others, new) >= slots as usize {
        return Err(TransitionError::new(
            ProblemCode::ServicePointFull,
            format!("the service point shows {slots} exhibition(s) at once and is full on some of these days"),
        ));
    }
    Ok(())
}

/// Recorded visits of a stay (rule 62).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Visits {
    pub visitors: i32,
    pub guided_tours: i32,
    pub lectures: i32,
}

/// The largest figure of one recorded field.
pub const MAX_VISITS: i32 = 10_000_000;

/// Checks recorded visits; the error names the field at fault.
pub fn check_visits(v: Visits) -> Result<Visits, (&'static str, FieldError)> {
    for (field, n) in [
        ("visitors", v.visitors),
        ("guided_tours", v.guided_tours),
        ("lectures", v.lectures),
    ] {
        if !(0..=MAX_VISITS).contains(&n) {
            return Err((
                field,
                FieldError::new(ProblemCode::OutOfRange, "between 0 and 10,000,000"),
            ));
        }
    }
    if v.guided_tours > v.visitors {
        return Err((
            "guided_tours",
            FieldError::new(ProblemCode::OutOfRange, "more guided tours than visitors"),
        ));
    }
    Ok(v)
}

/// An exhibition a rotation plan may place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanExhibition {
    pub id: Uuid,
    pub theme: String,
}

/// A service point a rotation plan may place exhibitions at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanPoint {
    pub id: Uuid,
    /// How many exhibitions it shows at once.
    pub slots: i32,
    /// The themes it has shown already (stays before the period): not shown again.
    pub seen_themes: Vec<String>,
}

/// A stay already placed, which a plan works around.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacedStay {
    pub exhibition_id: Uuid,
    pub point_id: Uuid,
    pub days: Days,
}

/// One stay a plan proposes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedStay {
    pub exhibition_id: Uuid,
    pub point_id: Uuid,
    pub days: Days,
}

/// A service point able to show exhibitions that a plan leaves without one for a round:
/// every exhibition free then shows a theme it has seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanGap {
    pub point_id: Uuid,
    pub days: Days,
}

/// A proposed rotation (rule 61): the rounds the period is cut into, the stays, and the
/// rounds where a point that could show an exhibition is left without one because every
/// exhibition free then shows a theme it has seen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RotationPlan {
    pub rounds: Vec<Days>,
    pub stays: Vec<ProposedStay>,
    pub gaps: Vec<PlanGap>,
}

/// What a plan is asked for.
#[derive(Debug, Clone)]
pub struct PlanRequest<'a> {
    pub exhibitions: &'a [PlanExhibition],
    pub points: &'a [PlanPoint],
    pub period: Days,
    pub stay_days: i64,
    pub placed: &'a [PlacedStay],
}

/// Checks a plan's period and stay length; the error names the field at fault.
pub fn check_plan_request(period: Days, stay_days: i64) -> Result<(), (&'static str, FieldError)> {
    if period.is_empty() {
        return Err((
            "ends_on",
            FieldError::new(
                ProblemCode::PeriodEndsBeforeStart,
                "the period ends on or after its first day",
            ),
        ));
    }
    if period.len() > MAX_PLAN_DAYS {
        return Err((
            "ends_on",
            FieldError::new(
                ProblemCode::PeriodTooLong,
                "a plan covers at most three years",
            ),
        ));
    }
    if !(MIN_PLAN_STAY_DAYS..=MAX_STAY_DAYS).contains(&stay_days) {
        return Err((
            "stay_days",
            FieldError::new(
                ProblemCode::OutOfRange,
                "a planned stay lasts 7 to 366 days",
            ),
        ));
    }
    Ok(())
}

/// The rounds a period is cut into: `stay_days` each, the last one ending with the period.
pub fn rounds(period: Days, stay_days: i64) -> Vec<Days> {
    let mut out = Vec::new();
    let mut from = period.from;
    while from <= period.to {
        let to = (from + Duration::days(stay_days - 1)).min(period.to);
        out.push(Days::new(from, to));
        match to.succ_opt() {
            Some(next) => from = next,
            None => break,
        }
    }
    out
}

fn theme_key(t: &str) -> String {
    t.trim().to_lowercase()
}

/// Proposes a rotation (rule 61). The period is cut into rounds of `stay_days`; in every
/// round each exhibition is placed at one point at most, each point receives at most its
/// free slots, and no point receives a theme it has shown before (in this plan or before
/// it). Within a round, first as many points as possible receive one exhibition (a maximum
/// matching, the points empty longest served first), then remaining slots are filled. Stays
/// already placed keep their exhibitions busy and their slots taken.
pub fn plan_rotation(req: &PlanRequest<'_>) -> Result<RotationPlan, (&'static str, FieldError)> {
    check_plan_request(req.period, req.stay_days)?;
    let mut seen: Vec<BTreeSet<String>> = req
        .points
        .iter()
        .map(|p| p.seen_themes.iter().map(|t| theme_key(t)).collect())
        .collect();
    for s in req.placed {
        if let (Some(pi), Some(e)) = (
            req.points.iter().position(|p| p.id == s.point_id),
            req.exhibitions.iter().find(|e| e.id == s.exhibition_id),
        ) {
            seen[pi].insert(theme_key(&e.theme));
        }
    }
    let themes: Vec<String> = req
        .exhibitions
        .iter()
        .map(|e| theme_key(&e.theme))
        .collect();
    // The round each point last received an exhibition in (None: never in this plan).
    let mut last_shown: Vec<Option<usize>> = vec![None; req.points.len()];
    let mut plan = RotationPlan {
        rounds: rounds(req.period, req.stay_days),
        ..Default::default()
    };
    for (r, round) in plan.rounds.clone().into_iter().enumerate() {
        let free_exhibition: Vec<bool> = req
            .exhibitions
            .iter()
            .map(|e| {
                !req.placed
                    .iter()
                    .any(|s| s.exhibition_id == e.id && s.days.overlaps(round))
            })
            .collect();
        let mut seats: Vec<usize> = req
            .points
            .iter()
            .map(|p| {
                let taken: Vec<Days> = req
                    .placed
                    .iter()
                    .filter(|s| s.point_id == p.id)
                    .map(|s| s.days)
                    .collect();
                (p.slots.max(0) as usize).saturating_sub(most_at_once(&taken, round))
            })
            .collect();
        let fits = |pi: usize, ei: usize, seen: &[BTreeSet<String>]| {
            free_exhibition[ei] && !seen[pi].contains(&themes[ei])
        };
        // Points empty longest first; then in the order given.
        let mut order: Vec<usize> = (0..req.points.len()).filter(|&p| seats[p] > 0).collect();
        order.sort_by_key(|&p| (last_shown[p].map_or(0, |l| l + 1), p));
        // Exhibitions are tried in an order that turns with the round, so they move on.
        let n = req.exhibitions.len();
        let tries = |pi: usize| -> Vec<usize> {
            if n == 0 {
                return vec![];
            }
            (0..n).map(|k| (k + pi + r) % n).collect()
        };
        // A maximum matching of points (one seat each) to exhibitions (Kuhn's augmenting
        // paths), each point trying the exhibitions it may receive in its turning order.
        let edges: Vec<Vec<usize>> = (0..req.points.len())
            .map(|p| {
                tries(p)
                    .into_iter()
                    .filter(|&e| fits(p, e, &seen))
                    .collect()
            })
            .collect();
        let mut holder: Vec<Option<usize>> = vec![None; n];
        for &p in &order {
            let mut visited = vec![false; n];
            augment(p, &edges, &mut holder, &mut visited);
        }
        let mut placed_now: Vec<Vec<usize>> = vec![vec![]; req.points.len()];
        for (e, h) in holder.iter().enumerate() {
            if let Some(p) = h {
                placed_now[*p].push(e);
            }
        }
        // Fill the remaining seats, one per point per pass, with themes new to the point.
        let mut used: Vec<bool> = holder.iter().map(Option::is_some).collect();
        for &p in &order {
            seats[p] = seats[p].saturating_sub(placed_now[p].len());
        }
        loop {
            let mut any = false;
            for &p in &order {
                if seats[p] == 0 {
                    continue;
                }
                let pick = tries(p).into_iter().find(|&e| {
                    !used[e]
                        && fits(p, e, &seen)
                        && !placed_now[p].iter().any(|&o| themes[o] == themes[e])
                });
                if let Some(e) = pick {
                    used[e] = true;
                    seats[p] -= 1;
                    placed_now[p].push(e);
                    any = true;
                }
            }
            if !any {
                break;
            }
        }
        for (p, es) in placed_now.iter().enumerate() {
            let capable = req.points[p].slots > 0;
            if es.is_empty() {
                let already_showing = req
                    .placed
                    .iter()
                    .any(|s| s.point_id == req.points[p].id && s.days.overlaps(round));
                if capable && !already_showing {
                    plan.gaps.push(PlanGap {
                        point_id: req.points[p].id,
                        days: round,
                    });
                }
                continue;
            }
            last_shown[p] = Some(r);
            for &e in es {
                seen[p].insert(themes[e].clone());
                plan.stays.push(ProposedStay {
                    exhibition_id: req.exhibitions[e].id,
                    point_id: req.points[p].id,
                    days: round,
                });
            }
        }
    }
    Ok(plan)
}

/// One augmenting step of the matching: finds an exhibition for point `p` among its
/// `edges`, moving others along.
fn augment(
    p: usize,
    edges: &[Vec<usize>],
    holder: &mut [Option<usize>],
    visited: &mut [bool],
) -> bool {
    for &e in &edges[p] {
        if visited[e] {
            continue;
        }
        visited[e] = true;
        let free = match holder[e] {
            None => true,
            Some(q) => augment(q, edges, holder, visited),
        };
        if free {
            holder[e] = Some(p);
            return true;
        }
    }
    false
}

/// What a checked plan breaks, if anything: used by tests and by the service before it
/// answers, so a plan that broke a rule would never leave it.
pub fn plan_faults(req: &PlanRequest<'_>, plan: &RotationPlan) -> Vec<String> {
    let mut faults = Vec::new();
    let theme_of: HashMap<Uuid, String> = req
        .exhibitions
        .iter()
        .map(|e| (e.id, theme_key(&e.theme)))
        .collect();
    let mut all: Vec<PlacedStay> = req.placed.to_vec();
    all.extend(plan.stays.iter().map(|s| PlacedStay {
        exhibition_id: s.exhibition_id,
        point_id: s.point_id,
        days: s.days,
    }));
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            if a.exhibition_id == b.exhibition_id && a.days.overlaps(b.days) {
                faults.push(format!("exhibition {} in two places", a.exhibition_id));
            }
        }
    }
    for p in req.points {
        let here: Vec<Days> = all
            .iter()
            .filter(|s| s.point_id == p.id)
            .map(|s| s.days)
            .collect();
        if most_at_once(&here, req.period) > p.slots.max(0) as usize {
            faults.push(format!("point {} over its slots", p.id));
        }
        let mut themes: Vec<String> = p.seen_themes.iter().map(|t| theme_key(t)).collect();
        themes.extend(
            all.iter()
                .filter(|s| s.point_id == p.id)
                .filter_map(|s| theme_of.get(&s.exhibition_id).cloned()),
        );
        let distinct: BTreeSet<&String> = themes.iter().collect();
        if distinct.len() != themes.len() {
            faults.push(format!("point {} sees a theme twice", p.id));
        }
    }
    // The rounds cover the period, one after another.
    let mut next = req.period.from;
    for r in &plan.rounds {
        if r.from != next {
            faults.push(format!("a round begins on {} instead of {next}", r.from));
        }
        next = r.to.succ_opt().unwrap_or(r.to);
    }
    if plan.rounds.last().map(|r| r.to) != Some(req.period.to) {
        faults.push("the rounds do not reach the period's end".into());
    }
    faults
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn days(a: &str, b: &str) -> Days {
        Days::new(d(a), d(b))
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn a_stay_is_cancelled_before_it_begins_and_visited_after() {
        let s = days("2027-03-01", "2027-03-31");
        let before = effective_stay_status(StayStatus::Scheduled, s, d("2027-02-28"));
        let during = effective_stay_status(StayStatus::Scheduled, s, d("2027-03-31"));
        let after = effective_stay_status(StayStatus::Scheduled, s, d("2027-04-01"));
        assert_eq!(before, StayStatus::Scheduled);
        assert_eq!(during, StayStatus::Showing);
        assert_eq!(after, StayStatus::Ended);
        assert_eq!(
            effective_stay_status(StayStatus::Cancelled, s, d("2027-03-05")),
            StayStatus::Cancelled
        );
        assert_eq!(
            stay_transition(before, StayAction::Cancel),
            Ok(StayStatus::Cancelled)
        );
        assert_eq!(
            stay_transition(during, StayAction::Cancel)
                .unwrap_err()
                .code,
            ProblemCode::StayBegun
        );
        assert_eq!(
            stay_transition(before, StayAction::RecordVisits)
                .unwrap_err()
                .code,
            ProblemCode::StayNotBegun
        );
        assert_eq!(stay_transition(after, StayAction::RecordVisits), Ok(after));
        assert_eq!(
            stay_transition(StayStatus::Cancelled, StayAction::RecordVisits)
                .unwrap_err()
                .code,
            ProblemCode::StayCancelled
        );
    }

    #[test]
    fn the_owner_cancels_and_the_host_records() {
        let owner = StayRoles {
            owner: true,
            host: false,
        };
        let host = StayRoles {
            owner: false,
            host: true,
        };
        let other = StayRoles::default();
        assert_eq!(
            stay_allowed_actions(StayStatus::Scheduled, owner),
            vec![StayAction::Cancel]
        );
        assert!(stay_allowed_actions(StayStatus::Scheduled, host).is_empty());
        assert_eq!(
            stay_allowed_actions(StayStatus::Showing, host),
            vec![StayAction::RecordVisits]
        );
        assert_eq!(
            stay_allowed_actions(StayStatus::Ended, owner),
            vec![StayAction::RecordVisits]
        );
        assert!(stay_allowed_actions(StayStatus::Showing, other).is_empty());
        assert!(stay_allowed_actions(StayStatus::Cancelled, owner).is_empty());
    }

    #[test]
    fn an_exhibition_is_in_one_place_at_a_time() {
        let placed = [days("2027-03-01", "2027-03-31")];
        assert!(check_exhibition_free(&placed, days("2027-04-01", "2027-04-30")).is_ok());
        assert!(check_exhibition_free(&placed, days("2027-02-01", "2027-02-28")).is_ok());
        for clash in [
            days("2027-03-31", "2027-04-30"),
            days("2027-02-01", "2027-03-01"),
            days("2027-03-10", "2027-03-11"),
            days("2027-01-01", "2027-12-31"),
        ] {
            assert_eq!(
                check_exhibition_free(&placed, clash).unwrap_err().code,
                ProblemCode::ExhibitionElsewhere,
                "{clash:?}"
            );
        }
    }

    #[test]
    fn a_point_shows_at_most_its_slots_at_once() {
        let placed = [
            days("2027-03-01", "2027-03-31"),
            days("2027-03-20", "2027-04-10"),
        ];
        // Two at once from 20 to 31 March.
        assert_eq!(most_at_once(&placed, days("2027-01-01", "2027-12-31")), 2);
        assert_eq!(most_at_once(&placed, days("2027-04-01", "2027-04-30")), 1);
        assert_eq!(most_at_once(&placed, days("2027-04-11", "2027-04-30")), 0);
        // Back to back is not at once.
        let chain = [
            days("2027-03-01", "2027-03-31"),
            days("2027-04-01", "2027-04-30"),
        ];
        assert_eq!(most_at_once(&chain, days("2027-01-01", "2027-12-31")), 1);
        assert!(check_room(2, &placed, days("2027-04-01", "2027-04-30")).is_ok());
        assert_eq!(
            check_room(2, &placed, days("2027-03-25", "2027-03-26"))
                .unwrap_err()
                .code,
            ProblemCode::ServicePointFull
        );
        assert_eq!(
            check_room(0, &[], days("2027-03-25", "2027-03-26"))
                .unwrap_err()
                .code,
            ProblemCode::PointShowsNoExhibitions
        );
    }

    #[test]
    fn community_and_village_points_are_recognised() {
        let recognised: Vec<ServicePointKind> = ServicePointKind::ALL
            .iter()
            .copied()
            .filter(|k| k.is_recognised_grassroots())
            .collect();
        assert_eq!(
            recognised,
            vec![
                ServicePointKind::CivilisationPost,
                ServicePointKind::CommunityScienceStation,
                ServicePointKind::VillageTechnicalStation
            ]
        );
    }

    #[test]
    fn stay_days_are_checked() {
        let today = d("2027-03-01");
        assert!(check_stay_days(days("2027-03-01", "2027-03-01"), today).is_ok());
        assert_eq!(
            check_stay_days(days("2027-03-02", "2027-03-01"), today)
                .unwrap_err()
                .1
                .code,
            ProblemCode::PeriodEndsBeforeStart
        );
        assert_eq!(
            check_stay_days(days("2027-03-01", "2028-03-01"), today)
                .unwrap_err()
                .1
                .code,
            ProblemCode::PeriodTooLong
        );
        assert_eq!(
            check_stay_days(days("2027-02-01", "2027-02-28"), today)
                .unwrap_err()
                .1
                .code,
            ProblemCode::InThePast
        );
        // A stay begun already but not ended may still be entered.
        assert!(check_stay_days(days("2027-02-01", "2027-03-05"), today).is_ok());
    }

    fn exhibitions(themes: &[&str]) -> Vec<PlanExhibition> {
        themes
            .iter()
            .enumerate()
            .map(|(i, t)| PlanExhibition {
                id: id(1000 + i as u128),
                theme: t.to_string(),
            })
            .collect()
    }

    fn points(slots: &[i32]) -> Vec<PlanPoint> {
        slots
            .iter()
            .enumerate()
            .map(|(i, s)| PlanPoint {
                id: id(1 + i as u128),
                slots: *s,
                seen_themes: vec![],
            })
            .collect()
    }

    #[test]
    fn a_plan_rotates_every_theme_through_every_centre_once() {
        let ex = exhibitions(&["防范电信诈骗", "垃圾分类", "急救知识", "航天科普"]);
        let pts = points(&[1, 1, 1, 1]);
        let req = PlanRequest {
            exhibitions: &ex,
            points: &pts,
            period: days("2027-01-01", "2027-04-30"),
            stay_days: 30,
            placed: &[],
        };
        let plan = plan_rotation(&req).unwrap();
        assert_eq!(plan_faults(&req, &plan), Vec::<String>::new());
        // 120 days in rounds of 30: four rounds, the last ends with the period.
        assert_eq!(plan.rounds.len(), 4);
        assert_eq!(plan.rounds[3], days("2027-04-01", "2027-04-30"));
        // Four exhibitions, four centres, four rounds: everyone sees everything once and
        // no centre is ever empty.
        assert_eq!(plan.stays.len(), 16);
        assert!(plan.gaps.is_empty(), "{:?}", plan.gaps);
        for p in &pts {
            let mine: BTreeSet<Uuid> = plan
                .stays
                .iter()
                .filter(|s| s.point_id == p.id)
                .map(|s| s.exhibition_id)
                .collect();
            assert_eq!(mine.len(), 4);
        }
    }

    #[test]
    fn a_centre_runs_out_of_new_themes_and_says_so() {
        // Two exhibitions of the same theme and one other, three centres, three rounds:
        // each centre can see at most two themes, so each has one empty round at least.
        let ex = exhibitions(&["急救知识", "急救知识", "航天科普"]);
        let pts = points(&[1, 1, 1]);
        let req = PlanRequest {
            exhibitions: &ex,
            points: &pts,
            period: days("2027-01-01", "2027-03-31"),
            stay_days: 30,
            placed: &[],
        };
        let plan = plan_rotation(&req).unwrap();
        assert_eq!(plan_faults(&req, &plan), Vec::<String>::new());
        assert!(!plan.gaps.is_empty());
        // Never more than two themes per centre.
        for p in &pts {
            assert!(plan.stays.iter().filter(|s| s.point_id == p.id).count() <= 2);
        }
        // In the first round all three centres show something (three exhibitions, a
        // matching gives each one).
        let first: Vec<_> = plan
            .stays
            .iter()
            .filter(|s| s.days == plan.rounds[0])
            .collect();
        assert_eq!(first.len(), 3);
    }

    #[test]
    fn a_plan_fills_every_slot_and_works_around_placed_stays() {
        let ex = exhibitions(&["a", "b", "c", "d", "e", "f"]);
        let mut pts = points(&[2, 1, 0]);
        pts[1].seen_themes = vec!["A".into()];
        let placed = [PlacedStay {
            exhibition_id: ex[5].id,
            point_id: pts[1].id,
            days: days("2027-01-01", "2027-01-20"),
        }];
        let req = PlanRequest {
            exhibitions: &ex,
            points: &pts,
            period: days("2027-01-01", "2027-02-27"),
            stay_days: 14,
            placed: &placed,
        };
        let plan = plan_rotation(&req).unwrap();
        assert_eq!(plan_faults(&req, &plan), Vec::<String>::new());
        // The point without slots gets nothing and is no gap.
        assert!(plan.stays.iter().all(|s| s.point_id != pts[2].id));
        assert!(plan.gaps.iter().all(|g| g.point_id != pts[2].id));
        // The point that showed `a` before never gets it.
        assert!(!plan
            .stays
            .iter()
            .any(|s| s.point_id == pts[1].id && s.exhibition_id == ex[0].id));
        // The first round: point 0 shows two, point 1 is busy with the placed stay.
        let first: Vec<_> = plan
            .stays
            .iter()
            .filter(|s| s.days == plan.rounds[0])
            .collect();
        assert_eq!(first.iter().filter(|s| s.point_id == pts[0].id).count(), 2);
        assert_eq!(first.iter().filter(|s| s.point_id == pts[1].id).count(), 0);
        assert!(plan.rounds.len() == 5 && plan.rounds[4] == days("2027-02-26", "2027-02-27"));
    }

    #[test]
    fn plan_requests_are_checked() {
        assert_eq!(
            check_plan_request(days("2027-01-01", "2027-03-01"), 3)
                .unwrap_err()
                .0,
            "stay_days"
        );
        assert_eq!(
            check_plan_request(days("2027-01-01", "2030-03-01"), 30)
                .unwrap_err()
                .1
                .code,
            ProblemCode::PeriodTooLong
        );
        assert_eq!(
            check_plan_request(days("2027-02-01", "2027-01-01"), 30)
                .unwrap_err()
                .1
                .code,
            ProblemCode::PeriodEndsBeforeStart
        );
    }

    #[test]
    fn many_centres_and_exhibitions_plan_without_a_fault() {
        let themes: Vec<String> = (0..60).map(|i| format!("theme {}", i % 40)).collect();
        let refs: Vec<&str> = themes.iter().map(String::as_str).collect();
        let ex = exhibitions(&refs);
        let slots: Vec<i32> = (0..30).map(|i| if i % 5 == 0 { 2 } else { 1 }).collect();
        let pts = points(&slots);
        let req = PlanRequest {
            exhibitions: &ex,
            points: &pts,
            period: days("2027-01-01", "2027-12-31"),
            stay_days: 30,
            placed: &[],
        };
        let plan = plan_rotation(&req).unwrap();
        assert_eq!(plan_faults(&req, &plan), Vec::<String>::new());
        // 60 exhibitions of 40 themes and 30 centres over 13 rounds: every centre has
        // themes left to see in every round, so none is ever empty.
        assert!(plan.gaps.is_empty(), "{} gaps", plan.gaps.len());
    }
}
