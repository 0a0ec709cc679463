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
