//! sea-orm entities: the shape of the tables. They never leave this crate's repositories.

pub mod account;
pub mod activity;
pub mod activity_leader;
pub mod application;
pub mod application_event;
pub mod attachment;
pub mod attendance_change;
pub mod call;
pub mod certificate;
pub mod counter;
pub mod login_throttle;
pub mod membership;
pub mod organization;
pub mod organization_admin;
pub mod pairing;
pub mod pairing_letter;
pub mod pairing_letter_event;
pub mod refresh_token;
pub mod region;
pub mod review;
pub mod reviewer_assignment;
pub mod service_record;
pub mod service_record_change;
pub mod sign_up;
pub mod volunteer;
pub mod volunteer_import;
