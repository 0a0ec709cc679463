pub mod accounts;
pub mod activities;
pub mod imports;
pub mod ops;
pub mod organizations;
pub mod records;
pub mod regions;
pub mod volunteers;

use uuid::Uuid;

use crate::validation::Problems;

/// Reads an opaque cursor (the last id of the previous page), recording a bad one.
pub(crate) fn uuid_cursor(p: &mut Problems, cursor: &Option<String>) -> Option<Uuid> {
    let c = cursor.as_ref()?;
    let parsed = Uuid::parse_str(c).ok();
    if parsed.is_none() {
        p.push(
            "cursor",
            "invalid_cursor",
            "use the next_cursor of the previous page",
        );
    }
    parsed
}

/// The next cursor: present only when the page is full.
pub(crate) fn next_cursor<T>(
    items: &[T],
    limit: u64,
    key: impl Fn(&T) -> String,
) -> Option<String> {
    if items.len() as u64 == limit {
        items.last().map(key)
    } else {
        None
    }
}
