//! Service hours: rounding per session (rule 21) and star levels (rule 24).

/// Rounding thresholds in minutes (configurable; defaults from rule 21).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundingRule {
    /// Below this, a session counts nothing.
    pub zero_below_minutes: u32,
    /// Up to and including this, a session counts half an hour.
    pub half_up_to_minutes: u32,
}

impl Default for RoundingRule {
    fn default() -> Self {
        Self {
            zero_below_minutes: 15,
            half_up_to_minutes: 45,
        }
    }
}

impl RoundingRule {
    /// Rounds a session's minutes to counted tenths of an hour:
    /// whole hours stay; the remainder under 15 min counts 0, 15-45 min 0.5 h, over 45 min 1 h.
    pub fn counted_tenths(&self, minutes: u32) -> u32 {
        let whole = minutes / 60;
        let rest = minutes % 60;
        let extra = if rest < self.zero_below_minutes {
            0
        } else if rest <= self.half_up_to_minutes {
            5
        } else {
            10
        };
        whole * 10 + extra
    }
}

/// Star level (1-5) for confirmed cumulative hours: 100, 300, 600, 1000, 1500 h.
pub fn star_level(confirmed_hours: f64) -> u8 {
    const THRESHOLDS: [f64; 5] = [100.0, 300.0, 600.0, 1000.0, 1500.0];
    THRESHOLDS.iter().filter(|t| confirmed_hours >= **t).count() as u8
}

crate::organization::string_enum! {
    /// Whether a service certificate (志愿服务记录证明) stands.
    CertificateStatus {
        Valid => "valid",
        Revoked => "revoked",
    }
}

crate::organization::string_enum! {
    /// What can be done to a certificate (志愿服务记录证明).
    CertificateAction {
        /// Revoke it with a reason (the issuing organisation's admins).
        Revoke => "revoke",
    }
}

/// The status a certificate moves to under `action`, or why it cannot: revocation is once.
pub fn certificate_transition(
    from: CertificateStatus,
    action: CertificateAction,
) -> Result<CertificateStatus, crate::error::TransitionError> {
    match (from, action) {
        (CertificateStatus::Valid, CertificateAction::Revoke) => Ok(CertificateStatus::Revoked),
        (CertificateStatus::Revoked, CertificateAction::Revoke) => {
            Err(crate::error::TransitionError::new(
                crate::ProblemCode::CertificateRevoked,
                "the certificate is already revoked",
            ))
        }
    }
}

/// What the caller may do to a certificate now (`issuer_admin`: an admin of the issuer).
pub fn certificate_allowed_actions(
    status: CertificateStatus,
    issuer_admin: bool,
) -> Vec<CertificateAction> {
    CertificateAction::ALL
        .iter()
        .copied()
        .filter(|_| issuer_admin)
        .filter(|a| certificate_transition(status, *a).is_ok())
        .collect()
}

impl CertificateStatus {
    /// A certificate is valid until it is revoked.
    pub fn of(revoked: bool) -> Self {
        if revoked {
            CertificateStatus::Revoked
        } else {
            CertificateStatus::Valid
        }
    }
}

crate::organization::string_enum! {
    /// What confirming one participant's hours did to their service record.
    RecordOutcome {
        /// A new record.
        Created => "created",
        /// The hours of an existing record changed (with a reason).
        Corrected => "corrected",
        /// The same hours again: nothing changed.
        Unchanged => "unchanged",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding() {
        let r = RoundingRule::default();
        assert_eq!(r.counted_tenths(14), 0);
        assert_eq!(r.counted_tenths(15), 5);
        assert_eq!(r.counted_tenths(45), 5);
        assert_eq!(r.counted_tenths(46), 10);
        assert_eq!(r.counted_tenths(134), 20);
        assert_eq!(r.counted_tenths(135), 25);
    }

    #[test]
    fn stars() {
        assert_eq!(star_level(99.5), 0);
        assert_eq!(star_level(100.0), 1);
        assert_eq!(star_level(1499.0), 4);
        assert_eq!(star_level(1500.0), 5);
    }
}

#[cfg(test)]
mod certificate_state_tests {
    use super::*;

    #[test]
    fn a_certificate_is_revoked_once_by_its_issuer() {
        use CertificateStatus as S;
        let r = CertificateAction::Revoke;
        assert_eq!(certificate_transition(S::Valid, r), Ok(S::Revoked));
        assert_eq!(
            certificate_transition(S::Revoked, r).err().map(|e| e.code),
            Some(crate::ProblemCode::CertificateRevoked)
        );
        assert_eq!(certificate_allowed_actions(S::Valid, true), vec![r]);
        assert!(certificate_allowed_actions(S::Valid, false).is_empty());
        assert!(certificate_allowed_actions(S::Revoked, true).is_empty());
    }
}
