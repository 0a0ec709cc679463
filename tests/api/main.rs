//! API tests: the running service over a fresh database per test, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod helpers;

mod accounts;
mod activities;
mod applications;
mod campaigns;
mod certificates;
mod errors;
mod hub;
mod idempotency;
mod imports;
mod integrations;
mod needs;
mod notifications;
mod openapi;
mod organizations;
mod pairing;
mod ratelimit;
mod reports;
mod security;
mod seed;
mod volunteers;
mod webhooks;
