pub mod accounts;
pub mod imports;
pub mod ops;
pub mod organizations;
pub mod regions;
pub mod volunteers;

use uuid::Uuid;

use crate::error::ApiError;

/// Reads an opaque cursor (the last id of the previous page).
pub(crate) fn uuid_cursor(cursor: &Option<String>) -> Result<Option<Uuid>, ApiError> {
    match cursor {
        None => Ok(None),
        Some(c) => Uuid::parse_str(c).map(Some).map_err(|_| {
            ApiError::field(
                "cursor",
                "invalid_cursor",
                "use the next_cursor of the previous page",
            )
        }),
    }
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
