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
        /// Needs and their matching (科普需求对接).
        Needs => "needs",
        /// Service points, exhibitions and their stays (科普服务汇中心).
        Hub => "hub",
        /// Collection campaigns and their entries (征集).
        Campaigns => "campaigns",
    }
}

string_enum! {
    /// Whether an API client's key is accepted.
    ApiClientStatus {
        Active => "active",
        Revoked => "revoked",
    }
}

impl ApiClientStatus {
    /// A client is active until it is revoked.
    pub fn of(revoked: bool) -> Self {
        if revoked {
            ApiClientStatus::Revoked
        } else {
            ApiClientStatus::Active
        }
    }
}

string_enum! {
    /// Where a webhook delivery stands.
    DeliveryStatus {
        /// Not yet delivered; retried until a day has passed.
        Pending => "pending",
        Delivered => "delivered",
        /// Given up after a day of failed attempts.
        Failed => "failed",
    }
}

/// Every scope an API client may be granted, as written: `<family>:read`, `<family>:write`.
pub fn all_scopes() -> impl Iterator<Item = String> {
    ScopeFamily::ALL
        .iter()
        .flat_map(|f| ["read", "write"].map(move |a| format!("{}:{a}", f.as_str())))
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
        /// 加入团队申请未通过
        MembershipRejected => "membership.rejected",
        /// 组织注册审核通过
        OrganizationApproved => "organization.approved",
        /// 组织注册未通过（附理由）
        OrganizationRejected => "organization.rejected",
        /// 批量导入志愿者
        VolunteerImported => "volunteer.imported",
        /// 活动发布
        ActivityPublished => "activity.published",
        /// 活动取消
        ActivityCancelled => "activity.cancelled",
        /// 已发布活动的时间或地点变更
        ActivityRescheduled => "activity.rescheduled",
        /// 报名成功（获得名额）
        SignUpConfirmed => "sign_up.confirmed",
        /// 候补递补（从候补名单转为正式参加）
        SignUpPromoted => "sign_up.promoted",
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
        /// 需求发布（点单）
        NeedPublished => "need.published",
        /// 需求派单
        NeedDispatched => "need.dispatched",
        /// 队伍接受派单
        NeedDispatchAccepted => "need.dispatch_accepted",
        /// 队伍拒绝派单
        NeedDispatchDeclined => "need.dispatch_declined",
        /// 队伍接单
        NeedClaimed => "need.claimed",
        /// 需求排期（活动已建立）
        NeedScheduled => "need.scheduled",
        /// 需求服务完成
        NeedServed => "need.served",
        /// 需求评价（评单）
        NeedRated => "need.rated",
        /// 需求取消
        NeedCancelled => "need.cancelled",
        /// 需求逾期未满足（期望时间已过而未排期）
        NeedExpired => "need.expired",
        /// 展览排期（展览安排到服务点）
        ExhibitionStayScheduled => "exhibition_stay.scheduled",
        /// 展期取消
        ExhibitionStayCancelled => "exhibition_stay.cancelled",
        /// 展期参观情况登记
        ExhibitionVisitsRecorded => "exhibition_stay.visits_recorded",
        /// 征集发布（发给征集对象和发起单位）
        CampaignOpened => "campaign.opened",
        /// 征集结束
        CampaignClosed => "campaign.closed",
        /// 征集催报（发给尚未完成填报的单位）
        CampaignReminder => "campaign.reminder",
        /// 确认填报完成
        CampaignSubmissionCompleted => "campaign.submission_completed",
        /// 发起单位重新开放某单位的填报
        CampaignSubmissionReopened => "campaign.submission_reopened",
        /// 征集条目被采纳（已生成活动草稿）
        CampaignEntryAccepted => "campaign_entry.accepted",
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
    /// `localhost`, a single-label name, or an address that is not public (see
    /// [`is_public_address`]): the service does not call into its own network.
    PrivateHost,
}

