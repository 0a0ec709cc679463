//! The closed value sets of the wire, as OpenAPI enums, read from their one home in the
//! domain crate (`ActivityStatus::ALL`, …). A field that carries one of them names its
//! schema here with `#[schema(schema_with = …)]` (or `#[param(schema_with = …)]` for a query
//! parameter), so a client generated from the contract refuses a value the service would
//! refuse, and the contract cannot drift from the rule.

use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, SchemaType, Type};
use utoipa::openapi::{ObjectBuilder, RefOr, Schema};
use zhihui_domain as d;

fn one(values: Vec<String>, nullable: bool) -> RefOr<Schema> {
    let strings = ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .enum_values(Some(values));
    if !nullable {
        return strings.into();
    }
    // `anyOf: [enum, null]`: the shape client generators read as an optional enum.
    AnyOfBuilder::new()
        .item(strings)
        .item(ObjectBuilder::new().schema_type(SchemaType::Type(Type::Null)))
        .into()
}

fn list(values: Vec<String>) -> RefOr<Schema> {
    ArrayBuilder::new().items(one(values, false)).into()
}

macro_rules! value_schemas {
    ($($values:expr => $one:ident, $or_null:ident, $list:ident;)*) => {$(
        pub fn $one() -> RefOr<Schema> {
            one($values, false)
        }
        pub fn $or_null() -> RefOr<Schema> {
            one($values, true)
        }
        pub fn $list() -> RefOr<Schema> {
            list($values)
        }
    )*};
}

macro_rules! all {
    ($ty:path) => {
        <$ty>::ALL.iter().map(|v| v.as_str().to_string()).collect()
    };
}

/// A request's list of closed values with the number of items the service takes (the same
/// bounds as the field's `validate(length)`; `limits_tests` holds the two together).
fn list_within(values: Vec<String>, min: Option<usize>, max: usize) -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(one(values, false))
        .min_items(min)
        .max_items(Some(max))
        .into()
}

/// The event types an endpoint may subscribe to (every one but `ping`).
fn subscribable() -> Vec<String> {
    d::integration::EventType::ALL
        .iter()
        .filter(|t| **t != d::integration::EventType::Ping)
        .map(|t| t.as_str().to_string())
        .collect()
}

pub fn eligible_categories() -> RefOr<Schema> {
    list_within(all!(d::OrganizationCategory), Some(1), 14)
}

pub fn volunteer_service_categories() -> RefOr<Schema> {
    list_within(all!(d::ActivityCategory), None, 10)
}

pub fn requested_scopes() -> RefOr<Schema> {
    list_within(d::integration::all_scopes().collect(), Some(1), 16)
}

pub fn subscribed_event_types() -> RefOr<Schema> {
    list_within(subscribable(), Some(1), 40)
}

