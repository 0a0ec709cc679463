pub mod accounts;
pub mod activities;
pub mod imports;
pub mod organizations;
pub mod pairing;
pub mod records;
pub mod regions;
pub mod volunteers;
