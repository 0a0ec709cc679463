//! Collection campaigns (征集), rules 54-56: a campaign asks organisations below its owner
//! for entries; each addressed organisation submits and marks its submission complete; the
//! owner follows the progress and accepts entries as draft activities.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;
use zhihui_domain::campaign::{CustomField, RawValue};

use crate::form::{Problems, Rejected};
use crate::pairing::PartyView;

/// A field a campaign adds to the fixed ones of its entries.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CustomFieldSpec {
    /// The key of its value in an entry's `custom`: lowercase letters, digits and `_`.
    #[schema(example = "mode", pattern = "^[a-z][a-z0-9_]{0,31}$")]
    #[validate(length(min = 1, max = 32))]
    #[schema(min_length = 1, max_length = 32)]
    pub key: String,
    /// Its label: the form's and the export's column heading.
    #[schema(example = "活动形式")]
    #[validate(length(min = 1, max = 50))]
    #[schema(min_length = 1, max_length = 50)]
    pub label: String,
    #[schema(schema_with = crate::values::custom_field_kind)]
    pub kind: String,
    #[serde(default)]
    pub required: bool,
    /// The choices of a `choice` field (2 to 20); none for the other kinds.
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    #[serde(default)]
    pub choices: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateCampaignRequest {
    /// The organisation that opens the campaign; the caller administers it.
    pub owner_id: Uuid,
    #[schema(example = "2027年度科普讲座活动征集")]
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub title: String,
    /// What is asked for and why (the notice's text).
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    #[serde(default)]
    pub purpose: String,
    /// The year the entries plan for.
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
    /// The categories of descendants asked; none: every category.
    #[validate(length(max = 14))]
    #[schema(schema_with = crate::values::addressed_categories)]
    #[serde(default)]
    pub addressed_categories: Vec<String>,
    /// The levels of descendants asked; none: every level.
    #[validate(length(max = 5))]
    #[schema(schema_with = crate::values::addressed_levels)]
    #[serde(default)]
    pub addressed_levels: Vec<String>,
    /// Entries each addressed organisation submits at least.
    #[validate(range(min = 1, max = 50))]
    #[schema(minimum = 1, maximum = 50)]
    pub min_entries: i32,
    /// Up to ten fields besides the fixed ones (title, topic, lead, planned month, place,
    /// expected audience).
    #[validate(length(max = 10), nested)]
    #[schema(max_items = 10)]
    #[serde(default)]
    pub custom_fields: Vec<CustomFieldSpec>,
    /// The last day entries are taken (China's date).
    #[validate(custom(function = "crate::bounds::date"))]
    pub deadline: NaiveDate,
}

/// Changes to a campaign: the fields sent replace the stored ones. Once open, its fields and
/// addressees stay (`campaign_fields_fixed`). Send `If-Match`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateCampaignRequest {
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub title: Option<String>,
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub purpose: Option<String>,
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    #[validate(length(max = 14))]
    #[schema(schema_with = crate::values::addressed_categories)]
    pub addressed_categories: Option<Vec<String>>,
    #[validate(length(max = 5))]
    #[schema(schema_with = crate::values::addressed_levels)]
    pub addressed_levels: Option<Vec<String>>,
    #[validate(range(min = 1, max = 50))]
    #[schema(minimum = 1, maximum = 50)]
    pub min_entries: Option<i32>,
    #[validate(length(max = 10), nested)]
    #[schema(max_items = 10)]
    pub custom_fields: Option<Vec<CustomFieldSpec>>,
    #[validate(custom(function = "crate::bounds::date"))]
    pub deadline: Option<NaiveDate>,
}

/// A campaign's details, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignDraft {
    pub title: String,
    pub purpose: String,
    pub year: i32,
    pub categories: Vec<d::OrganizationCategory>,
    pub levels: Vec<d::OrganizationLevel>,
    pub min_entries: i32,
    pub custom_fields: Vec<CustomField>,
    pub deadline: NaiveDate,
}

struct RawCampaign<'a> {
    title: &'a str,
    purpose: &'a str,
    year: i32,
    categories: &'a [String],
    levels: &'a [String],
    min_entries: i32,
    custom_fields: &'a [CustomFieldSpec],
    deadline: NaiveDate,
    /// Whether the deadline is checked against today (a new campaign, or a moved deadline).
    check_deadline: bool,
}

