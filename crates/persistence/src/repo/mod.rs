pub mod accounts;
pub mod activities;
pub mod api_clients;
pub mod applications;
pub mod idempotency;
pub mod imports;
pub mod organizations;
pub mod pairing;
pub mod records;
pub mod regions;
pub mod reports;
pub mod volunteers;
pub mod webhooks;

/// Who acts, as a history (letters, applications, reports) records them: the account and
/// its display name at the time.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: uuid::Uuid,
    pub name: String,
}
