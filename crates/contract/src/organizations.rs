//! Organisations and teams (科技志愿服务组织 / 队伍).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

use crate::form::{Problems, Rejected};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RegisterOrganizationRequest {
    #[schema(example = "中国农学会")]
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub name: String,
    /// One of `national_society`, `provincial_society`, `municipal_society`,
    /// `provincial_association`, `city_association`, `county_association`,
    /// `county_volunteer_federation`, `university`, `enterprise`,
    /// `rural_technical_association`, `youth`, `science_caravan`,
    /// `science_education_base`, `other`.
    #[schema(schema_with = crate::values::organization_category)]
    pub category: String,
    /// One of `national`, `province`, `city`, `county`, `grassroots`.
    #[schema(schema_with = crate::values::organization_level)]
    pub level: String,
    /// The parent organisation that approves this one; none for a top-level organisation.
    pub parent_id: Option<Uuid>,
    /// GB/T 2260 code of the region the organisation sits in.
    #[schema(example = "110000")]
    #[schema(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: String,
    /// Unified social credit code (GB 32100), optional.
    #[schema(pattern = "^\\s*[0-9A-HJ-NP-RTUW-Ya-hj-np-rtuw-y]{18}\\s*$")]
    pub credit_code: Option<String>,
    #[validate(length(min = 2, max = 50))]
    #[schema(min_length = 2, max_length = 50)]
    pub contact_name: String,
    #[schema(pattern = "^[+0-9 -]+$")]
    pub contact_phone: String,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub address: Option<String>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
}

/// A registration as the form and the service both check it before anything is looked up
/// (登记): every field parsed into its domain value, and the rules that need no stored
/// record (the level a category sits at, who registers without a parent). The parent's
/// standing and the region's existence are the service's to check against the store.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationRegistration {
    pub name: d::OrganizationName,
    pub category: d::OrganizationCategory,
    pub level: d::OrganizationLevel,
    pub parent_id: Option<Uuid>,
    pub region: d::RegionCode,
    pub credit_code: Option<d::CreditCode>,
    pub contact_name: d::PersonName,
    pub contact_phone: d::MobilePhone,
    pub address: Option<String>,
    pub description: Option<String>,
}

impl TryFrom<&RegisterOrganizationRequest> for OrganizationRegistration {
    type Error = Rejected;

    fn try_from(r: &RegisterOrganizationRequest) -> Result<Self, Rejected> {
        use d::ProblemCode as C;
        let mut p = Problems::validate(r);
        let name = p.parse("name", d::OrganizationName::parse(&r.name));
        let category =
            p.closed::<d::OrganizationCategory>("category", C::UnknownCategory, &r.category);
        let level = p.closed::<d::OrganizationLevel>("level", C::UnknownLevel, &r.level);
        let region = p.parse("region_code", d::RegionCode::parse(&r.region_code));
        let credit_code = match r.credit_code.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(c) => p.parse("credit_code", d::CreditCode::parse(c)).map(Some),
        };
        let contact_name = p.parse("contact_name", d::PersonName::parse(&r.contact_name));
        let contact_phone = p.parse("contact_phone", d::MobilePhone::parse(&r.contact_phone));
        if let (Some(c), Some(l)) = (category, level) {
            if let Err(e) = d::organization::check_placement(c, l, None) {
                p.push("level", e.code, e.message);
            }
        }
        if level.is_some_and(|l| !l.registers_without_parent()) && r.parent_id.is_none() {
            p.push(
                "parent_id",
                C::ParentRequired,
                "only national and provincial organisations register without a parent",
            );
        }
        let value = match (
            name,
            category,
            level,
            region,
            credit_code,
            contact_name,
            contact_phone,
        ) {
            (
                Some(name),
                Some(category),
                Some(level),
                Some(region),
                Some(credit_code),
                Some(contact_name),
                Some(contact_phone),
            ) => Some(OrganizationRegistration {
                name,
                category,
                level,
                parent_id: r.parent_id,
                region,
                credit_code,
                contact_name,
                contact_phone,
                address: r.address.clone(),
                description: r.description.clone(),
            }),
            _ => None,
        };
        p.done(value)
    }
}

