pub mod accounts;
pub mod imports;
pub mod organizations;
pub mod regions;
pub mod volunteers;
