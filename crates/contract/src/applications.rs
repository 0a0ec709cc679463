//! Programme calls (项目申报通知) and funding applications (项目申报书), rules 32-38.
//! Money is in fen (1 yuan = 100 fen), as integers.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

use crate::form::{Problems, Rejected};

use crate::pairing::{PairingRef, PartyView, ProposedActivity};

/// A review criterion and its weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    #[schema(example = "项目可行性")]
    #[validate(length(min = 1, max = 50))]
    #[schema(min_length = 1, max_length = 50)]
    pub name: String,
    /// 1 to 100; weights need not add up to 100 (scores are divided by their sum).
    #[validate(range(min = 1, max = 100))]
    #[schema(minimum = 1, maximum = 100)]
    pub weight: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateCallRequest {
    #[schema(example = "智惠行动")]
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub programme: String,
    #[schema(example = "百会百县乡村行")]
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub sub_project: String,
    #[schema(example = 2027)]
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub opens_at: DateTime<Utc>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub closes_at: DateTime<Utc>,
    /// Organisation categories that may apply, e.g. `national_society`, `provincial_society`.
    #[validate(length(min = 1, max = 14))]
    #[schema(schema_with = crate::values::eligible_categories)]
    pub eligible_categories: Vec<String>,
    /// `society`, `county_volunteer_federation` or `hub_centre`.
    #[schema(schema_with = crate::values::form_variant)]
    pub form_variant: String,
    /// Most an application may request, in fen (200,000 yuan = 20000000).
    #[schema(example = 20000000)]
    #[validate(range(min = 1, max = zhihui_domain::bounds::MAX_FEN))]
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub cap_fen: i64,
    #[serde(default)]
    pub pairing_required: bool,
    #[serde(default)]
    pub endorsement_required: bool,
    /// Endorsements per province (default 1).
    #[validate(range(min = 1, max = 1000))]
    #[schema(minimum = 1, maximum = 1000)]
    pub province_quota: Option<i32>,
    /// When approved projects file their summary report.
    #[validate(custom(function = "crate::bounds::date"))]
    pub summary_due: NaiveDate,
    #[validate(length(min = 1, max = 20), nested)]
    #[schema(min_items = 1, max_items = 20)]
    pub criteria: Vec<Criterion>,
}

/// Partial update; absent fields stay. Send `If-Match` with the ETag.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateCallRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub programme: Option<String>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub sub_project: Option<String>,
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub opens_at: Option<DateTime<Utc>>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub closes_at: Option<DateTime<Utc>>,
    #[validate(length(min = 1, max = 14))]
    #[schema(schema_with = crate::values::eligible_categories)]
    pub eligible_categories: Option<Vec<String>>,
    #[schema(schema_with = crate::values::form_variant_or_null)]
    pub form_variant: Option<String>,
    #[validate(range(min = 1, max = zhihui_domain::bounds::MAX_FEN))]
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub cap_fen: Option<i64>,
    pub pairing_required: Option<bool>,
    pub endorsement_required: Option<bool>,
    #[validate(range(min = 1, max = 1000))]
    #[schema(minimum = 1, maximum = 1000)]
    pub province_quota: Option<i32>,
    #[validate(custom(function = "crate::bounds::date"))]
    pub summary_due: Option<NaiveDate>,
    #[validate(length(min = 1, max = 20), nested)]
    #[schema(min_items = 1, max_items = 20)]
    pub criteria: Option<Vec<Criterion>>,
}

/// A decision as the form and the service both check it against the application's
/// request (决定): approval with a grant above zero and not above the request; rejection and
/// return with a reason; a revision deadline that lies ahead.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// An approval may carry a note.
    Approve {
        granted_fen: i64,
        reason: Option<String>,
    },
    Reject {
        reason: String,
    },
    Return {
        reason: String,
        revision_deadline: Option<DateTime<Utc>>,
    },
}

impl Verdict {
    pub fn decision(&self) -> d::Decision {
        match self {
            Verdict::Approve { .. } => d::Decision::Approve,
            Verdict::Reject { .. } => d::Decision::Reject,
            Verdict::Return { .. } => d::Decision::Return,
        }
    }

    /// The reason given, for the history.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Verdict::Approve { reason, .. } => reason.as_deref(),
            Verdict::Reject { reason } | Verdict::Return { reason, .. } => Some(reason),
        }
    }
}

/// A decision on an application that requested `requested_fen`, taken at `now`.
impl TryFrom<(&DecisionRequest, i64, DateTime<Utc>)> for Verdict {
    type Error = Rejected;

