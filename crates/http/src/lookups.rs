//! Reads the handlers share: an organisation the caller may see, a region code that
//! exists, the caller's volunteer profile, the parties of letters and applications.

use std::collections::HashMap;

use uuid::Uuid;
use zhihui_contract::pairing::PartyView;
use zhihui_domain::{ProblemCode, RegionCode};
use zhihui_persistence::entities::organization;

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::policy;
use crate::state::AppState;
use crate::validation::Problems;

pub async fn load_visible(
    state: &AppState,
    who: Option<&Authenticated>,
    id: Uuid,
) -> Result<organization::Model, ApiError> {
    let org = state
        .store
        .get_organization(id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    if !policy::visible(who, &org) {
        return Err(ApiError::NotFound(ProblemCode::OrganizationNotFound));
    }
    Ok(org)
}

/// Checks a region code's shape and that it exists in the stored list.
pub async fn check_region(
    state: &AppState,
    p: &mut Problems,
    field: &str,
    raw: &str,
) -> Result<Option<RegionCode>, ApiError> {
    let Some(code) = p.parse(field, RegionCode::parse(raw)) else {
        return Ok(None);
    };
    if !state.store.region_exists(code.as_str()).await? {
        p.push(
            field,
            ProblemCode::RegionNotFound,
            "no such region in the GB/T 2260 list",
        );
        return Ok(None);
    }
    Ok(Some(code))
}

/// The caller's volunteer profile, or a 409 telling them to register first.
pub async fn my_volunteer(
    state: &AppState,
    who: &Authenticated,
) -> Result<zhihui_persistence::entities::volunteer::Model, ApiError> {
    state
        .store
        .volunteer_by_account(who.account_id)
        .await?
        .ok_or_else(not_registered)
}

/// The answer to a volunteer's action from an account without a volunteer profile.
pub fn not_registered() -> ApiError {
    ApiError::Conflict {
        code: ProblemCode::VolunteerNotRegistered,
        message: "register your real-name volunteer profile first".into(),
    }
}

/// Party views of organisations, with region names, fetched once per page.
pub async fn parties(
    state: &AppState,
    orgs: &[organization::Model],
) -> Result<HashMap<Uuid, PartyView>, ApiError> {
    let codes: Vec<String> = orgs.iter().map(|o| o.region_code.clone()).collect();
    let names = state.store.region_names(&codes).await?;
    Ok(orgs
        .iter()
        .map(|o| {
            (
                o.id,
                PartyView {
                    id: o.id,
                    name: o.name.clone(),
                    category: *o.category,
                    level: *o.level,
                    region_code: o.region_code.clone(),
                    region_name: names.get(&o.region_code).cloned().unwrap_or_default(),
                },
            )
        })
        .collect())
}

/// The party `id` from a map built by [`parties`]. Organisations are never deleted, so a
/// missing one is a fault of the caller's query, answered 500 rather than with a party
/// made up of empty or invented values.
pub fn party_of(map: &HashMap<Uuid, PartyView>, id: Uuid) -> Result<PartyView, ApiError> {
    map.get(&id)
        .cloned()
        .ok_or_else(|| ApiError::Internal(format!("organisation {id} missing from its page")))
}

/// Whether `who` administers an organisation above `org` (one read of its ancestors, none
/// for a caller who administers nothing).
pub async fn administers_above(
    state: &AppState,
    who: &Authenticated,
    org: &organization::Model,
) -> Result<bool, ApiError> {
    if who.admin_of.is_empty() {
        return Ok(false);
    }
    Ok(state
        .store
        .ancestors(org)
        .await?
        .iter()
        .any(|a| who.administers(*a)))
}