fn closed_list<T: d::ClosedSet>(
    p: &mut Problems,
    field: &str,
    code: d::ProblemCode,
    values: &[String],
) -> Vec<T> {
    let mut out: Vec<T> = vec![];
    for (i, v) in values.iter().enumerate() {
        if let Some(x) = p.closed::<T>(&format!("{field}[{i}]"), code, v.trim()) {
            if !out.contains(&x) {
                out.push(x);
            }
        }
    }
    out
}

impl RawCampaign<'_> {
    fn check(self, mut p: Problems, today: NaiveDate) -> Result<CampaignDraft, Rejected> {
        use d::ProblemCode as C;
        let title = self.title.trim();
        if title.chars().count() < 2 && !p.has("title") {
            p.push("title", C::Length, "a title of 2 to 100 characters");
        }
        let categories = closed_list::<d::OrganizationCategory>(
            &mut p,
            "addressed_categories",
            C::UnknownCategory,
            self.categories,
        );
        let levels = closed_list::<d::OrganizationLevel>(
            &mut p,
            "addressed_levels",
            C::UnknownLevel,
            self.levels,
        );
        if let Err(e) = d::campaign::check_minimum(self.min_entries) {
            if !p.has("min_entries") {
                p.push("min_entries", e.code, e.message);
            }
        }
        let mut fields = vec![];
        for (i, f) in self.custom_fields.iter().enumerate() {
            let kind = p.closed::<d::CustomFieldKind>(
                &format!("custom_fields[{i}].kind"),
                C::UnknownCustomFieldKind,
                f.kind.trim(),
            );
            if let Some(kind) = kind {
                fields.push(CustomField {
                    key: f.key.trim().to_string(),
                    label: f.label.trim().to_string(),
                    kind,
                    required: f.required,
                    choices: f.choices.iter().map(|c| c.trim().to_string()).collect(),
                });
            }
        }
        if fields.len() == self.custom_fields.len() {
            if let Err((at, e)) = d::campaign::check_custom_fields(&fields) {
                if !p.has(&at) {
                    p.push(&at, e.code, e.message);
                }
            }
        }
        if self.check_deadline && !p.has("deadline") && !p.has("year") {
            if let Err(e) = d::campaign::check_deadline(self.deadline, self.year, today) {
                p.push("deadline", e.code, e.message);
            }
        }
        let draft = CampaignDraft {
            title: title.to_string(),
            purpose: self.purpose.trim().to_string(),
            year: self.year,
            categories,
            levels,
            min_entries: self.min_entries,
            custom_fields: fields,
            deadline: self.deadline,
        };
        p.done(Some(draft))
    }
}

/// A new campaign checked on `today` (China's date).
impl TryFrom<(&CreateCampaignRequest, NaiveDate)> for CampaignDraft {
    type Error = Rejected;

    fn try_from((r, today): (&CreateCampaignRequest, NaiveDate)) -> Result<Self, Rejected> {
        RawCampaign {
            title: &r.title,
            purpose: &r.purpose,
            year: r.year,
            categories: &r.addressed_categories,
            levels: &r.addressed_levels,
            min_entries: r.min_entries,
            custom_fields: &r.custom_fields,
            deadline: r.deadline,
            check_deadline: true,
        }
        .check(Problems::validate(r), today)
    }
}

impl CampaignDraft {
    /// The request's fields as they are stored, for a form to start from.
    pub fn specs(&self) -> Vec<CustomFieldSpec> {
        self.custom_fields
            .iter()
            .map(CustomFieldSpec::from)
            .collect()
    }

    /// These details with a partial update applied, checked as a whole on `today`; the
    /// deadline is checked against today when it moves or the year changes.
    pub fn amended(&self, r: &UpdateCampaignRequest, today: NaiveDate) -> Result<Self, Rejected> {
        let cats: Vec<String> = self.categories.iter().map(|c| c.as_str().into()).collect();
        let levels: Vec<String> = self.levels.iter().map(|c| c.as_str().into()).collect();
        let specs = self.specs();
        let deadline = r.deadline.unwrap_or(self.deadline);
        let year = r.year.unwrap_or(self.year);
        RawCampaign {
            title: r.title.as_deref().unwrap_or(&self.title),
            purpose: r.purpose.as_deref().unwrap_or(&self.purpose),
            year,
            categories: r.addressed_categories.as_deref().unwrap_or(&cats),
            levels: r.addressed_levels.as_deref().unwrap_or(&levels),
            min_entries: r.min_entries.unwrap_or(self.min_entries),
            custom_fields: r.custom_fields.as_deref().unwrap_or(&specs),
            deadline,
            check_deadline: deadline != self.deadline || year != self.year,
        }
        .check(Problems::validate(r), today)
    }
}

