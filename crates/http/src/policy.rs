//! Who may do what, shared by the handlers: the organisation rules (who manages, sees,
//! decides, edits) and who may see a volunteer. A rule about one document's state lives in
//! the domain crate; these are rules about the caller's place in the organisation tree.

use uuid::Uuid;
use zhihui_domain::OrganizationStatus;
use zhihui_persistence::entities::organization;

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::state::AppState;

/// Own admin, parent's admin or platform admin: sees everything and manages members.
pub fn manages(who: &Authenticated, org: &organization::Model) -> bool {
    who.is_platform_admin
        || who.administers(org.id)
        || org.parent_id.is_some_and(|p| who.administers(p))
}

/// Who may see an organisation at all: approved ones are public.
pub fn visible(who: Option<&Authenticated>, org: &organization::Model) -> bool {
    org.status == OrganizationStatus::Approved || who.is_some_and(|w| manages(w, org))
}

/// Approval belongs to the parent's admin, or a platform admin (always for top-level ones).
pub fn decides(who: &Authenticated, org: &organization::Model) -> bool {
    who.is_platform_admin || org.parent_id.is_some_and(|p| who.administers(p))
}

/// Own admin or platform admin edits the record.
pub fn edits(who: &Authenticated, org: &organization::Model) -> bool {
    who.is_platform_admin || who.administers(org.id)
}

/// Who may see a volunteer and their figures: the person, a platform admin, or an admin
/// managing a team the volunteer belongs or asked to belong to (and its parent's admins).
pub async fn sees_volunteer(
    state: &AppState,
    who: &Authenticated,
    v: &zhihui_persistence::entities::volunteer::Model,
) -> Result<bool, ApiError> {
    sees_volunteer_by_id(state, who, v.id, v.account_id).await
}

/// [`sees_volunteer`] for a volunteer known by id and account.
pub async fn sees_volunteer_by_id(
    state: &AppState,
    who: &Authenticated,
    volunteer_id: Uuid,
    account_id: Option<Uuid>,
) -> Result<bool, ApiError> {
    if who.is_platform_admin || account_id == Some(who.account_id) {
        return Ok(true);
    }
    let orgs = state.store.organizations_of_volunteer(volunteer_id).await?;
    Ok(state
        .store
        .organizations_by_ids(&orgs)
        .await?
        .iter()
        .any(|o| manages(who, o)))
}
