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

string_enum! {
    /// What a webhook endpoint can subscribe to. Each is written to the outbox in the same
    /// transaction as the change it announces.
    EventType {
        /// 申请加入团队
        MembershipRequested => "membership.requested",
        /// 加入团队获批
        MembershipApproved => "membership.approved",
        /// 批量导入志愿者
        VolunteerImported => "volunteer.imported",
        /// 活动发布
        ActivityPublished => "activity.published",
        /// 活动取消
        ActivityCancelled => "activity.cancelled",
        /// 服务时长确认
        HoursConfirmed => "hours.confirmed",
        /// 服务证明开具
        CertificateIssued => "certificate.issued",
        /// 结对函发出
        PairingLetterSent => "pairing_letter.sent",
        /// 结对函接受
        PairingLetterAccepted => "pairing_letter.accepted",
        /// 结对函拒绝
        PairingLetterDeclined => "pairing_letter.declined",
        /// 结对函逾期未复
        PairingLetterExpired => "pairing_letter.expired",
        /// 项目申报提交
        ApplicationSubmitted => "application.submitted",
        /// 省级科协推荐
        ApplicationEndorsed => "application.endorsed",
        /// 评审决定（立项、不立项、退回修改）
        ApplicationDecided => "application.decided",
        /// 月报提交
        MonthlyReportSubmitted => "monthly_report.submitted",
        /// 月报退回
        MonthlyReportReturned => "monthly_report.returned",
        /// 月报通过
        MonthlyReportAccepted => "monthly_report.accepted",
        /// A test delivery asked for by the endpoint's admin.
        Ping => "webhook.ping",
    }
}

/// How long a delivery is retried after its first attempt.
pub const RETRY_FOR_HOURS: i64 = 24;
/// The longest wait between two attempts.
pub const MAX_RETRY_GAP_SECS: i64 = 4 * 3600;

/// When to try a failed delivery again, after `attempts_made` attempts (the first failed
/// attempt waits `base_secs`, each later one twice as long, capped at four hours); `None`
/// once the next attempt would fall more than a day after `first_attempt_at`.
pub fn next_attempt_at(
    attempts_made: u32,
    first_attempt_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    base_secs: i64,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let exp = attempts_made.saturating_sub(1).min(30);
    let gap = base_secs
        .max(1)
        .saturating_mul(1i64 << exp)
        .min(MAX_RETRY_GAP_SECS);
    let at = now + chrono::Duration::seconds(gap);
    (at <= first_attempt_at + chrono::Duration::hours(RETRY_FOR_HOURS)).then_some(at)
}

/// The signature header of a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
/// A receiver recomputes it with its secret, compares in constant time, and refuses
/// timestamps more than five minutes away from its own clock.
pub fn signature_header(secret: &str, timestamp: i64, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// Why a webhook address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlProblem {
    /// Not `https://host…` (or `http://` where insecure addresses are allowed).
    NotHttps,
    /// Longer than 2,000 characters, with spaces or without a host.
    Malformed,
    /// `localhost`, a loopback, private, link-local or unspecified address: the service
    /// does not call into its own network.
    PrivateHost,
}