impl From<&CustomField> for CustomFieldSpec {
    fn from(f: &CustomField) -> Self {
        CustomFieldSpec {
            key: f.key.clone(),
            label: f.label.clone(),
            kind: f.kind.as_str().into(),
            required: f.required,
            choices: f.choices.clone(),
        }
    }
}

/// A field of a campaign as read.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CustomFieldView {
    pub key: String,
    pub label: String,
    #[schema(schema_with = crate::values::custom_field_kind)]
    pub kind: d::CustomFieldKind,
    pub required: bool,
    pub choices: Vec<String>,
}

impl From<&CustomField> for CustomFieldView {
    fn from(f: &CustomField) -> Self {
        CustomFieldView {
            key: f.key.clone(),
            label: f.label.clone(),
            kind: f.kind,
            required: f.required,
            choices: f.choices.clone(),
        }
    }
}

impl From<&CustomFieldView> for CustomField {
    fn from(f: &CustomFieldView) -> Self {
        CustomField {
            key: f.key.clone(),
            label: f.label.clone(),
            kind: f.kind,
            required: f.required,
            choices: f.choices.clone(),
        }
    }
}

/// One addressed organisation's submission, as it or the owner sees it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SubmissionView {
    pub campaign_id: Uuid,
    pub organization: PartyView,
    #[schema(schema_with = crate::values::submission_state)]
    pub state: d::SubmissionState,
    /// Entries submitted or accepted (not withdrawn).
    pub entries: i32,
    pub min_entries: i32,
    /// The day it was marked complete.
    pub completed_on: Option<NaiveDate>,
    /// Completed after the deadline.
    pub late: bool,
    /// The owner reopened it until this day.
    pub reopened_until: Option<NaiveDate>,
    /// The last day its entries may change.
    pub open_until: NaiveDate,
    #[schema(schema_with = crate::values::submission_actions)]
    pub allowed_actions: Vec<d::SubmissionAction>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CampaignView {
    pub id: Uuid,
    pub owner: PartyView,
    pub title: String,
    pub purpose: String,
    pub year: i32,
    #[schema(schema_with = crate::values::organization_categories)]
    pub addressed_categories: Vec<d::OrganizationCategory>,
    #[schema(schema_with = crate::values::organization_levels)]
    pub addressed_levels: Vec<d::OrganizationLevel>,
    pub min_entries: i32,
    pub custom_fields: Vec<CustomFieldView>,
    pub deadline: NaiveDate,
    #[schema(schema_with = crate::values::campaign_status)]
    pub status: d::CampaignStatus,
    pub opened_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub reminded_at: Option<DateTime<Utc>>,
    /// Organisations addressed (from the opening on).
    pub addressed: u64,
    /// Of them, those that marked their submission complete.
    pub completed: u64,
    /// The owner's: what its admins may do.
    #[schema(schema_with = crate::values::campaign_actions)]
    pub allowed_actions: Vec<d::CampaignAction>,
    /// The caller's addressed organisations' submissions (empty for the owner and others).
    pub my_submissions: Vec<SubmissionView>,
    /// Whether the caller follows the campaign: its progress, every entry and the export
    /// (the owner's admins, those above the owner, the platform).
    pub follows: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CampaignPage {
    pub items: Vec<CampaignView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct CampaignQuery {
    /// Campaigns this organisation opened (its admins, those above it and the platform).
    pub owner_id: Option<Uuid>,
    /// Campaigns addressed to this organisation (its admins).
    pub addressed_to: Option<Uuid>,
    #[param(schema_with = crate::values::campaign_status_or_null)]
    pub status: Option<String>,
    #[validate(range(min = 2000, max = 2100))]
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// The fixed fields of an entry and its custom values.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateCampaignEntryRequest {
    /// The addressed organisation submitting; the caller administers it.
    pub organization_id: Uuid,
    #[schema(example = "走进乡村：果树修剪技术讲座")]
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub title: String,
    /// The topic category (the activity's category once accepted).
    #[schema(schema_with = crate::values::activity_category)]
    pub topic: String,
    /// The speaker or lead (主讲人/负责人).
    #[schema(example = "李教授")]
    #[validate(length(min = 1, max = 50))]
    #[schema(min_length = 1, max_length = 50)]
    pub lead: String,
    /// The month it is planned for, in the campaign's year.
    #[validate(range(min = 1, max = 12))]
    #[schema(minimum = 1, maximum = 12)]
    pub planned_month: i32,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub place: String,
    /// The audience expected.
    #[validate(range(min = 1, max = 100_000))]
    #[schema(minimum = 1, maximum = 100_000)]
    pub expected_audience: i32,
    /// Values of the campaign's own fields by key: a string, or a number for a number field.
    #[schema(value_type = Object, additional_properties = true)]
    #[serde(default)]
    pub custom: BTreeMap<String, serde_json::Value>,
}

/// Changes to an entry: the fields sent replace the stored ones (`custom` as a whole). Send
/// `If-Match`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateCampaignEntryRequest {
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub title: Option<String>,
    #[schema(schema_with = crate::values::activity_category_or_null)]
    pub topic: Option<String>,
    #[validate(length(min = 1, max = 50))]
    #[schema(min_length = 1, max_length = 50)]
    pub lead: Option<String>,
    #[validate(range(min = 1, max = 12))]
    #[schema(minimum = 1, maximum = 12)]
    pub planned_month: Option<i32>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub place: Option<String>,
    #[validate(range(min = 1, max = 100_000))]
    #[schema(minimum = 1, maximum = 100_000)]
    pub expected_audience: Option<i32>,
    #[schema(value_type = Option<Object>, additional_properties = true)]
    pub custom: Option<BTreeMap<String, serde_json::Value>>,
}

/// An entry's content, checked against its campaign's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryDraft {
    pub title: String,
    pub topic: d::ActivityCategory,
    pub lead: String,
    pub planned_month: i32,
    pub place: String,
    pub expected_audience: i32,
    /// Custom values by key, in the campaign's field order.
    pub custom: Vec<(String, String)>,
}