value_schemas! {
    all!(d::OrganizationCategory) => organization_category, organization_category_or_null, organization_categories;
    all!(d::OrganizationLevel) => organization_level, organization_level_or_null, organization_levels;
    all!(d::OrganizationStatus) => organization_status, organization_status_or_null, organization_statuses;
    all!(d::OrganizationAction) => organization_action, organization_action_or_null, organization_actions;
    all!(d::MembershipAction) => membership_action, membership_action_or_null, membership_actions;
    all!(d::CertificateAction) => certificate_action, certificate_action_or_null, certificate_actions;
    all!(d::ActivityCategory) => activity_category, activity_category_or_null, activity_categories;
    all!(d::KeyDate) => key_date, key_date_or_null, key_dates;
    all!(d::ActivityStatus) => activity_status, activity_status_or_null, activity_statuses;
    all!(d::ActivityAction) => activity_action, activity_action_or_null, activity_actions;
    all!(d::SignUpStatus) => sign_up_status, sign_up_status_or_null, sign_up_statuses;
    all!(d::AttendanceSource) => attendance_source, attendance_source_or_null, attendance_sources;
    all!(d::ApplicationStatus) => application_status, application_status_or_null, application_statuses;
    all!(d::FormVariant) => form_variant, form_variant_or_null, form_variants;
    all!(d::Decision) => decision, decision_or_null, decisions;
    all!(d::ApplicationEvent) => application_event, application_event_or_null, application_events;
    all!(d::LetterEvent) => letter_event, letter_event_or_null, letter_events;
    all!(d::LetterSide) => letter_side, letter_side_or_null, letter_sides;
    all!(d::ApplicationAction) => application_action, application_action_or_null, application_actions;
    all!(d::CallState) => call_state, call_state_or_null, call_states;
    all!(d::LetterStatus) => letter_status, letter_status_or_null, letter_statuses;
    all!(d::LetterAction) => letter_action, letter_action_or_null, letter_actions;
    all!(d::Mailbox) => mailbox, mailbox_or_null, mailboxes;
    all!(d::PairingState) => pairing_state, pairing_state_or_null, pairing_states;
    all!(d::CertificateStatus) => certificate_status, certificate_status_or_null, certificate_statuses;
    all!(d::ReportStatus) => report_status, report_status_or_null, report_statuses;
    all!(d::ReportAction) => report_action, report_action_or_null, report_actions;
    all!(d::RollupKind) => rollup_kind, rollup_kind_or_null, rollup_kinds;
    all!(d::WorkKind) => work_kind, work_kind_or_null, work_kinds;
    all!(d::MonthStanding) => month_standing, month_standing_or_null, month_standings;
    all!(d::ActivityRule) => activity_rule, activity_rule_or_null, activity_rules;
    all!(d::MembershipStatus) => membership_status, membership_status_or_null, membership_statuses;
    all!(d::ThreeHeadsRole) => three_heads_role, three_heads_role_or_null, three_heads_roles;
    all!(d::Gender) => gender, gender_or_null, genders;
    all!(d::RegionLevel) => region_level, region_level_or_null, region_levels;
    all!(d::integration::EventType) => event_type, event_type_or_null, event_types;
    subscribable() => subscribable_event_type, subscribable_event_type_or_null, subscribable_event_types;
    d::integration::all_scopes().collect() => scope, scope_or_null, scopes;
    all!(d::integration::ApiClientStatus) => api_client_status, api_client_status_or_null, api_client_statuses;
    all!(d::integration::DeliveryStatus) => delivery_status, delivery_status_or_null, delivery_statuses;
    all!(d::TableFormat) => table_format, table_format_or_null, table_formats;
    all!(d::RecordOutcome) => record_outcome, record_outcome_or_null, record_outcomes;
    all!(d::NeedStatus) => need_status, need_status_or_null, need_statuses;
    all!(d::NeedAction) => need_action, need_action_or_null, need_actions;
    all!(d::NeedEvent) => need_event, need_event_or_null, need_events;
    all!(d::AudienceKind) => audience_kind, audience_kind_or_null, audience_kinds;
    all!(d::PriorityArea) => priority_area, priority_area_or_null, priority_areas;
    all!(d::Closeness) => closeness, closeness_or_null, closenesses;
    all!(d::ClaimBasis) => claim_basis, claim_basis_or_null, claim_bases;
    all!(d::ServicePointKind) => service_point_kind, service_point_kind_or_null, service_point_kinds;
    all!(d::ServicePointAction) => service_point_action, service_point_action_or_null, service_point_actions;
    all!(d::ExhibitionCategory) => exhibition_category, exhibition_category_or_null, exhibition_categories;
    all!(d::StayStatus) => stay_status, stay_status_or_null, stay_statuses;
    all!(d::StayAction) => stay_action, stay_action_or_null, stay_actions;
    all!(d::CampaignStatus) => campaign_status, campaign_status_or_null, campaign_statuses;
    all!(d::CampaignAction) => campaign_action, campaign_action_or_null, campaign_actions;
    all!(d::EntryStatus) => entry_status, entry_status_or_null, entry_statuses;
    all!(d::EntryAction) => entry_action, entry_action_or_null, entry_actions;
    all!(d::SubmissionAction) => submission_action, submission_action_or_null, submission_actions;
    all!(d::SubmissionState) => submission_state, submission_state_or_null, submission_states;
    all!(d::CustomFieldKind) => custom_field_kind, custom_field_kind_or_null, custom_field_kinds;
    all!(d::EntryStage) => entry_stage, entry_stage_or_null, entry_stages;
    all!(d::notification::NotificationKind) => notification_kind, notification_kind_or_null, notification_kinds;
    all!(d::notification::NotificationFamily) => notification_family, notification_family_or_null, notification_families;
    all!(d::notification::Channel) => channel, channel_or_null, channels;
    all!(d::notification::SendStatus) => send_status, send_status_or_null, send_statuses;
    all!(d::notification::Language) => language, language_or_null, languages;
    all!(d::notification::LinkPurpose) => link_purpose, link_purpose_or_null, link_purposes;
}

/// The categories a campaign addresses (none: every category).
pub fn addressed_categories() -> RefOr<Schema> {
    list_within(all!(d::OrganizationCategory), None, 14)
}

/// The levels a campaign addresses (none: every level).
pub fn addressed_levels() -> RefOr<Schema> {
    list_within(all!(d::OrganizationLevel), None, 5)
}

pub fn skill_fields() -> RefOr<Schema> {
    list_within(all!(d::SkillField), None, 8)
}