/// Partial update; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganizationRequest {
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub name: Option<String>,
    #[schema(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: Option<String>,
    #[schema(pattern = "^\\s*[0-9A-HJ-NP-RTUW-Ya-hj-np-rtuw-y]{18}\\s*$")]
    pub credit_code: Option<String>,
    #[validate(length(min = 2, max = 50))]
    #[schema(min_length = 2, max_length = 50)]
    pub contact_name: Option<String>,
    #[schema(pattern = "^[+0-9 -]+$")]
    pub contact_phone: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub address: Option<String>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
}

/// A partial update of an organisation as the form and the service both check it: each
/// field given, parsed into its domain value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrganizationAmendment {
    pub name: Option<d::OrganizationName>,
    pub region: Option<d::RegionCode>,
    pub credit_code: Option<d::CreditCode>,
    pub contact_name: Option<d::PersonName>,
    pub contact_phone: Option<d::MobilePhone>,
    pub address: Option<String>,
    pub description: Option<String>,
}

impl TryFrom<&UpdateOrganizationRequest> for OrganizationAmendment {
    type Error = Rejected;

    fn try_from(r: &UpdateOrganizationRequest) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        let mut a = OrganizationAmendment {
            address: r.address.as_deref().map(|s| s.trim().to_string()),
            description: r.description.as_deref().map(|s| s.trim().to_string()),
            ..Default::default()
        };
        if let Some(n) = &r.name {
            a.name = p.parse("name", d::OrganizationName::parse(n));
        }
        if let Some(c) = &r.region_code {
            a.region = p.parse("region_code", d::RegionCode::parse(c));
        }
        if let Some(c) = &r.credit_code {
            a.credit_code = p.parse("credit_code", d::CreditCode::parse(c));
        }
        if let Some(n) = &r.contact_name {
            a.contact_name = p.parse("contact_name", d::PersonName::parse(n));
        }
        if let Some(c) = &r.contact_phone {
            a.contact_phone = p.parse("contact_phone", d::MobilePhone::parse(c));
        }
        p.done(Some(a))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct GrantAdminRequest {
    /// The login (e-mail or phone) of the account that receives the seat.
    #[validate(length(min = 3, max = 254))]
    #[schema(min_length = 3, max_length = 254)]
    pub login: String,
}

impl TryFrom<&GrantAdminRequest> for d::LoginName {
    type Error = Rejected;

