//! HTTP layer of Zhihui (智惠): actix-web handlers grouped by resource, authentication,
//! problem responses, the OpenAPI document and Swagger UI. Handlers hold no SQL: they
//! parse into domain types, check permissions in one place per resource, and call the
//! repositories of `zhihui-persistence`.

pub mod auth;
pub mod cache;
pub mod client_address;
pub mod clock;
mod codes;
pub mod dashboard;
mod documents;
pub mod error;
pub mod export;
mod handlers;
pub mod idempotency;
mod lookups;
pub mod middleware;
pub mod notifier;
pub mod openapi;
pub mod oracles;
pub mod pdf;
mod policy;
pub mod ratelimit;
pub mod startup;
pub mod state;
pub mod tabular;
pub mod text_guard;
mod validation;
mod views;
pub mod webhooks;

pub use clock::{Clock, ManualClock, SystemClock};
pub use startup::{build_server, openapi_document};
pub use state::{
    ApiSettings, AppState, ImportLimits, NotificationSettings, SmsSettings, SmtpSecurity,
    SmtpSettings, WebhookSettings,
};
