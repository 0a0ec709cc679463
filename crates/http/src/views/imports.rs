//! A volunteer import as its organisation's admins see it.

use std::collections::HashSet;

use zhihui_contract::volunteers::{ImportRowError, VolunteerImportView};
use zhihui_persistence::entities::volunteer_import;

pub fn view(m: volunteer_import::Model) -> VolunteerImportView {
    let errors: Vec<ImportRowError> = serde_json::from_str(&m.errors).unwrap_or_default();
    let rows_reported: HashSet<u32> = errors.iter().map(|e| e.row).collect();
    let failed = m.failed_count.max(0) as u32;
    VolunteerImportView {
        errors_truncated: (rows_reported.len() as u32) < failed,
        id: m.id,
        organization_id: m.organization_id,
        file_name: m.file_name,
        file_sha256: m.file_sha256,
        format: *m.format,
        status: m.status,
        total_rows: m.total_rows.max(0) as u32,
        created: m.created_count.max(0) as u32,
        already_members: m.existing_count.max(0) as u32,
        failed,
        errors,
        created_at: m.created_at,
    }
}