/// Checks a webhook endpoint's address. `allow_insecure` (development and tests) also takes
/// `http://` and hosts on the local network.
pub fn check_webhook_url(url: &str, allow_insecure: bool) -> Result<(), UrlProblem> {
    if url.len() > 2000 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlProblem::Malformed);
    }
    let rest = if let Some(r) = url.strip_prefix("https://") {
        r
    } else if let Some(r) = url.strip_prefix("http://").filter(|_| allow_insecure) {
        r
    } else {
        return Err(UrlProblem::NotHttps);
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(UrlProblem::Malformed);
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err(UrlProblem::Malformed);
    }
    if allow_insecure {
        return Ok(());
    }
    let lower = host.to_ascii_lowercase();
    if lower == "localhost" || lower.ends_with(".localhost") || lower.ends_with(".local") {
        return Err(UrlProblem::PrivateHost);
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip))
            if ip.is_loopback()
                || ip.is_private()
                || ip.is_link_local()
                || ip.is_unspecified()
                || ip.is_broadcast() =>
        {
            Err(UrlProblem::PrivateHost)
        }
        Ok(std::net::IpAddr::V6(ip))
            if ip.is_loopback()
                || ip.is_unspecified()
                || (ip.segments()[0] & 0xfe00) == 0xfc00
                || (ip.segments()[0] & 0xffc0) == 0xfe80 =>
        {
            Err(UrlProblem::PrivateHost)
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_round_trip() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(*t));
        }
        assert_eq!(EventType::parse("activity.deleted"), None);
    }

    #[test]
    fn retries_double_and_stop_after_a_day() {
        use chrono::{Duration, TimeZone, Utc};
        let first = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        assert_eq!(
            next_attempt_at(1, first, first, 30),
            Some(first + Duration::seconds(30))
        );
        let later = first + Duration::minutes(10);
        assert_eq!(
            next_attempt_at(3, first, later, 30),
            Some(later + Duration::seconds(120))
        );
        // Capped at four hours.
        assert_eq!(
            next_attempt_at(20, first, later, 30),
            Some(later + Duration::hours(4))
        );
        // Never beyond a day after the first attempt.
        let late = first + Duration::hours(21);
        assert_eq!(next_attempt_at(14, first, late, 30), None);
        // Every schedule ends within a day: count the attempts.
        let (mut now, mut n) = (first, 1);
        while let Some(at) = next_attempt_at(n, first, now, 30) {
            now = at;
            n += 1;
        }
        assert!(now <= first + Duration::hours(24));
        assert!((10..=20).contains(&n), "{n} attempts");
    }

    #[test]
    fn signatures_cover_timestamp_and_body() {
        // Reference value computed independently:
        // printf '1780000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        let h = signature_header("whsec_test", 1_780_000_000, br#"{"a":1}"#);
        assert_eq!(
            h,
            "t=1780000000,v1=700c60b8f205399083ecf27f87a596a7e0e9e3e24df342efa14010dbfa48faae"
        );
        assert_ne!(
            h,
            signature_header("whsec_test", 1_780_000_001, br#"{"a":1}"#)
        );
        assert_ne!(
            h,
            signature_header("whsec_test", 1_780_000_000, br#"{"a":2}"#)
        );
        assert_ne!(
            h,
            signature_header("whsec_other", 1_780_000_000, br#"{"a":1}"#)
        );
    }

    #[test]
    fn webhook_addresses_are_https_and_public() {
        assert_eq!(
            check_webhook_url("https://hooks.example.cn/zhihui", false),
            Ok(())
        );
        assert_eq!(check_webhook_url("https://1.2.3.4:8443/x", false), Ok(()));
        assert_eq!(
            check_webhook_url("http://hooks.example.cn/", false),
            Err(UrlProblem::NotHttps)
        );
        assert_eq!(
            check_webhook_url("ftp://x", true),
            Err(UrlProblem::NotHttps)
        );
        for private in [
            "https://localhost/x",
            "https://127.0.0.1/x",
            "https://10.1.2.3/",
            "https://192.168.1.1:443/",
            "https://169.254.169.254/latest",
            "https://[::1]/x",
            "https://[fd00::1]/x",
        ] {
            assert_eq!(
                check_webhook_url(private, false),
                Err(UrlProblem::PrivateHost),
                "{private}"
            );
        }
        assert_eq!(check_webhook_url("http://127.0.0.1:9000/x", true), Ok(()));
        assert_eq!(
            check_webhook_url("https://user@evil.example/", false),
            Err(UrlProblem::Malformed)
        );
        assert_eq!(
            check_webhook_url("https:///x", false),
            Err(UrlProblem::Malformed)
        );
        assert_eq!(
            check_webhook_url("https://a b/", false),
            Err(UrlProblem::Malformed)
        );
    }

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