    fn try_from(
        (r, requested_fen, now): (&DecisionRequest, i64, DateTime<Utc>),
    ) -> Result<Self, Rejected> {
        use d::ProblemCode as C;
        let mut p = Problems::validate(r);
        let decision = p.closed::<d::Decision>("decision", C::UnknownDecision, &r.decision);
        let reason = crate::form::blank(r.reason.as_deref()).map(str::to_string);
        let verdict = match decision {
            None => None,
            Some(d::Decision::Approve) => match r.granted_fen {
                None => {
                    p.push("granted_fen", C::GrantedRequired, "say how much is granted");
                    None
                }
                Some(g) if g <= 0 => {
                    p.push("granted_fen", C::OutOfRange, "grant more than zero");
                    None
                }
                Some(g) if g > requested_fen => {
                    p.push(
                        "granted_fen",
                        C::GrantedAboveRequest,
                        "the grant is not above the amount requested",
                    );
                    None
                }
                Some(granted_fen) => Some(Verdict::Approve {
                    granted_fen,
                    reason: reason.clone(),
                }),
            },
            Some(decision) => {
                if reason.is_none() {
                    p.push("reason", C::Required, "say why");
                }
                if r.revision_deadline.is_some_and(|d| d <= now) {
                    p.push(
                        "revision_deadline",
                        C::InThePast,
                        "the revision deadline lies ahead",
                    );
                }
                reason.map(|reason| match decision {
                    d::Decision::Reject => Verdict::Reject { reason },
                    _ => Verdict::Return {
                        reason,
                        revision_deadline: r.revision_deadline,
                    },
                })
            }
        };
        p.done(verdict)
    }
}

/// A reviewer's scores as the form and the service both check them against the call's
/// criteria (评审): each criterion of the call scored once, none other.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewScores {
    pub scores: Vec<Score>,
    /// Each score with its criterion's weight, for [`d::application::weighted_score`].
    pub weighted: Vec<(u32, u32)>,
    pub comment: String,
}

impl TryFrom<(&SubmitReviewRequest, &[Criterion])> for ReviewScores {
    type Error = Rejected;

    fn try_from((r, criteria): (&SubmitReviewRequest, &[Criterion])) -> Result<Self, Rejected> {
        use d::ProblemCode as C;
        let mut p = Problems::validate(r);
        let mut weighted = vec![];
        let mut seen: Vec<&str> = vec![];
        for (i, s) in r.scores.iter().enumerate() {
            match criteria.iter().find(|c| c.name == s.criterion) {
                None => p.push(
                    &format!("scores[{i}].criterion"),
                    C::UnknownCriterion,
                    "not a criterion of this call",
                ),
                Some(_) if seen.contains(&s.criterion.as_str()) => p.push(
                    &format!("scores[{i}].criterion"),
                    C::DuplicateCriterion,
                    "each criterion is scored once",
                ),
                Some(c) => {
                    seen.push(&s.criterion);
                    weighted.push((c.weight, s.score));
                }
            }
        }
        for c in criteria {
            if !r.scores.iter().any(|s| s.criterion == c.name) {
                p.push(
                    "scores",
                    C::CriterionMissing,
                    format!("score the criterion {}", c.name),
                );
            }
        }
        p.done(Some(ReviewScores {
            scores: r.scores.clone(),
            weighted,
            comment: r.comment.trim().to_string(),
        }))
    }
}

/// A call's terms as the form and the service both check them (申报通知): the window, the
/// categories that may apply, the form, the cap, the criteria with distinct names and the
/// summaries' due date after the call closes (rule 32).
#[derive(Debug, Clone, PartialEq)]
pub struct CallTerms {
    pub programme: String,
    pub sub_project: String,
    pub year: i32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub eligible_categories: Vec<d::OrganizationCategory>,
    pub form_variant: d::FormVariant,
    pub cap_fen: i64,
    pub pairing_required: bool,
    pub endorsement_required: bool,
    pub province_quota: i32,
    pub summary_due: NaiveDate,
    pub criteria: Vec<Criterion>,
}

impl TryFrom<&CreateCallRequest> for CallTerms {
    type Error = Rejected;