/// The codes a problem document's `code` may carry (the catalogue, `zhihui_domain::problem`).
pub fn problem_code() -> RefOr<Schema> {
    one(
        d::ProblemCode::ALL
            .iter()
            .filter(|c| c.is_problem())
            .map(|c| c.as_str().to_string())
            .collect(),
        false,
    )
}

/// The codes a field inside `errors[]` may carry.
pub fn field_code() -> RefOr<Schema> {
    one(
        d::ProblemCode::ALL
            .iter()
            .filter(|c| c.is_field())
            .map(|c| c.as_str().to_string())
            .collect(),
        false,
    )
}

/// Every length the service checks (`validate(length)`) is declared in the schema with the
/// same bounds, so that a generated client refuses what the service would refuse.
#[cfg(test)]
mod limits_tests {
    const SOURCES: &[(&str, &str)] = &[
        ("accounts.rs", include_str!("accounts.rs")),
        ("activities.rs", include_str!("activities.rs")),
        ("applications.rs", include_str!("applications.rs")),
        ("campaigns.rs", include_str!("campaigns.rs")),
        ("notifications.rs", include_str!("notifications.rs")),
        ("hub.rs", include_str!("hub.rs")),
        ("integrations.rs", include_str!("integrations.rs")),
        ("organizations.rs", include_str!("organizations.rs")),
        ("needs.rs", include_str!("needs.rs")),
        ("pairing.rs", include_str!("pairing.rs")),
        ("records.rs", include_str!("records.rs")),
        ("regions.rs", include_str!("regions.rs")),
        ("reports.rs", include_str!("reports.rs")),
        ("volunteers.rs", include_str!("volunteers.rs")),
    ];

    /// `name = 12` inside an attribute, if present.
    fn bound(attr: &str, name: &str) -> Option<String> {
        let at = attr.find(&format!("{name} = "))? + name.len() + 3;
        Some(
            attr[at..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '_')
                .collect(),
        )
    }

    fn declared(
        schema: utoipa::openapi::RefOr<utoipa::openapi::Schema>,
    ) -> (Option<String>, Option<String>) {
        let v = serde_json::to_value(schema).unwrap();
        let n = |k: &str| v.get(k).map(|x| x.to_string());
        (n("minItems"), n("maxItems"))
    }

    #[test]
    fn every_checked_length_is_in_the_schema() {
        type Within = fn() -> utoipa::openapi::RefOr<utoipa::openapi::Schema>;
        let within: &[(&str, Within)] = &[
            ("eligible_categories", super::eligible_categories),
            (
                "volunteer_service_categories",
                super::volunteer_service_categories,
            ),
            ("requested_scopes", super::requested_scopes),
            ("subscribed_event_types", super::subscribed_event_types),
            ("skill_fields", super::skill_fields),
            ("addressed_categories", super::addressed_categories),
            ("addressed_levels", super::addressed_levels),
        ];
        let mut checked = 0;
        let mut wrong = vec![];
        for (file, text) in SOURCES {
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            for (i, line) in lines.iter().enumerate() {
                if !line.starts_with("#[validate(length(") {
                    continue;
                }
                let (lo, hi) = match bound(line, "equal") {
                    Some(e) => (Some(e.clone()), Some(e)),
                    None => (bound(line, "min"), bound(line, "max")),
                };
                // The field's attribute block: the lines around this one up to the field.
                let mut start = i;
                while start > 0
                    && (lines[start - 1].starts_with("#[") || lines[start - 1].starts_with("///"))
                {
                    start -= 1;
                }
                let mut end = i;
                while lines[end].starts_with("#[") || lines[end].starts_with("///") {
                    end += 1;
                }
                let block = &lines[start..end];
                let field = lines[end];
                checked += 1;
                let found = if let Some(w) = block.iter().find_map(|l| {
                    let at = l.find("schema_with = crate::values::")? + 29;
                    Some(l[at..].trim_end_matches(")]").to_string())
                }) {
                    match within.iter().find(|(n, _)| *n == w) {
                        Some((_, f)) => declared(f()),
                        None => (None, Some(format!("{w} declares no bounds"))),
                    }
                } else {
                    let is_list = field.contains("Vec<");
                    let (min_key, max_key) = if is_list {
                        ("min_items", "max_items")
                    } else {
                        ("min_length", "max_length")
                    };
                    let decl = block
                        .iter()
                        .find(|l| l.contains(max_key) || l.contains(min_key))
                        .copied()
                        .unwrap_or("");
                    (bound(decl, min_key), bound(decl, max_key))
                };
                if found != (lo.clone(), hi.clone()) {
                    wrong.push(format!(
                        "{file}: {field} checks {lo:?}..{hi:?}, declares {found:?}"
                    ));
                }
            }
        }
        assert!(checked > 90, "only {checked} checked lengths found");
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
