//! An API client as its organisation's admins see it (never its key).

use zhihui_contract::integrations::ApiClientView;
use zhihui_domain::integration::ApiClientStatus;
use zhihui_persistence::entities::api_client;

pub fn view(c: api_client::Model) -> ApiClientView {
    ApiClientView {
        id: c.id,
        organization_id: c.organization_id,
        name: c.name,
        key_prefix: c.key_prefix,
        scopes: serde_json::from_str(&c.scopes).unwrap_or_default(),
        status: ApiClientStatus::of(c.revoked_at.is_some()),
        created_at: c.created_at,
        rotated_at: c.rotated_at,
        revoked_at: c.revoked_at,
        last_used_at: c.last_used_at,
        last_used_from: c.last_used_from,
    }
}