    /// The login of the account that receives the seat, in its one spelling.
    fn try_from(r: &GrantAdminRequest) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        let login = p.parse("login", d::LoginName::parse(&r.login));
        p.done(login)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct OrganizationAdminView {
    pub account_id: Uuid,
    pub display_name: String,
    pub granted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct OrganizationView {
    pub id: Uuid,
    pub name: String,
    #[schema(schema_with = crate::values::organization_category)]
    pub category: d::OrganizationCategory,
    #[schema(schema_with = crate::values::organization_level)]
    pub level: d::OrganizationLevel,
    pub parent_id: Option<Uuid>,
    pub region_code: String,
    pub region_name: String,
    pub credit_code: Option<String>,
    pub contact_name: String,
    /// Masked (`138****8000`) unless the caller administers this organisation or its parent.
    pub contact_phone: String,
    pub address: Option<String>,
    pub description: Option<String>,
    /// `pending`, `approved`, `rejected` or `suspended`.
    #[schema(schema_with = crate::values::organization_status)]
    pub status: d::OrganizationStatus,
    pub rejection_reason: Option<String>,
    /// What the caller may do to the organisation now (`organization_allowed_actions`).
    #[serde(default)]
    #[schema(schema_with = crate::values::organization_actions)]
    pub allowed_actions: Vec<d::OrganizationAction>,
    pub approved_members: u64,
    /// Admin seats allowed by the number of approved members (rule 8).
    pub admin_seat_cap: u64,
    pub admin_count: u64,
    /// For county brigades (30) and grassroots teams (10): whether the minimum size is reached.
    pub meets_minimum_size: Option<bool>,
    /// Listed only for those who manage the organisation.
    pub admins: Option<Vec<OrganizationAdminView>>,
    /// A county flagged as a priority area by an organisation above it: its needs are listed
    /// first (rule 46).
    #[serde(default)]
    #[schema(schema_with = crate::values::priority_area_or_null)]
    pub priority_area: Option<d::PriorityArea>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// Flags a county as a priority area, or clears the flag with `null`. Send `If-Match`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct SetPriorityAreaRequest {
    #[schema(schema_with = crate::values::priority_area_or_null)]
    pub priority_area: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrganizationPage {
    pub items: Vec<OrganizationView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct OrganizationQuery {
    #[param(schema_with = crate::values::organization_category)]
    pub category: Option<String>,
    #[param(schema_with = crate::values::organization_level)]
    pub level: Option<String>,
    /// A region code: a province finds everything in its cities and counties too.
    pub region: Option<String>,
    #[param(schema_with = crate::values::organization_status)]
    pub status: Option<String>,
    /// Part of the name.
    #[validate(length(max = 100))]
    #[param(max_length = 100)]
    pub q: Option<String>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

crate::reason_request! {
    RejectRequest => reason,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> RegisterOrganizationRequest {
        RegisterOrganizationRequest {
            name: " 中国农学会 ".into(),
            category: "national_society".into(),
            level: "national".into(),
            parent_id: None,
            region_code: "110000".into(),
            credit_code: Some(" ".into()),
            contact_name: "王芳".into(),
            contact_phone: "138 0013 8000".into(),
            address: None,
            description: None,
        }
    }

    fn refused(r: &RegisterOrganizationRequest) -> Vec<(String, String)> {
        match OrganizationRegistration::try_from(r) {
            Ok(_) => vec![],
            Err(Rejected(p)) => p
                .into_iter()
                .map(|p| (p.field, p.code.as_str().to_string()))
                .collect(),
        }
    }

    #[test]
    fn a_good_registration_becomes_domain_values() {
        let f = OrganizationRegistration::try_from(&request()).expect("accepted");
        assert_eq!(f.name.as_str(), "中国农学会");
        assert_eq!(f.category, d::OrganizationCategory::NationalSociety);
        assert_eq!(f.level, d::OrganizationLevel::National);
        assert_eq!(f.contact_phone.as_str(), "13800138000");
        assert_eq!(f.credit_code, None, "a blank credit code is no credit code");
    }

    #[test]
    fn every_field_problem_is_named_at_once() {
        let mut r = request();
        r.name = "某".into();
        r.category = "nope".into();
        r.level = "county".into();
        r.region_code = "11".into();
        r.credit_code = Some("91350100M000100Y44".into());
        r.contact_name = "王芳2".into();
        r.contact_phone = "12345".into();
        let mut got = refused(&r);
        got.sort();
        let want: Vec<(String, String)> = [
            ("category", "unknown_category"),
            ("contact_name", "person_name_characters"),
            ("contact_phone", "phone_format"),
            ("credit_code", "credit_code_checksum"),
            ("name", "length"),
            ("parent_id", "parent_required"),
            ("region_code", "region_code_format"),
        ]
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_category_sits_at_its_own_level() {
        let mut r = request();
        r.level = "province".into();
        assert_eq!(
            refused(&r),
            [("level".to_string(), "level_category_mismatch".to_string())]
        );
        r.category = "university".into();
        r.level = "county".into();
        assert_eq!(
            refused(&r),
            [("parent_id".to_string(), "parent_required".to_string())]
        );
        r.parent_id = Some(Uuid::nil());
        assert_eq!(refused(&r), vec![]);
    }
}
