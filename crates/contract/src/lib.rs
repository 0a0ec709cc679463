//! Wire types of the Zhihui API: what clients send and receive.
//! Shared by the service (`zhihui-http`) and the web dashboard; no I/O here.

pub mod accounts;
pub mod activities;
pub mod applications;
pub mod bounds;
pub mod campaigns;
pub mod events;
pub mod form;
pub mod hub;
pub mod integrations;
pub mod needs;
pub mod notifications;
pub mod organizations;
pub mod pairing;
pub mod problem;
pub mod records;
pub mod regions;
pub mod reports;
pub mod values;
pub mod volunteers;

pub use problem::{FieldProblem, Problem};

/// Default and maximum page sizes of every list.
pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 200;

/// Pagination parameters shared by lists.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams, validator::Validate)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1 to 200 (default 20).
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    /// Opaque cursor from the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

impl PageParams {
    pub fn limit(&self) -> u64 {
        self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
    }
}

/// The smaller whole-form checks, each with a request it accepts and one it refuses with
/// every problem named.
#[cfg(test)]
mod form_tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use crate::form::Rejected;

    fn codes<T>(r: Result<T, Rejected>) -> Vec<(String, &'static str)> {
        match r {
            Ok(_) => vec![],
            Err(Rejected(p)) => p.into_iter().map(|p| (p.field, p.code.as_str())).collect(),
        }
    }

    fn s(v: &str) -> String {
        v.to_string()
    }

    #[test]
    fn an_account_has_a_parsed_login_a_strong_password_and_a_name() {
        use crate::accounts::{AccountRegistration, RegisterAccountRequest};
        let good = RegisterAccountRequest {
            login: s(" Li.Ming@Example.cn "),
            password: s("correct-horse-42"),
            display_name: s(" 李明 "),
        };
        let a = AccountRegistration::try_from(&good).expect("accepted");
        assert_eq!(a.display_name, "李明");
        let bad = RegisterAccountRequest {
            login: s("not a login"),
            password: s("onlyletters"),
            display_name: s("   "),
        };
        let found: Vec<String> = codes(AccountRegistration::try_from(&bad))
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(found, vec!["login", "password", "display_name"]);
    }

    #[test]
    fn an_organisation_change_parses_only_what_it_changes() {
        use crate::organizations::{OrganizationAmendment, UpdateOrganizationRequest};
        let none = OrganizationAmendment::try_from(&UpdateOrganizationRequest::default())
            .expect("an empty change is accepted");
        assert_eq!(none, OrganizationAmendment::default());
        let bad = UpdateOrganizationRequest {
            contact_name: Some(s("王芳2")),
            contact_phone: Some(s("123")),
            region_code: Some(s("99")),
            ..Default::default()
        };
        assert_eq!(
            codes(OrganizationAmendment::try_from(&bad)),
            vec![
                (s("region_code"), "region_code_format"),
                (s("contact_name"), "person_name_characters"),
                (s("contact_phone"), "phone_format"),
            ]
        );
    }

    #[test]
    fn a_certificate_period_ends_after_it_starts() {
        use crate::records::{CertificateOrder, IssueCertificateRequest};
        let day = |d| NaiveDate::from_ymd_opt(2026, 6, d).unwrap();
        let r = IssueCertificateRequest {
            organization_id: uuid::Uuid::nil(),
            volunteer_id: uuid::Uuid::nil(),
            period_from: Some(day(10)),
            period_to: Some(day(9)),
            handler_name: Some(s(" ")),
            contact_phone: Some(s("1380013800")),
        };
        assert_eq!(
            codes(CertificateOrder::try_from(&r)),
            vec![
                (s("handler_name"), "length"),
                (s("period_to"), "before_from"),
                (s("contact_phone"), "phone_format")
            ]
        );
    }

    #[test]
    fn attendance_by_hand_lies_within_the_activity() {
        use crate::activities::{AttendanceRecord, AttendanceRequest};
        let at = |h| Utc.with_ymd_and_hms(2026, 6, 10, h, 0, 0).unwrap();
        let (starts, ends) = (at(8), at(12));
        let absent = AttendanceRequest {
            checked_in_at: Some(at(9)),
            checked_out_at: None,
            absent: true,
            reason: s(" 未到场 "),
        };
        let a = AttendanceRecord::try_from((&absent, starts, ends)).expect("accepted");
        assert_eq!(
            (a.checked_in_at, a.reason.as_str()),
            (None, "未到场"),
            "absence clears the times"
        );
        let wrong = AttendanceRequest {
            checked_in_at: Some(at(9)),
            checked_out_at: Some(at(9) - chrono::Duration::days(1)),
            absent: false,
            reason: s("  "),
        };
        assert_eq!(
            codes(AttendanceRecord::try_from((&wrong, starts, ends))),
            vec![
                (s("reason"), "required"),
                (s("checked_out_at"), "before_check_in"),
                (s("checked_out_at"), "outside_activity"),
            ]
        );
    }

    #[test]
    fn a_report_month_has_begun() {
        use crate::reports::{PrepareReportRequest, ReportMonth};
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let month = |m: &str| PrepareReportRequest { month: s(m) };
        assert!(ReportMonth::try_from((&month("2026-12"), today)).is_ok());
        assert_eq!(
            codes(ReportMonth::try_from((&month("2027-01"), today))),
            vec![(s("month"), "month_in_future")]
        );
        assert_eq!(
            codes(ReportMonth::try_from((&month("2026/12"), today))).len(),
            1
        );
    }

    #[test]
    fn integrations_name_their_scopes_and_event_types() {
        use crate::integrations::{
            ApiClientRegistration, CreateApiClientRequest, CreateWebhookEndpointRequest,
            WebhookSettings,
        };
        let client = CreateApiClientRequest {
            name: s("省平台"),
            scopes: vec![s("activities:read"), s("activities:read"), s("everything")],
        };
        assert_eq!(
            codes(ApiClientRegistration::try_from(&client)),
            vec![(s("scopes[2]"), "unknown_scope")]
        );
        let hook = CreateWebhookEndpointRequest {
            organization_id: None,
            url: s("http://127.0.0.1/hook"),
            description: None,
            event_types: vec![s("activity.published"), s("ping")],
        };
        assert_eq!(
            codes(WebhookSettings::try_from((&hook, false))),
            vec![
                (s("url"), "invalid_url"),
                (s("event_types[1]"), "unknown_event_type")
            ]
        );
        let local = CreateWebhookEndpointRequest {
            event_types: vec![s("activity.published")],
            ..hook
        };
        assert!(
            WebhookSettings::try_from((&local, true)).is_ok(),
            "a plain local address where the service allows it"
        );
    }
}