struct RawEntry<'a> {
    title: &'a str,
    topic: &'a str,
    lead: &'a str,
    planned_month: i32,
    place: &'a str,
    expected_audience: i32,
    custom: &'a BTreeMap<String, serde_json::Value>,
}

impl RawEntry<'_> {
    fn check(self, mut p: Problems, fields: &[CustomField]) -> Result<EntryDraft, Rejected> {
        use d::ProblemCode as C;
        for (field, v, least) in [
            ("title", self.title, 2),
            ("lead", self.lead, 1),
            ("place", self.place, 1),
        ] {
            if v.trim().chars().count() < least && !p.has(field) {
                p.push(field, C::Length, format!("at least {least} characters"));
            }
        }
        let topic = p.closed::<d::ActivityCategory>("topic", C::UnknownCategory, self.topic.trim());
        let mut raw = vec![];
        for (k, v) in self.custom {
            match v {
                serde_json::Value::String(s) => raw.push((k.clone(), RawValue::Text(s.as_str()))),
                serde_json::Value::Number(n) => match n.as_f64() {
                    Some(x) => raw.push((k.clone(), RawValue::Number(x))),
                    None => p.push(&format!("custom.{k}"), C::ValueFormat, "a number"),
                },
                serde_json::Value::Null => {}
                _ => p.push(
                    &format!("custom.{k}"),
                    C::ValueFormat,
                    "a string or a number",
                ),
            }
        }
        let custom = match d::campaign::check_custom_values(fields, &raw) {
            Ok(v) => v,
            Err(errors) => {
                for (at, e) in errors {
                    if !p.has(&at) {
                        p.push(&at, e.code, e.message);
                    }
                }
                vec![]
            }
        };
        let draft = topic.map(|topic| EntryDraft {
            title: self.title.trim().to_string(),
            topic,
            lead: self.lead.trim().to_string(),
            planned_month: self.planned_month,
            place: self.place.trim().to_string(),
            expected_audience: self.expected_audience,
            custom,
        });
        p.done(draft)
    }
}

/// A new entry checked against its campaign's fields.
impl TryFrom<(&CreateCampaignEntryRequest, &[CustomField])> for EntryDraft {
    type Error = Rejected;

    fn try_from(
        (r, fields): (&CreateCampaignEntryRequest, &[CustomField]),
    ) -> Result<Self, Rejected> {
        RawEntry {
            title: &r.title,
            topic: &r.topic,
            lead: &r.lead,
            planned_month: r.planned_month,
            place: &r.place,
            expected_audience: r.expected_audience,
            custom: &r.custom,
        }
        .check(Problems::validate(r), fields)
    }
}

