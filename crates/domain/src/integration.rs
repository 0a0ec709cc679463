//! API clients' scopes: read-only or read-write per resource family.

use crate::organization::string_enum;

string_enum! {
    /// The resource families an API client may be granted.
    ScopeFamily {
        Organizations => "organizations",
        Volunteers => "volunteers",
        Activities => "activities",
        Records => "records",
        Letters => "letters",
        Applications => "applications",
        Reports => "reports",
    }
}

/// A scope: a family and whether it may write (write includes read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub family: ScopeFamily,
    pub write: bool,
}

impl Scope {
    /// `activities:read`, `activities:write`…
    pub fn parse(s: &str) -> Option<Self> {
        let (f, access) = s.split_once(':')?;
        let family = ScopeFamily::parse(f)?;
        let write = match access {
            "read" => false,
            "write" => true,
            _ => return None,
        };
        Some(Self { family, write })
    }
}

/// Whether granted scopes allow reading (or writing) a family.
pub fn allows(granted: &[Scope], family: ScopeFamily, write: bool) -> bool {
    granted
        .iter()
        .any(|s| s.family == family && (s.write || !write))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_and_allow() {
        assert!(Scope::parse("activities:admin").is_none());
        assert!(Scope::parse("accounts:read").is_none());
        let g = [
            Scope::parse("activities:write").unwrap_or(Scope {
                family: ScopeFamily::Reports,
                write: false,
            }),
            Scope::parse("reports:read").unwrap_or(Scope {
                family: ScopeFamily::Activities,
                write: true,
            }),
        ];
        assert!(allows(&g, ScopeFamily::Activities, true));
        assert!(allows(&g, ScopeFamily::Activities, false));
        assert!(allows(&g, ScopeFamily::Reports, false));
        assert!(!allows(&g, ScopeFamily::Reports, true));
        assert!(!allows(&g, ScopeFamily::Volunteers, false));
    }
}
