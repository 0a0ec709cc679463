pub mod accounts;
pub mod organizations;
pub mod regions;
pub mod volunteers;