impl EntryDraft {
    /// This entry with a partial update applied, checked as a whole.
    pub fn amended(
        &self,
        r: &UpdateCampaignEntryRequest,
        fields: &[CustomField],
    ) -> Result<Self, Rejected> {
        let current: BTreeMap<String, serde_json::Value> = self
            .custom
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        RawEntry {
            title: r.title.as_deref().unwrap_or(&self.title),
            topic: r.topic.as_deref().unwrap_or(self.topic.as_str()),
            lead: r.lead.as_deref().unwrap_or(&self.lead),
            planned_month: r.planned_month.unwrap_or(self.planned_month),
            place: r.place.as_deref().unwrap_or(&self.place),
            expected_audience: r.expected_audience.unwrap_or(self.expected_audience),
            custom: r.custom.as_ref().unwrap_or(&current),
        }
        .check(Problems::validate(r), fields)
    }
}

/// One custom value of an entry, with its field's label.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CustomValueView {
    pub key: String,
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CampaignEntryView {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub organization: PartyView,
    pub title: String,
    #[schema(schema_with = crate::values::activity_category)]
    pub topic: d::ActivityCategory,
    pub lead: String,
    pub planned_month: i32,
    pub place: String,
    pub expected_audience: i32,
    /// The campaign's own fields' values, in the campaign's order.
    pub custom: Vec<CustomValueView>,
    #[schema(schema_with = crate::values::entry_status)]
    pub status: d::EntryStatus,
    /// Planned, accepted, held (its activity published and ended) or dropped.
    #[schema(schema_with = crate::values::entry_stage)]
    pub stage: d::EntryStage,
    /// The draft activity made when it was accepted.
    pub activity_id: Option<Uuid>,
    #[schema(schema_with = crate::values::entry_actions)]
    pub allowed_actions: Vec<d::EntryAction>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CampaignEntryPage {
    pub items: Vec<CampaignEntryView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct CampaignEntryQuery {
    /// One addressed organisation's entries.
    pub organization_id: Option<Uuid>,
    #[param(schema_with = crate::values::entry_status_or_null)]
    pub status: Option<String>,
    #[validate(range(min = 1, max = 12))]
    #[param(minimum = 1, maximum = 12)]
    pub planned_month: Option<i32>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// Reopens one organisation's submission until a day (the owner).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ReopenSubmissionRequest {
    /// The last day it may change its entries (China's date).
    #[validate(custom(function = "crate::bounds::date"))]
    pub until: NaiveDate,
}

/// Accepting an entry: the draft activity's times; by default the 15th of the planned
/// month (or tomorrow, if that has passed within the month), 09:00-11:00 China time.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AcceptCampaignEntryRequest {
    #[validate(custom(function = "crate::bounds::instant"))]
    pub starts_at: Option<DateTime<Utc>>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub ends_at: Option<DateTime<Utc>>,
}

/// Who was reminded.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CampaignReminderView {
    /// The organisations behind, each sent `campaign.reminder`.
    pub organization_ids: Vec<Uuid>,
    pub reminded_at: DateTime<Utc>,
}

/// One addressed organisation in the progress table (rule 56), with its roll-up.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ProgressRow {
    pub organization: PartyView,
    #[schema(schema_with = crate::values::submission_state)]
    pub state: d::SubmissionState,
    pub entries: i32,
    /// Entries still missing to the minimum.
    pub short_by: i32,
    pub completed_on: Option<NaiveDate>,
    pub late: bool,
    pub reopened_until: Option<NaiveDate>,
    /// Entries planned, accepted and held (their activities published and ended).
    pub planned: u64,
    pub accepted: u64,
    pub held: u64,
    #[schema(schema_with = crate::values::submission_actions)]
    pub allowed_actions: Vec<d::SubmissionAction>,
}

/// A month of a campaign's roll-up: entries planned for it against held.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CampaignMonth {
    pub month: i32,
    /// Entries not withdrawn that plan for the month.
    pub planned: u64,
    pub accepted: u64,
    pub held: u64,
    /// Accepted, then their activity cancelled.
    pub dropped: u64,
}

/// The owner's view of who has answered (rule 56) and of the programme's roll-up.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CampaignProgressView {
    pub campaign_id: Uuid,
    pub min_entries: i32,
    pub deadline: NaiveDate,
    pub addressed: u64,
    pub not_answered: u64,
    pub in_progress: u64,
    pub overdue: u64,
    pub complete: u64,
    pub completed_late: u64,
    /// Entries not withdrawn, of which accepted and held.
    pub entries: u64,
    pub accepted: u64,
    pub held: u64,
    /// The twelve months of the campaign's year.
    pub months: Vec<CampaignMonth>,
    /// Addressed organisations (a page, filtered by `state`), by organisation id.
    pub rows: Vec<ProgressRow>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct CampaignProgressQuery {
    /// Only organisations in this state.
    #[param(schema_with = crate::values::submission_state_or_null)]
    pub state: Option<String>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}