    fn try_from(r: &CreateCallRequest) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        let eligible = categories(&mut p, &r.eligible_categories);
        let form_variant = p.closed::<d::FormVariant>(
            "form_variant",
            d::ProblemCode::UnknownFormVariant,
            &r.form_variant,
        );
        let terms = match (eligible, form_variant) {
            (Some(eligible_categories), Some(form_variant)) => Some(CallTerms {
                programme: r.programme.trim().to_string(),
                sub_project: r.sub_project.trim().to_string(),
                year: r.year,
                opens_at: r.opens_at,
                closes_at: r.closes_at,
                eligible_categories,
                form_variant,
                cap_fen: r.cap_fen,
                pairing_required: r.pairing_required,
                endorsement_required: r.endorsement_required,
                province_quota: r.province_quota.unwrap_or(1),
                summary_due: r.summary_due,
                criteria: r.criteria.clone(),
            }),
            _ => None,
        };
        check_terms(&mut p, r.opens_at, r.closes_at, &r.criteria, r.summary_due);
        p.done(terms)
    }
}

impl CallTerms {
    /// These terms with a partial update applied, checked as a whole (a new closing time
    /// must still fall before the summaries' due date kept).
    pub fn amended(&self, r: &UpdateCallRequest) -> Result<CallTerms, Rejected> {
        let mut p = Problems::validate(r);
        let eligible = match &r.eligible_categories {
            Some(e) => categories(&mut p, e),
            None => Some(self.eligible_categories.clone()),
        };
        let form_variant = match r.form_variant.as_deref() {
            Some(v) => p.closed("form_variant", d::ProblemCode::UnknownFormVariant, v),
            None => Some(self.form_variant),
        };
        let opens_at = r.opens_at.unwrap_or(self.opens_at);
        let closes_at = r.closes_at.unwrap_or(self.closes_at);
        let summary_due = r.summary_due.unwrap_or(self.summary_due);
        let criteria = match &r.criteria {
            Some(c) => c.clone(),
            None => self.criteria.clone(),
        };
        check_terms(&mut p, opens_at, closes_at, &criteria, summary_due);
        let text = |new: &Option<String>, old: &String| {
            new.as_deref()
                .map(|t| t.trim().to_string())
                .unwrap_or_else(|| old.clone())
        };
        let terms = match (eligible, form_variant) {
            (Some(eligible_categories), Some(form_variant)) => Some(CallTerms {
                programme: text(&r.programme, &self.programme),
                sub_project: text(&r.sub_project, &self.sub_project),
                year: r.year.unwrap_or(self.year),
                opens_at,
                closes_at,
                eligible_categories,
                form_variant,
                cap_fen: r.cap_fen.unwrap_or(self.cap_fen),
                pairing_required: r.pairing_required.unwrap_or(self.pairing_required),
                endorsement_required: r.endorsement_required.unwrap_or(self.endorsement_required),
                province_quota: r.province_quota.unwrap_or(self.province_quota),
                summary_due,
                criteria,
            }),
            _ => None,
        };
        p.done(terms)
    }
}

