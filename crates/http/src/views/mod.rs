//! From stored rows to wire types, in one place. Entities never reach the wire.

pub mod activities;
pub mod applications;
pub mod imports;
pub mod integrations;
pub mod pairing;
pub mod reports;
pub mod webhooks;

use zhihui_contract::accounts::AccountView;
use zhihui_contract::organizations::{OrganizationAdminView, OrganizationView};
use zhihui_contract::regions::RegionView;
use zhihui_contract::volunteers::{
    GuardianView, MembershipView, VolunteerProfileView, VolunteerView,
};
use zhihui_domain::{
    admin_seat_cap, membership_allowed_actions, organization_allowed_actions, MembershipRoles,
    OrganizationRoles,
};
use zhihui_persistence::entities::{account, membership, organization, region, volunteer};
use zhihui_persistence::Store;

use crate::error::ApiError;

pub fn region(r: region::Model) -> RegionView {
    RegionView {
        code: r.code,
        name: r.name,
        level: *r.level,
        parent_code: r.parent_code,
    }
}

pub fn account(a: &account::Model) -> AccountView {
    AccountView {
        id: a.id,
        login: a.login.clone(),
        display_name: a.display_name.clone(),
        created_at: a.created_at,
    }
}

/// `full_contact`: the caller manages the organisation and sees the contact phone; `roles`:
/// who the caller is to it, for its `allowed_actions`.
pub fn organization(
    store: &Store,
    o: organization::Model,
    region_name: String,
    full_contact: bool,
    admins: Option<Vec<OrganizationAdminView>>,
    roles: OrganizationRoles,
) -> Result<OrganizationView, ApiError> {
    let allowed_actions = organization_allowed_actions(*o.status, roles);
    let members = o.approved_members.max(0) as u64;
    let contact_phone = if full_contact {
        store.decrypt(&o.contact_phone_enc)?
    } else {
        o.contact_phone_masked.clone()
    };
    let minimum = o.level.minimum_members();
    Ok(OrganizationView {
        id: o.id,
        name: o.name,
        category: *o.category,
        level: *o.level,
        parent_id: o.parent_id,
        region_code: o.region_code,
        region_name,
        credit_code: o.credit_code,
        contact_name: o.contact_name,
        contact_phone,
        address: o.address,
        description: o.description,
        status: *o.status,
        rejection_reason: o.rejection_reason,
        allowed_actions,
        approved_members: members,
        admin_seat_cap: admin_seat_cap(members),
        admin_count: o.admin_count.max(0) as u64,
        meets_minimum_size: minimum.map(|m| members >= m),
        admins,
        priority_area: o.priority_area.map(|a| *a),
        created_at: o.created_at,
        updated_at: o.updated_at,
        version: o.version,
    })
}

pub fn admin(
    seat: &zhihui_persistence::entities::organization_admin::Model,
    a: &account::Model,
) -> OrganizationAdminView {
    OrganizationAdminView {
        account_id: a.id,
        display_name: a.display_name.clone(),
        granted_at: seat.granted_at,
    }
}

/// `roles`: who the caller is to the membership, for its `allowed_actions`.
pub fn membership(
    m: membership::Model,
    organization_name: String,
    roles: MembershipRoles,
) -> MembershipView {
    let allowed_actions = membership_allowed_actions(*m.status, roles);
    MembershipView {
        id: m.id,
        organization_id: m.organization_id,
        organization_name,
        volunteer_id: m.volunteer_id,
        status: *m.status,
        reason: m.reason,
        requested_at: m.requested_at,
        decided_at: m.decided_at,
        allowed_actions,
    }
}

/// A JSON array column; a value the current contract does not know is left out.
fn list<T: serde::de::DeserializeOwned>(json: &str) -> Vec<T> {
    serde_json::from_str(json).unwrap_or_default()
}

/// Masked view for admins.
pub fn volunteer(v: volunteer::Model) -> VolunteerView {
    VolunteerView {
        id: v.id,
        volunteer_number: v.volunteer_number,
        name: v.name,
        id_number_masked: v.id_number_masked,
        gender: *v.gender,
        birth_date: v.birth_date,
        phone_masked: v.phone_masked,
        region_code: v.region_code,
        skills: list(&v.skills),
        service_categories: list(&v.service_categories),
        three_heads_role: v.three_heads_role.map(|v| v.0),
        created_at: v.created_at,
    }
}

/// The person's own view: ID number and phone decrypted.
pub fn profile(
    store: &Store,
    v: volunteer::Model,
    memberships: Vec<MembershipView>,
) -> Result<VolunteerProfileView, ApiError> {
    Ok(VolunteerProfileView {
        id: v.id,
        volunteer_number: v.volunteer_number,
        name: v.name,
        id_number: store.decrypt(&v.id_number_enc)?,
        id_number_masked: v.id_number_masked,
        gender: *v.gender,
        birth_date: v.birth_date,
        phone: store.decrypt(&v.phone_enc)?,
        region_code: v.region_code,
        skills: list(&v.skills),
        service_categories: list(&v.service_categories),
        three_heads_role: v.three_heads_role.map(|v| v.0),
        guardian: v.guardian_name.map(|name| GuardianView {
            name,
            phone_masked: v.guardian_phone_masked.unwrap_or_default(),
            consent: v.guardian_consent.unwrap_or(false),
        }),
        consent_version: v.consent_version,
        consented_at: v.consented_at,
        memberships,
        created_at: v.created_at,
    })
}
