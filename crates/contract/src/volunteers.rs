//! Volunteers (real-name registration) and memberships.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

use crate::form::{Problems, Rejected};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct GuardianInput {
    #[validate(length(min = 2, max = 50))]
    #[schema(min_length = 2, max_length = 50)]
    pub name: String,
    #[schema(pattern = "^[+0-9 -]+$")]
    pub phone: String,
    /// The guardian consents to the registration.
    pub consent: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    /// Version of the registration agreement accepted, e.g. `2025-01`.
    #[validate(length(min = 1, max = 20))]
    #[schema(min_length = 1, max_length = 20)]
    pub agreement_version: String,
    pub accepted: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RegisterVolunteerRequest {
    #[schema(example = "李明")]
    pub name: String,
    /// Resident ID number (GB 11643); gender and birth date are derived from it.
    #[schema(example = "11010519491231002X")]
    #[schema(pattern = "^\\s*[0-9]{17}[0-9Xx]\\s*$")]
    pub id_number: String,
    #[schema(example = "13800138000")]
    #[schema(pattern = "^[+0-9 -]+$")]
    pub phone: String,
    /// Region of residence (GB/T 2260).
    #[schema(example = "110105")]
    #[schema(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: String,
    /// Professional skills or fields, e.g. `农业技术`.
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    #[serde(default)]
    pub skills: Vec<String>,
    /// Service categories of interest, e.g. `science_popularisation`.
    #[validate(length(max = 10))]
    #[serde(default)]
    #[schema(schema_with = crate::values::volunteer_service_categories)]
    pub service_categories: Vec<String>,
    /// "Three heads" role: `school_principal`, `hospital_head` or `agricultural_station_head`.
    #[schema(schema_with = crate::values::three_heads_role_or_null)]
    pub three_heads_role: Option<String>,
    /// Required from 14 to 17 years of age.
    #[validate(nested)]
    pub guardian: Option<GuardianInput>,
    #[validate(nested)]
    pub consent: ConsentInput,
    /// Teams to ask to join at once (at most 5).
    #[validate(length(max = 5))]
    #[schema(max_items = 5)]
    #[serde(default)]
    pub organization_ids: Vec<Uuid>,
}

/// A volunteer's registration (实名注册) as the form and the service both check it before
/// anything is looked up: the identity parsed into domain values, the age rule on `today`
/// (China time) with the guardian it asks for, skills, categories and the agreement. That
/// the region exists and the teams to join (`organization_ids`) are approved is the
/// service's to check against the store.
#[derive(Debug, Clone, PartialEq)]
pub struct VolunteerRegistration {
    pub name: d::PersonName,
    pub id_number: d::ResidentIdNumber,
    pub phone: d::MobilePhone,
    pub region: d::RegionCode,
    /// Trimmed, each of 1 to 50 characters.
    pub skills: Vec<String>,
    pub service_categories: Vec<d::ActivityCategory>,
    pub three_heads_role: Option<d::ThreeHeadsRole>,
    /// Present only for a volunteer of 14 to 17, who needs one.
    pub guardian: Option<Guardian>,
    pub consent_version: String,
}

/// The guardian of a volunteer under 18, who has consented.
#[derive(Debug, Clone, PartialEq)]
pub struct Guardian {
    pub name: String,
    pub phone: d::MobilePhone,
    pub consent: bool,
}

impl TryFrom<(&RegisterVolunteerRequest, NaiveDate)> for VolunteerRegistration {
    type Error = Rejected;

    fn try_from((r, today): (&RegisterVolunteerRequest, NaiveDate)) -> Result<Self, Rejected> {
        use d::ProblemCode as C;
        let mut p = Problems::validate(r);
        let name = p.parse("name", d::PersonName::parse(&r.name));
        let id_number = p.parse("id_number", d::ResidentIdNumber::parse(&r.id_number));
        let phone = p.parse("phone", d::MobilePhone::parse(&r.phone));
        let region = p.parse("region_code", d::RegionCode::parse(&r.region_code));
        for (i, s) in r.skills.iter().enumerate() {
            let n = s.trim().chars().count();
            if n == 0 || n > 50 {
                p.push(
                    &format!("skills[{i}]"),
                    C::Length,
                    "a skill has 1 to 50 characters",
                );
            }
        }
        let service_categories: Vec<Option<d::ActivityCategory>> = r
            .service_categories
            .iter()
            .enumerate()
            .map(|(i, c)| {
                p.closed(
                    &format!("service_categories[{i}]"),
                    C::UnknownServiceCategory,
                    c,
                )
            })
            .collect();
        let three_heads_role = p.closed_opt(
            "three_heads_role",
            C::UnknownThreeHeadsRole,
            r.three_heads_role.as_deref(),
        );
        if !r.consent.accepted {
            p.push(
                "consent.accepted",
                C::ConsentRequired,
                "the registration agreement must be accepted",
            );
        }
        let mut guardian = None;
        if let Some(id) = &id_number {
            match d::volunteer::age_rule(id, today) {
                d::volunteer::AgeRule::Adult => {}
                d::volunteer::AgeRule::TooYoung => p.push(
                    "id_number",
                    C::TooYoung,
                    "volunteers register from 14 years of age",
                ),
                d::volunteer::AgeRule::NeedsGuardian => match &r.guardian {
                    None => p.push(
                        "guardian",
                        C::GuardianRequired,
                        "from 14 to 17 a guardian's name, phone and consent are needed",
                    ),
                    Some(g) => {
                        if !g.consent {
                            p.push(
                                "guardian.consent",
                                C::GuardianConsentRequired,
                                "the guardian must consent",
                            );
                        }
                        guardian = p
                            .parse("guardian.phone", d::MobilePhone::parse(&g.phone))
                            .map(|phone| Guardian {
                                name: g.name.trim().to_string(),
                                phone,
                                consent: g.consent,
                            });
                    }
                },
            }
        }
        let value = match (name, id_number, phone, region) {
            (Some(name), Some(id_number), Some(phone), Some(region)) => {
                Some(VolunteerRegistration {
                    name,
                    id_number,
                    phone,
                    region,
                    skills: r.skills.iter().map(|s| s.trim().to_string()).collect(),
                    service_categories: service_categories.into_iter().flatten().collect(),
                    three_heads_role,
                    guardian,
                    consent_version: r.consent.agreement_version.clone(),
                })
            }
            _ => None,
        };
        p.done(value)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GuardianView {
    pub name: String,
    pub phone_masked: String,
    pub consent: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MembershipView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    pub volunteer_id: Uuid,
    /// `pending`, `approved`, `rejected` or `left`.
    #[schema(schema_with = crate::values::membership_status)]
    pub status: d::MembershipStatus,
    pub reason: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// What the caller may do to the membership now (`membership_allowed_actions`): leave it
    /// (the volunteer), approve or reject it (the team's admins).
    #[serde(default)]
    #[schema(schema_with = crate::values::membership_actions)]
    pub allowed_actions: Vec<d::MembershipAction>,
}

/// A volunteer as the person sees themself: the full ID number and phone.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VolunteerProfileView {
    pub id: Uuid,
    /// Volunteer number, e.g. `ZH2026000123`.
    pub volunteer_number: String,
    pub name: String,
    pub id_number: String,
    pub id_number_masked: String,
    /// `male` or `female`, derived from the ID number.
    #[schema(schema_with = crate::values::gender)]
    pub gender: d::Gender,
    pub birth_date: NaiveDate,
    pub phone: String,
    pub region_code: String,
    pub skills: Vec<String>,
    #[schema(schema_with = crate::values::activity_categories)]
    pub service_categories: Vec<d::ActivityCategory>,
    #[schema(schema_with = crate::values::three_heads_role_or_null)]
    pub three_heads_role: Option<d::ThreeHeadsRole>,
    pub guardian: Option<GuardianView>,
    pub consent_version: String,
    pub consented_at: DateTime<Utc>,
    pub memberships: Vec<MembershipView>,
    pub created_at: DateTime<Utc>,
}

/// A volunteer as an authorised admin sees them: ID number and phone masked.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VolunteerView {
    pub id: Uuid,
    pub volunteer_number: String,
    pub name: String,
    /// `1101**********002X`
    pub id_number_masked: String,
    #[schema(schema_with = crate::values::gender)]
    pub gender: d::Gender,
    pub birth_date: NaiveDate,
    /// `138****8000`
    pub phone_masked: String,
    pub region_code: String,
    pub skills: Vec<String>,
    #[schema(schema_with = crate::values::activity_categories)]
    pub service_categories: Vec<d::ActivityCategory>,
    #[schema(schema_with = crate::values::three_heads_role_or_null)]
    pub three_heads_role: Option<d::ThreeHeadsRole>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberView {
    pub membership_id: Uuid,
    #[schema(schema_with = crate::values::membership_status)]
    pub status: d::MembershipStatus,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// What the caller may do to the membership now (`membership_allowed_actions`).
    #[serde(default)]
    #[schema(schema_with = crate::values::membership_actions)]
    pub allowed_actions: Vec<d::MembershipAction>,
    pub volunteer: VolunteerView,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberPage {
    pub items: Vec<MemberView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// `pending`, `approved`, `rejected` or `left`.
    #[param(schema_with = crate::values::membership_status)]
    pub status: Option<String>,
    /// Part of the volunteer's name, or their whole volunteer number.
    #[validate(length(max = 50))]
    #[param(max_length = 50)]
    pub q: Option<String>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// One refused row of an import.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportRowError {
    /// Row number in the file, counting the header as row 1.
    pub row: u32,
    /// The column header (e.g. `身份证号`).
    pub field: String,
    pub code: String,
    pub reason: String,
}

/// A bulk import of volunteers and its row-by-row report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VolunteerImportView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub file_name: String,
    /// SHA-256 of the uploaded file.
    pub file_sha256: String,
    /// `csv` or `xlsx`.
    #[schema(schema_with = crate::values::table_format)]
    pub format: d::TableFormat,
    /// `completed` (all rows handled; see `failed`).
    pub status: String,
    pub total_rows: u32,
    /// New volunteers created as approved members of the team.
    pub created: u32,
    /// Rows whose person was already a member of the team (a re-run creates nothing twice).
    pub already_members: u32,
    pub failed: u32,
    /// Row errors, by row: the first 1,000 of them (see `errors_truncated`).
    pub errors: Vec<ImportRowError>,
    /// Whether some failed rows' errors were left out of `errors` (more than 1,000).
    pub errors_truncated: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// `csv` (default) or `xlsx`.
    #[param(schema_with = crate::values::table_format)]
    pub format: Option<String>,
}

/// Multipart upload of a CSV or XLSX file in the template's layout.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// The file (field name `file`).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(id_number: &str) -> RegisterVolunteerRequest {
        RegisterVolunteerRequest {
            name: "李明".into(),
            id_number: id_number.into(),
            phone: "13800138000".into(),
            region_code: "110105".into(),
            skills: vec![" 农业技术 ".into()],
            service_categories: vec!["science_popularisation".into()],
            three_heads_role: None,
            guardian: None,
            consent: ConsentInput {
                agreement_version: "2025-01".into(),
                accepted: true,
            },
            organization_ids: vec![Uuid::nil(), Uuid::nil()],
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default()
    }

    fn refused(r: &RegisterVolunteerRequest) -> Vec<(String, String)> {
        match VolunteerRegistration::try_from((r, today())) {
            Ok(_) => vec![],
            Err(Rejected(p)) => {
                let mut v: Vec<_> = p
                    .into_iter()
                    .map(|p| (p.field, p.code.as_str().to_string()))
                    .collect();
                v.sort();
                v
            }
        }
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn an_adult_registers_with_domain_values() {
        let f = VolunteerRegistration::try_from((&request("11010519491231002X"), today()))
            .expect("accepted");
        assert_eq!(f.skills, ["农业技术"]);
        assert_eq!(
            f.service_categories,
            [d::ActivityCategory::SciencePopularisation]
        );
        assert_eq!(f.guardian, None);
    }

    #[test]
    fn every_field_problem_is_named_at_once() {
        let mut r = request("110105194912310021");
        r.name = "李明2".into();
        r.phone = "12345".into();
        r.region_code = "11".into();
        r.skills = vec![" ".into()];
        r.service_categories = vec!["sciense".into()];
        r.three_heads_role = Some("mayor".into());
        r.consent.accepted = false;
        assert_eq!(
            refused(&r),
            pairs(&[
                ("consent.accepted", "consent_required"),
                ("id_number", "id_number_checksum"),
                ("name", "person_name_characters"),
                ("phone", "phone_format"),
                ("region_code", "region_code_format"),
                ("service_categories[0]", "unknown_service_category"),
                ("skills[0]", "length"),
                ("three_heads_role", "unknown_three_heads_role"),
            ])
        );
    }

    #[test]
    fn the_age_rule_reads_today_and_asks_for_a_consenting_guardian() {
        // Born 2010-06-15: 16 on the day, so a guardian is needed.
        let minor = "110105201006150012";
        let r = request(minor);
        assert_eq!(refused(&r), pairs(&[("guardian", "guardian_required")]));
        let mut r = request(minor);
        r.guardian = Some(GuardianInput {
            name: "李强".into(),
            phone: "139".into(),
            consent: false,
        });
        assert_eq!(
            refused(&r),
            pairs(&[
                ("guardian.consent", "guardian_consent_required"),
                ("guardian.phone", "phone_format"),
            ])
        );
        r.guardian = Some(GuardianInput {
            name: " 李强 ".into(),
            phone: "13900139000".into(),
            consent: true,
        });
        let f = VolunteerRegistration::try_from((&r, today())).expect("accepted");
        assert_eq!(f.guardian.map(|g| g.name), Some("李强".to_string()));
        // Born 2014-01-01: 12, too young whatever the guardian.
        assert_eq!(
            refused(&request("11010520140101001X")),
            pairs(&[("id_number", "too_young")])
        );
    }
}