/// Whether an address is on the public internet. Refused: loopback, private (RFC 1918),
/// CGNAT (100.64/10), link-local, unspecified (`0.0.0.0/8`, `::`), broadcast, multicast,
/// documentation, benchmarking and reserved blocks, IPv6 unique-local and site-local, and
/// every IPv6 form that carries an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo)
/// when the IPv4 address it carries is itself not public.
pub fn is_public_address(ip: std::net::IpAddr) -> bool {
    use std::net::{IpAddr, Ipv4Addr};
    fn v4(ip: Ipv4Addr) -> bool {
        let [a, b, c, _] = ip.octets();
        !(a == 0
            || a == 10
            || a == 127
            || (a == 100 && (64..128).contains(&b))
            || (a == 169 && b == 254)
            || (a == 172 && (16..32).contains(&b))
            || (a == 192 && b == 168)
            || (a == 192 && b == 0 && (c == 0 || c == 2))
            || (a == 192 && b == 88 && c == 99)
            || (a == 198 && (b == 18 || b == 19))
            || (a == 198 && b == 51 && c == 100)
            || (a == 203 && b == 0 && c == 113)
            || a >= 224)
    }
    match ip {
        IpAddr::V4(ip) => v4(ip),
        IpAddr::V6(ip) => {
            let s = ip.segments();
            let embedded = |hi: u16, lo: u16| {
                Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8)
            };
            if let Some(mapped) = ip.to_ipv4_mapped() {
                return v4(mapped);
            }
            if s[..6].iter().all(|x| *x == 0) {
                // `::`, `::1` and the deprecated IPv4-compatible `::a.b.c.d`.
                return ip.segments()[6] != 0 && v4(embedded(s[6], s[7]));
            }
            if s[0] == 0x64 && s[1] == 0xff9b {
                return v4(embedded(s[6], s[7]));
            }
            if s[0] == 0x2002 {
                return v4(embedded(s[1], s[2]));
            }
            let teredo_or_documentation = s[0] == 0x2001 && matches!(s[1], 0 | 0x0db8);
            let unique_local = (s[0] & 0xfe00) == 0xfc00;
            let link_or_site_local = matches!(s[0] & 0xffc0, 0xfe80 | 0xfec0);
            let multicast = (s[0] & 0xff00) == 0xff00;
            !(teredo_or_documentation || unique_local || link_or_site_local || multicast)
        }
    }
}

/// Checks a webhook endpoint's address as a client would read it (the WHATWG URL parser:
/// `https://2130706433/`, `https://0x7f.1/` and `https://[::ffff:127.0.0.1]/` all name
/// 127.0.0.1). `allow_insecure` (development and tests) also takes `http://` and hosts on
/// the local network. A name is checked again on the addresses it resolves to, at every
/// delivery (the sender's resolver); this is the early, clear refusal.
pub fn check_webhook_url(url: &str, allow_insecure: bool) -> Result<(), UrlProblem> {
    if url.len() > 2000 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlProblem::Malformed);
    }
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || allow_insecure && lower.starts_with("http://")) {
        return Err(UrlProblem::NotHttps);
    }
    let parsed = url::Url::parse(url).map_err(|_| UrlProblem::Malformed)?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(UrlProblem::Malformed);
    }
    let host = parsed.host().ok_or(UrlProblem::Malformed)?;
    if allow_insecure {
        return Ok(());
    }
    let public = match host {
        url::Host::Ipv4(ip) => is_public_address(ip.into()),
        url::Host::Ipv6(ip) => is_public_address(ip.into()),
        url::Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            !(name.is_empty()
                || !name.contains('.')
                || name == "localhost"
                || name.ends_with(".localhost")
                || name.ends_with(".local")
                || name.ends_with(".internal")
                || name.ends_with(".home.arpa"))
        }
    };
    if public {
        Ok(())
    } else {
        Err(UrlProblem::PrivateHost)
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
            // Other spellings of loopback and the local network.
            "https://2130706433:18443/a",
            "https://0x7f000001/a",
            "https://0x7f.0.0.1/a",
            "https://0177.0.0.1/a",
            "https://127.1/a",
            "https://0/a",
            "https://0.0.0.0/a",
            "https://[::ffff:127.0.0.1]/a",
            "https://[::ffff:7f00:1]/a",
            "https://[::127.0.0.1]/a",
            "https://[64:ff9b::a00:1]/a",
            "https://[2002:c0a8:101::]/a",
            "https://[fe80::1]/a",
            "https://[::]/a",
            "https://100.64.0.1/a",
            "https://224.0.0.1/a",
            "https://255.255.255.255/a",
            "https://localhost./a",
            "https://LOCALHOST/a",
            "https://db/a",
            "https://metadata.google.internal/a",
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
        // A URL parser reads `https:///x` as the host `x`: a single label, refused.
        assert!(check_webhook_url("https:///x", false).is_err());
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