/// Each category that may apply, parsed; none if any is unknown.
fn categories(p: &mut Problems, list: &[String]) -> Option<Vec<d::OrganizationCategory>> {
    let mut ok = true;
    let mut out = Vec::with_capacity(list.len());
    for (i, c) in list.iter().enumerate() {
        match p.closed(
            &format!("eligible_categories[{i}]"),
            d::ProblemCode::UnknownCategory,
            c,
        ) {
            Some(c) => out.push(c),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn check_terms(
    p: &mut Problems,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    criteria: &[Criterion],
    summary_due: NaiveDate,
) {
    use d::ProblemCode as C;
    if closes_at <= opens_at {
        p.push(
            "closes_at",
            C::ClosesBeforeOpening,
            "a call closes after it opens",
        );
    }
    let mut names: Vec<&str> = criteria.iter().map(|c| c.name.trim()).collect();
    names.sort();
    names.dedup();
    if names.len() != criteria.len() {
        p.push(
            "criteria",
            C::DuplicateCriterion,
            "each criterion has its own name",
        );
    }
    if summary_due < d::report::china_date(closes_at) {
        p.push(
            "summary_due",
            C::DueBeforeClosing,
            "summaries fall due after the call closes",
        );
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CallView {
    pub id: Uuid,
    pub programme: String,
    pub sub_project: String,
    pub year: i32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// `upcoming`, `open` or `closed`, now.
    #[schema(schema_with = crate::values::call_state)]
    pub state: d::CallState,
    #[schema(schema_with = crate::values::eligible_categories)]
    pub eligible_categories: Vec<d::OrganizationCategory>,
    #[schema(schema_with = crate::values::form_variant)]
    pub form_variant: d::FormVariant,
    pub cap_fen: i64,
    pub pairing_required: bool,
    pub endorsement_required: bool,
    pub province_quota: i32,
    pub summary_due: NaiveDate,
    pub criteria: Vec<Criterion>,
    pub version: i32,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct CallQuery {
    #[validate(range(min = 2000, max = 2100))]
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CallPage {
    /// Open calls first (closing soonest first), then upcoming, then closed (latest first).
    pub items: Vec<CallView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// One line of the budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct BudgetLine {
    #[schema(example = "专家差旅费")]
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub item: String,
    #[schema(example = 3000000)]
    #[validate(range(min = 1, max = zhihui_domain::bounds::MAX_FEN))]
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub amount_fen: i64,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// A person's name: letters, spaces and the middle dot.
    #[validate(length(min = 2, max = 50))]
    #[schema(min_length = 2, max_length = 50)]
    pub name: String,
    /// E.g. 项目负责人, 联系人.
    #[validate(length(min = 1, max = 50))]
    #[schema(min_length = 1, max_length = 50)]
    pub role: String,
    /// Mainland mobile number; encrypted at rest.
    #[schema(pattern = "^[+0-9 -]+$")]
    pub phone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ContactView {
    pub name: String,
    pub role: String,
    /// In full for the applicant's admins and platform admins, masked for others.
    pub phone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateApplicationRequest {
    pub call_id: Uuid,
    /// The applying organisation; the caller administers it.
    pub applicant_id: Uuid,
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub title: String,
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub summary: String,
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub objectives: String,
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    #[serde(default)]
    pub activities: Vec<ProposedActivity>,
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    #[serde(default)]
    pub budget: Vec<BudgetLine>,
    #[validate(range(min = 0, max = zhihui_domain::bounds::MAX_FEN))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub requested_fen: i64,
    /// The proof number of the accepted pairing the application relies on.
    #[schema(example = "JD2026000001")]
    pub pairing_proof: Option<String>,
    /// For a national society: the provincial society of the paired region that takes part.
    pub provincial_partner_id: Option<Uuid>,
    /// How that provincial society takes part.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub provincial_partner_role: Option<String>,
    #[validate(length(min = 1, max = 10), nested)]
    #[schema(min_items = 1, max_items = 10)]
    pub contacts: Vec<ContactInput>,
}

/// Partial update of a draft; absent fields stay. An empty `pairing_proof` removes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateApplicationRequest {
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub title: Option<String>,
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub summary: Option<String>,
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub objectives: Option<String>,
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    pub activities: Option<Vec<ProposedActivity>>,
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    pub budget: Option<Vec<BudgetLine>>,
    #[validate(range(min = 0, max = zhihui_domain::bounds::MAX_FEN))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub requested_fen: Option<i64>,
    pub pairing_proof: Option<String>,
    pub provincial_partner_id: Option<Uuid>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub provincial_partner_role: Option<String>,
    #[validate(length(min = 1, max = 10), nested)]
    #[schema(min_items = 1, max_items = 10)]
    pub contacts: Option<Vec<ContactInput>>,
}

/// A contact person of an application as checked: the phone parsed, to be stored encrypted.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub name: d::PersonName,
    pub role: String,
    pub phone: d::MobilePhone,
}

/// An application's content as the form and the service both check it before anything is
/// looked up (申报书): trimmed texts, proposed activities with a month `YYYY-MM`, the budget,
/// contacts with a person's name and a mobile number. The pairing proof and the provincial
/// partner are the service's to look up; the call's own rules are checked on submission.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationDraft {
    pub title: String,
    pub summary: String,
    pub objectives: String,
    pub activities: Vec<ProposedActivity>,
    pub budget: Vec<BudgetLine>,
    pub requested_fen: i64,
    /// Trimmed; none when blank.
    pub pairing_proof: Option<String>,
    pub provincial_partner_id: Option<Uuid>,
    pub provincial_partner_role: Option<String>,
    pub contacts: Vec<Contact>,
}

impl TryFrom<&CreateApplicationRequest> for ApplicationDraft {
    type Error = Rejected;

    fn try_from(r: &CreateApplicationRequest) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        let activities = checked_activities(&mut p, &r.activities);
        let contacts = checked_contacts(&mut p, &r.contacts);
        let draft = contacts.map(|contacts| ApplicationDraft {
            title: r.title.trim().to_string(),
            summary: r.summary.trim().to_string(),
            objectives: r.objectives.trim().to_string(),
            activities,
            budget: r.budget.iter().map(BudgetLine::trimmed).collect(),
            requested_fen: r.requested_fen,
            pairing_proof: owned_blank(r.pairing_proof.as_deref()),
            provincial_partner_id: r.provincial_partner_id,
            provincial_partner_role: owned_blank(r.provincial_partner_role.as_deref()),
            contacts,
        });
        p.done(draft)
    }
}

/// A partial update of a draft application as checked: each field given, in its checked
/// form; `pairing_proof: Some(None)` removes the proof (an empty string on the wire).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplicationChanges {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub objectives: Option<String>,
    pub activities: Option<Vec<ProposedActivity>>,
    pub budget: Option<Vec<BudgetLine>>,
    pub requested_fen: Option<i64>,
    pub pairing_proof: Option<Option<String>>,
    pub provincial_partner_id: Option<Uuid>,
    pub provincial_partner_role: Option<String>,
    pub contacts: Option<Vec<Contact>>,
}

impl TryFrom<&UpdateApplicationRequest> for ApplicationChanges {
    type Error = Rejected;

    fn try_from(r: &UpdateApplicationRequest) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        let trim = |t: &Option<String>| t.as_deref().map(|t| t.trim().to_string());
        let activities = r
            .activities
            .as_deref()
            .map(|a| checked_activities(&mut p, a));
        let contacts = match r.contacts.as_deref() {
            Some(c) => checked_contacts(&mut p, c).map(Some),
            None => Some(None),
        };
        let changes = contacts.map(|contacts| ApplicationChanges {
            title: trim(&r.title),
            summary: trim(&r.summary),
            objectives: trim(&r.objectives),
            activities,
            budget: r
                .budget
                .as_ref()
                .map(|b| b.iter().map(BudgetLine::trimmed).collect()),
            requested_fen: r.requested_fen,
            pairing_proof: r.pairing_proof.as_deref().map(|p| owned_blank(Some(p))),
            provincial_partner_id: r.provincial_partner_id,
            provincial_partner_role: trim(&r.provincial_partner_role),
            contacts,
        });
        p.done(changes)
    }
}

fn owned_blank(s: Option<&str>) -> Option<String> {
    crate::form::blank(s).map(str::to_string)
}

/// The proposed activities, trimmed, each with a month written `YYYY-MM`.
fn checked_activities(p: &mut Problems, list: &[ProposedActivity]) -> Vec<ProposedActivity> {
    let list: Vec<ProposedActivity> = list.iter().map(ProposedActivity::trimmed).collect();
    for (i, a) in list.iter().enumerate() {
        if NaiveDate::parse_from_str(&format!("{}-01", a.month), "%Y-%m-%d").is_err() {
            p.push(
                &format!("activities[{i}].month"),
                d::ProblemCode::InvalidMonth,
                "a month is written YYYY-MM",
            );
        }
    }
    list
}

/// The contacts with their names and phones parsed; none if any is wrong.
fn checked_contacts(p: &mut Problems, list: &[ContactInput]) -> Option<Vec<Contact>> {
    let mut out = Some(Vec::with_capacity(list.len()));
    for (i, c) in list.iter().enumerate() {
        let name = p.parse(
            &format!("contacts[{i}].name"),
            d::PersonName::parse(&c.name),
        );
        let phone = p.parse(
            &format!("contacts[{i}].phone"),
            d::MobilePhone::parse(&c.phone),
        );
        match (name, phone, out.as_mut()) {
            (Some(name), Some(phone), Some(out)) => out.push(Contact {
                name,
                role: c.role.trim().to_string(),
                phone,
            }),
            _ => out = None,
        }
    }
    out
}

impl BudgetLine {
    /// The line with its texts trimmed (a blank note is no note), as it is stored.
    pub fn trimmed(&self) -> BudgetLine {
        BudgetLine {
            item: self.item.trim().to_string(),
            amount_fen: self.amount_fen,
            note: owned_blank(self.note.as_deref()),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AttachmentView {
    pub id: Uuid,
    pub file_name: String,
    /// `application/pdf`, `image/jpeg` or `image/png`, from the content.
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

/// The file of `upload_application_attachment`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AttachmentUpload {
    /// The file (field name `file`): PDF, JPEG or PNG.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// The criterion's name, as in the call.
    pub criterion: String,
    /// 0 to 100.
    #[validate(range(max = 100))]
    #[schema(maximum = 100)]
    pub score: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct SubmitReviewRequest {
    /// One score per criterion of the call.
    #[validate(length(min = 1, max = 20), nested)]
    #[schema(min_items = 1, max_items = 20)]
    pub scores: Vec<Score>,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ReviewView {
    /// The reviewer, for platform admins and the reviewer themself only.
    pub reviewer_id: Option<Uuid>,
    pub reviewer_name: Option<String>,
    /// `评审专家1`, `评审专家2`… in the order reviews arrived.
    pub label: String,
    pub scores: Vec<Score>,
    pub weighted_score: f64,
    pub comment: String,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AssignReviewersRequest {
    /// Accounts to add as reviewers (those already assigned stay).
    #[validate(length(min = 1, max = 20))]
    #[schema(min_items = 1, max_items = 20)]
    pub reviewer_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ReviewerView {
    pub reviewer_id: Uuid,
    pub name: String,
    pub assigned_at: DateTime<Utc>,
    pub reviewed: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct EndorseRequest {
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct DeclineEndorsementRequest {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// `approve`, `reject` or `return` (for revision).
    #[schema(schema_with = crate::values::decision)]
    pub decision: String,
    /// Approve: the amount granted, not above the request.
    #[validate(range(min = 0, max = zhihui_domain::bounds::MAX_FEN))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub granted_fen: Option<i64>,
    /// Reject and return: why (required).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
    /// Return: until when the revised application may be submitted, if after the call closes.
    #[validate(custom(function = "crate::bounds::instant"))]
    pub revision_deadline: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ProjectSummaryRequest {
    /// The project's summary report: what was done, for whom, results.
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000)]
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ApplicationView {
    pub id: Uuid,
    pub call_id: Uuid,
    /// Programme and sub-project, e.g. `智惠行动 · 百会百县乡村行`.
    pub call_title: String,
    pub applicant: PartyView,
    pub province_code: String,
    pub title: String,
    pub summary: String,
    pub objectives: String,
    pub activities: Vec<ProposedActivity>,
    pub budget: Vec<BudgetLine>,
    pub requested_fen: i64,
    pub pairing: Option<PairingRef>,
    pub provincial_partner: Option<PartyView>,
    pub provincial_partner_role: Option<String>,
    pub contacts: Vec<ContactView>,
    /// `draft`, `submitted`, `endorsed`, `endorsement_declined`, `approved` or `rejected`.
    #[schema(schema_with = crate::values::application_status)]
    pub status: d::ApplicationStatus,
    /// Why it was returned for revision (a draft again).
    pub return_reason: Option<String>,
    pub revision_deadline: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub endorsed_at: Option<DateTime<Utc>>,
    pub endorsement_note: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
    pub granted_fen: Option<i64>,
    pub summary_text: Option<String>,
    pub summary_submitted_at: Option<DateTime<Utc>>,
    /// Filed after the call's summary due date.
    pub summary_late: Option<bool>,
    pub attachments: Vec<AttachmentView>,
    /// Mean of the reviews' weighted scores (platform admins; the applicant after the
    /// decision).
    pub review_average: Option<f64>,
    /// Reviews: every one with its reviewer for platform admins; the caller's own for a
    /// reviewer; anonymous ones for the applicant after the decision.
    pub reviews: Option<Vec<ReviewView>>,
    /// Assigned reviewers (platform admins only).
    pub reviewers: Option<Vec<ReviewerView>>,
    /// What the caller may do now (the domain's `allowed_actions` for the caller's roles).
    #[schema(schema_with = crate::values::application_actions)]
    pub allowed_actions: Vec<d::ApplicationAction>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApplicationEventView {
    /// What happened (`resubmitted`: submitted again after a return for revision).
    #[schema(schema_with = crate::values::application_event)]
    pub action: d::ApplicationEvent,
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApplicationHistory {
    pub items: Vec<ApplicationEventView>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    pub call_id: Option<Uuid>,
    #[param(schema_with = crate::values::application_status)]
    pub status: Option<String>,
    /// A province code (`130000`).
    pub province_code: Option<String>,
    pub applicant_id: Option<Uuid>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ApplicationExportQuery {
    pub call_id: Option<Uuid>,
    #[param(schema_with = crate::values::application_status)]
    pub status: Option<String>,
    pub province_code: Option<String>,
    pub applicant_id: Option<Uuid>,
    /// `xlsx` (default) or `csv`.
    #[param(schema_with = crate::values::table_format)]
    pub format: Option<String>,
}

/// An application in a list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApplicationSummaryView {
    pub id: Uuid,
    pub call_id: Uuid,
    pub applicant: PartyView,
    pub province_code: String,
    pub title: String,
    pub requested_fen: i64,
    pub granted_fen: Option<i64>,
    #[schema(schema_with = crate::values::application_status)]
    pub status: d::ApplicationStatus,
    pub submitted_at: Option<DateTime<Utc>>,
    pub endorsed_at: Option<DateTime<Utc>>,
    /// Mean weighted review score (platform admins only).
    pub review_average: Option<f64>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApplicationPage {
    pub items: Vec<ApplicationSummaryView>,
    pub next_cursor: Option<String>,
}

crate::reason_request! {
    DeclineEndorsementRequest => reason,
    ProjectSummaryRequest => text,
}

#[cfg(test)]
mod form_tests {
    use super::*;
    use crate::form::Reason;
    use chrono::TimeZone;

    fn codes<T>(r: Result<T, Rejected>) -> Vec<(String, &'static str)> {
        match r {
            Ok(_) => vec![],
            Err(Rejected(p)) => p.into_iter().map(|p| (p.field, p.code.as_str())).collect(),
        }
    }

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, 0, 0, 0).unwrap()
    }

    fn application() -> CreateApplicationRequest {
        CreateApplicationRequest {
            call_id: Uuid::nil(),
            applicant_id: Uuid::nil(),
            title: " 果树技术服务 ".into(),
            summary: "摘要".into(),
            objectives: "目标".into(),
            activities: vec![ProposedActivity {
                what: "培训".into(),
                month: " 2027-03 ".into(),
                place: "县城".into(),
            }],
            budget: vec![BudgetLine {
                item: " 差旅 ".into(),
                amount_fen: 100,
                note: Some("  ".into()),
            }],
            requested_fen: 100,
            pairing_proof: Some("  ".into()),
            provincial_partner_id: None,
            provincial_partner_role: None,
            contacts: vec![ContactInput {
                name: "王芳".into(),
                role: "联系人".into(),
                phone: "13800138000".into(),
            }],
        }
    }

    #[test]
    fn a_good_application_is_trimmed_and_a_blank_proof_is_none() {
        let d = ApplicationDraft::try_from(&application()).expect("accepted");
        assert_eq!(d.title, "果树技术服务");
        assert_eq!(d.activities[0].month, "2027-03");
        assert_eq!(d.budget[0].item, "差旅");
        assert_eq!(d.budget[0].note, None, "a blank note is no note");
        assert_eq!(d.pairing_proof, None, "a blank proof is no proof");
        assert_eq!(d.contacts[0].phone.as_str(), "13800138000");
    }

    #[test]
    fn an_application_names_every_wrong_month_and_contact() {
        let mut r = application();
        r.activities[0].month = "March".into();
        r.contacts.push(ContactInput {
            name: "王芳1".into(),
            role: "负责人".into(),
            phone: "1234".into(),
        });
        assert_eq!(
            codes(ApplicationDraft::try_from(&r)),
            vec![
                ("activities[0].month".into(), "invalid_month"),
                ("contacts[1].name".into(), "person_name_characters"),
                ("contacts[1].phone".into(), "phone_format"),
            ]
        );
        let update = UpdateApplicationRequest {
            contacts: Some(r.contacts.clone()),
            pairing_proof: Some(String::new()),
            ..Default::default()
        };
        assert_eq!(
            codes(ApplicationChanges::try_from(&update)),
            vec![
                ("contacts[1].name".into(), "person_name_characters"),
                ("contacts[1].phone".into(), "phone_format"),
            ],
            "an update checks the contacts it replaces the same way"
        );
        let clear = UpdateApplicationRequest {
            pairing_proof: Some(" ".into()),
            ..Default::default()
        };
        let c = ApplicationChanges::try_from(&clear).expect("accepted");
        assert_eq!(c.pairing_proof, Some(None), "an empty proof removes it");
        assert_eq!(c.contacts, None, "contacts left out are kept");
    }

    fn decision(d: &str, granted: Option<i64>, reason: Option<&str>) -> DecisionRequest {
        DecisionRequest {
            decision: d.into(),
            granted_fen: granted,
            reason: reason.map(str::to_string),
            revision_deadline: None,
        }
    }

    #[test]
    fn a_decision_is_checked_against_the_request() {
        let v = |r: &DecisionRequest| Verdict::try_from((r, 1_000, at(3)));
        assert_eq!(
            v(&decision("approve", Some(1_000), Some(" 同意 "))).unwrap(),
            Verdict::Approve {
                granted_fen: 1_000,
                reason: Some("同意".into())
            }
        );
        assert_eq!(
            codes(v(&decision("approve", None, None))),
            vec![("granted_fen".into(), "granted_required")]
        );
        assert_eq!(
            codes(v(&decision("approve", Some(0), None))),
            vec![("granted_fen".into(), "out_of_range")]
        );
        assert_eq!(
            codes(v(&decision("approve", Some(1_001), None))),
            vec![("granted_fen".into(), "granted_above_request")]
        );
        assert_eq!(
            codes(v(&decision("reject", None, Some("  ")))),
            vec![("reason".into(), "required")]
        );
        assert_eq!(
            codes(v(&decision("postpone", None, None))),
            vec![("decision".into(), "unknown_decision")]
        );
        let mut back = decision("return", None, Some("补充预算"));
        back.revision_deadline = Some(at(2));
        assert_eq!(
            codes(v(&back)),
            vec![("revision_deadline".into(), "in_the_past")]
        );
        back.revision_deadline = Some(at(9));
        assert_eq!(v(&back).unwrap().decision(), d::Decision::Return);
    }

    #[test]
    fn a_review_scores_each_criterion_of_the_call_once() {
        let criteria = [
            Criterion {
                name: "可行性".into(),
                weight: 60,
            },
            Criterion {
                name: "创新性".into(),
                weight: 40,
            },
        ];
        let score = |c: &str, s: u32| Score {
            criterion: c.into(),
            score: s,
        };
        let r = SubmitReviewRequest {
            scores: vec![score("可行性", 80), score("创新性", 90)],
            comment: " 好 ".into(),
        };
        let ok = ReviewScores::try_from((&r, &criteria[..])).expect("accepted");
        assert_eq!(ok.weighted, vec![(60, 80), (40, 90)]);
        assert_eq!(ok.comment, "好");
        let wrong = SubmitReviewRequest {
            scores: vec![score("可行性", 80), score("可行性", 70), score("美观", 1)],
            comment: String::new(),
        };
        assert_eq!(
            codes(ReviewScores::try_from((&wrong, &criteria[..]))),
            vec![
                ("scores[1].criterion".into(), "duplicate_criterion"),
                ("scores[2].criterion".into(), "unknown_criterion"),
                ("scores".into(), "criterion_missing"),
            ]
        );
    }

    fn call() -> CreateCallRequest {
        CreateCallRequest {
            programme: "智惠行动".into(),
            sub_project: "百会百县".into(),
            year: 2027,
            opens_at: at(1),
            closes_at: at(20),
            eligible_categories: vec!["national_society".into()],
            form_variant: "society".into(),
            cap_fen: 100,
            pairing_required: false,
            endorsement_required: false,
            province_quota: None,
            summary_due: NaiveDate::from_ymd_opt(2027, 6, 30).unwrap(),
            criteria: vec![Criterion {
                name: "可行性".into(),
                weight: 100,
            }],
        }
    }

    #[test]
    fn a_call_names_every_problem_of_its_terms() {
        let t = CallTerms::try_from(&call()).expect("accepted");
        assert_eq!(
            t.province_quota, 1,
            "one endorsement per province by default"
        );
        let mut r = call();
        r.closes_at = at(1);
        r.eligible_categories = vec!["national_society".into(), "club".into()];
        r.form_variant = "poster".into();
        r.summary_due = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        r.criteria.push(r.criteria[0].clone());
        assert_eq!(
            codes(CallTerms::try_from(&r)),
            vec![
                ("eligible_categories[1]".into(), "unknown_category"),
                ("form_variant".into(), "unknown_form_variant"),
                ("closes_at".into(), "closes_before_opening"),
                ("criteria".into(), "duplicate_criterion"),
                ("summary_due".into(), "due_before_closing"),
            ]
        );
        let later = UpdateCallRequest {
            closes_at: Some(Utc.with_ymd_and_hms(2027, 7, 1, 0, 0, 0).unwrap()),
            ..Default::default()
        };
        assert_eq!(
            codes(t.amended(&later)),
            vec![("summary_due".into(), "due_before_closing")],
            "a later closing must still come before the due date kept"
        );
    }

    #[test]
    fn a_reason_says_something() {
        let blank = DeclineEndorsementRequest {
            reason: "  ".into(),
        };
        assert_eq!(
            codes(Reason::try_from(&blank)),
            vec![("reason".into(), "required")]
        );
        let empty = ProjectSummaryRequest {
            text: String::new(),
        };
        assert_eq!(
            codes(Reason::try_from(&empty)),
            vec![("text".into(), "length")],
            "a text the schema refuses is not refused twice"
        );
        let given = DeclineEndorsementRequest {
            reason: " 名额已满 ".into(),
        };
        assert_eq!(Reason::try_from(&given).unwrap(), Reason("名额已满".into()));
    }
}
