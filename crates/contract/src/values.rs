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
    all!(d::MonthStanding) => month_standing, month_standing_or_null, month_standings;
    all!(d::ActivityRule) => activity_rule, activity_rule_or_null, activity_rules;
    all!(d::MembershipStatus) => membership_status, membership_status_or_null, membership_statuses;
    all!(d::ThreeHeadsRole) => three_heads_role, three_heads_role_or_null, three_heads_roles;
    all!(d::Gender) => gender, gender_or_null, genders;
    all!(d::RegionLevel) => region_level, region_level_or_null, region_levels;
    all!(d::integration::EventType) => event_type, event_type_or_null, event_types;
    d::integration::EventType::ALL
        .iter()
        .filter(|t| **t != d::integration::EventType::Ping)
        .map(|t| t.as_str().to_string())
        .collect() => subscribable_event_type, subscribable_event_type_or_null, subscribable_event_types;
    d::integration::all_scopes().collect() => scope, scope_or_null, scopes;
    all!(d::integration::ApiClientStatus) => api_client_status, api_client_status_or_null, api_client_statuses;
    all!(d::integration::DeliveryStatus) => delivery_status, delivery_status_or_null, delivery_statuses;
    all!(d::TableFormat) => table_format, table_format_or_null, table_formats;
    all!(d::RecordOutcome) => record_outcome, record_outcome_or_null, record_outcomes;
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
