//! Notifications and reminders (通知与提醒), rules 63-68: what a person is told, on which
//! channel, when (quiet hours, the daily digest, the reminders due at a time), and the
//! signed links that act without signing in.
//!
//! Everything here is pure: the repository decides *who* from the data and calls these
//! functions to decide *what*, *where* and *when*; the sender renders with [`render`].

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::FieldError;
use crate::organization::string_enum;
use crate::report::{china_date, china_day_start, last_on_time_day, Month};
use crate::ProblemCode;

string_enum! {
    /// A family of notifications: what a person turns on or off per channel.
    NotificationFamily {
        /// 加入团队（申请、审批）
        Membership => "membership",
        /// 活动（报名、候补递补、变更、取消、提醒）
        Activity => "activity",
        /// 服务时长与证明
        Service => "service",
        /// 结对函
        Pairing => "pairing",
        /// 项目申报
        Application => "application",
        /// 月度报告
        Report => "report",
        /// 组织注册审核
        Organization => "organization",
        /// 需求对接
        Need => "need",
        /// 征集
        Campaign => "campaign",
    }
}

impl NotificationFamily {
    /// Notices the platform must deliver in the app whatever the person prefers (rule 66):
    /// formal letters, applications, monthly reports and registration decisions.
    pub fn legally_required(self) -> bool {
        matches!(
            self,
            NotificationFamily::Pairing
                | NotificationFamily::Application
                | NotificationFamily::Report
                | NotificationFamily::Organization
        )
    }

    /// Whether any notice of the family is ever sent by SMS.
    pub fn offers_sms(self) -> bool {
        NotificationKind::ALL
            .iter()
            .any(|k| k.family() == self && k.offers_sms())
    }
}

string_enum! {
    /// A channel a notification reaches a person on.
    Channel {
        /// 站内信 (always kept; shown unless turned off)
        InApp => "in_app",
        /// 电子邮件
        Email => "email",
        /// 短信
        Sms => "sms",
    }
}

string_enum! {
    /// The language a person reads notices in.
    Language {
        Zh => "zh",
        En => "en",
    }
}

string_enum! {
    /// What a notification says happened or is due.
    NotificationKind {
        /// 收到加入团队申请（团队管理员）
        MembershipRequested => "membership.requested",
        /// 加入团队申请获批（志愿者）
        MembershipApproved => "membership.approved",
        /// 加入团队申请未通过（志愿者，附理由）
        MembershipRejected => "membership.rejected",
        /// 报名成功
        SignUpConfirmed => "sign_up.confirmed",
        /// 候补递补成功
        SignUpPromoted => "sign_up.promoted",
        /// 活动取消
        ActivityCancelled => "activity.cancelled",
        /// 活动时间或地点变更
        ActivityRescheduled => "activity.rescheduled",
        /// 活动前一天：确认参加或退出
        ActivityDayBefore => "activity.day_before",
        /// 活动开始前两小时：地点与签到
        ActivityStartsSoon => "activity.starts_soon",
        /// 服务时长已确认
        HoursConfirmed => "hours.confirmed",
        /// 服务证明已开具
        CertificateIssued => "certificate.issued",
        /// 收到结对函
        LetterReceived => "pairing_letter.received",
        /// 结对函已答复
        LetterAnswered => "pairing_letter.answered",
        /// 结对函逾期未复
        LetterExpired => "pairing_letter.expired",
        /// 申报书状态变化
        ApplicationChanged => "application.changed",
        /// 有申报书等待推荐（省级科协）
        EndorsementWaiting => "application.endorsement_waiting",
        /// 月报 3 天后截止
        ReportDueSoon => "monthly_report.due_soon",
        /// 月报今天截止
        ReportDueToday => "monthly_report.due_today",
        /// 月报逾期未报
        ReportLate => "monthly_report.late",
        /// 月报被退回
        ReportReturned => "monthly_report.returned",
        /// 月报已通过
        ReportAccepted => "monthly_report.accepted",
        /// 需求对接进展
        NeedChanged => "need.changed",
        /// 收到征集
        CampaignOpened => "campaign.opened",
        /// 征集催报
        CampaignReminder => "campaign.reminder",
        /// 组织注册审核通过
        OrganizationApproved => "organization.approved",
        /// 组织注册未通过（附理由）
        OrganizationRejected => "organization.rejected",
    }
}

impl NotificationKind {
    pub fn family(self) -> NotificationFamily {
        use NotificationFamily as F;
        use NotificationKind as K;
        match self {
            K::MembershipRequested | K::MembershipApproved | K::MembershipRejected => F::Membership,
            K::OrganizationApproved | K::OrganizationRejected => F::Organization,
            K::SignUpConfirmed
            | K::SignUpPromoted
            | K::ActivityCancelled
            | K::ActivityRescheduled
            | K::ActivityDayBefore
            | K::ActivityStartsSoon => F::Activity,
            K::HoursConfirmed | K::CertificateIssued => F::Service,
            K::LetterReceived | K::LetterAnswered | K::LetterExpired => F::Pairing,
            K::ApplicationChanged | K::EndorsementWaiting => F::Application,
            K::ReportDueSoon
            | K::ReportDueToday
            | K::ReportLate
            | K::ReportReturned
            | K::ReportAccepted => F::Report,
            K::NeedChanged => F::Need,
            K::CampaignOpened | K::CampaignReminder => F::Campaign,
        }
    }

    /// The notices that warrant an SMS: the day-before confirmation, a place from the
    /// waiting list, a late report.
    pub fn offers_sms(self) -> bool {
        matches!(
            self,
            NotificationKind::ActivityDayBefore
                | NotificationKind::SignUpPromoted
                | NotificationKind::ReportLate
        )
    }
}

string_enum! {
    /// Where one delivery of a notification stands.
    SendStatus {
        /// Waiting for its time (quiet hours, the digest) or for a retry.
        Pending => "pending",
        Sent => "sent",
        /// Given up after a day of failed attempts.
        Failed => "failed",
        /// Not sent: no longer true, turned off, or no address to send to.
        Skipped => "skipped",
    }
}

/// One family's channels in a person's preferences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelChoice {
    pub family: NotificationFamily,
    pub in_app: bool,
    pub email: bool,
    pub sms: bool,
}

/// A person's notification preferences, complete (one choice per family).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    pub families: Vec<ChannelChoice>,
    /// One email a day instead of single emails.
    pub email_digest: bool,
    /// The person's own quiet hours for SMS, China time; the rule's 21:00-08:00 holds
    /// whatever they say.
    pub quiet_from: NaiveTime,
    pub quiet_to: NaiveTime,
    pub language: Language,
}

/// An email address notices go to: one `@`, a dotted domain, at most 100 characters, no
/// spaces or angle brackets (nothing that could add a header or a second recipient).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        let bad = || {
            FieldError::new(
                ProblemCode::InvalidEmail,
                "not an email address (name@example.cn)",
            )
        };
        if s.len() > 100
            || s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c))
        {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        let labels: Vec<&str> = domain.split('.').collect();
        if local.is_empty()
            || domain.contains('@')
            || labels.len() < 2
            || labels
                .iter()
                .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
        {
            return Err(bad());
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Quiet hours for SMS that always hold (rule 66), China time.
pub fn rule_quiet_hours() -> (NaiveTime, NaiveTime) {
    (
        NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default(),
        NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
    )
}

/// The choices a person has before saying anything: every channel on, so nothing that
/// matters is missed; SMS only where the family sends any.
pub fn default_choice(family: NotificationFamily) -> ChannelChoice {
    ChannelChoice {
        family,
        in_app: true,
        email: true,
        sms: family.offers_sms(),
    }
}

impl Default for Preferences {
    fn default() -> Self {
        let (quiet_from, quiet_to) = rule_quiet_hours();
        Preferences {
            families: NotificationFamily::ALL
                .iter()
                .map(|f| default_choice(*f))
                .collect(),
            email_digest: false,
            quiet_from,
            quiet_to,
            language: Language::Zh,
        }
    }
}

impl Preferences {
    pub fn choice(&self, family: NotificationFamily) -> ChannelChoice {
        self.families
            .iter()
            .find(|c| c.family == family)
            .copied()
            .unwrap_or_else(|| default_choice(family))
    }

    /// Whether a notice of `kind` goes to the person on `channel`. In the app, a legally
    /// required notice always shows; SMS only for the kinds that offer it.
    pub fn wants(&self, kind: NotificationKind, channel: Channel) -> bool {
        let c = self.choice(kind.family());
        match channel {
            Channel::InApp => c.in_app || kind.family().legally_required(),
            Channel::Email => c.email,
            Channel::Sms => c.sms && kind.offers_sms(),
        }
    }
}

/// A family's choice as asked for, before the checks.
#[derive(Debug, Clone)]
pub struct ChoiceInput {
    pub family: String,
    pub in_app: Option<bool>,
    pub email: Option<bool>,
    pub sms: Option<bool>,
}

/// Preferences as asked for; `None` keeps what `current` says.
#[derive(Debug, Clone, Default)]
pub struct PreferencesInput {
    pub families: Vec<ChoiceInput>,
    pub email_digest: Option<bool>,
    pub quiet_from: Option<String>,
    pub quiet_to: Option<String>,
    pub language: Option<String>,
}

/// A time of day written `HH:MM`.
pub fn parse_time_of_day(raw: &str) -> Option<NaiveTime> {
    let (h, m) = raw.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// Applies a change to `current`: every field error at once, keyed by its field
/// (`families[i].family`, `families[i].in_app`, `quiet_from`, …); nothing changes when
/// any is wrong.
pub fn check_preferences(
    current: &Preferences,
    input: &PreferencesInput,
) -> Result<Preferences, Vec<(String, FieldError)>> {
    let mut errors = vec![];
    let mut next = current.clone();
    let mut seen = vec![];
    for (i, c) in input.families.iter().enumerate() {
        let Some(family) = NotificationFamily::parse(&c.family) else {
            errors.push((
                format!("families[{i}].family"),
                FieldError::new(
                    ProblemCode::UnknownNotificationFamily,
                    format!("`{}` is not a notification family", c.family),
                ),
            ));
            continue;
        };
        if seen.contains(&family) {
            errors.push((
                format!("families[{i}].family"),
                FieldError::new(ProblemCode::Duplicate, format!("`{family}` is named twice")),
            ));
            continue;
        }
        seen.push(family);
        let mut choice = next.choice(family);
        if let Some(v) = c.in_app {
            if !v && family.legally_required() {
                errors.push((
                    format!("families[{i}].in_app"),
                    FieldError::new(
                        ProblemCode::LegallyRequiredNotice,
                        format!(
                            "`{family}` notices are required by law and always show in the app"
                        ),
                    ),
                ));
            }
            choice.in_app = v;
        }
        if let Some(v) = c.email {
            choice.email = v;
        }
        if let Some(v) = c.sms {
            if v && !family.offers_sms() {
                errors.push((
                    format!("families[{i}].sms"),
                    FieldError::new(
                        ProblemCode::SmsNotOffered,
                        format!("no `{family}` notice is sent by SMS"),
                    ),
                ));
            }
            choice.sms = v;
        }
        if let Some(slot) = next.families.iter_mut().find(|x| x.family == family) {
            *slot = choice;
        } else {
            next.families.push(choice);
        }
    }
    for (field, raw, slot) in [
        ("quiet_from", &input.quiet_from, &mut next.quiet_from),
        ("quiet_to", &input.quiet_to, &mut next.quiet_to),
    ] {
        if let Some(raw) = raw {
            match parse_time_of_day(raw) {
                Some(t) => *slot = t,
                None => errors.push((
                    field.to_string(),
                    FieldError::new(
                        ProblemCode::NotATime,
                        format!("`{raw}` is not a time of day written HH:MM"),
                    ),
                )),
            }
        }
    }
    if let Some(l) = &input.language {
        match Language::parse(l) {
            Some(l) => next.language = l,
            None => errors.push((
                "language".into(),
                FieldError::new(
                    ProblemCode::UnknownLanguage,
                    format!("`{l}` is not zh or en"),
                ),
            )),
        }
    }
    if let Some(d) = input.email_digest {
        next.email_digest = d;
    }
    if errors.is_empty() {
        next.families
            .sort_by_key(|c| NotificationFamily::ALL.iter().position(|f| *f == c.family));
        Ok(next)
    } else {
        Err(errors)
    }
}

fn china_time(t: DateTime<Utc>) -> NaiveTime {
    let local = t + Duration::hours(8);
    NaiveTime::from_hms_opt(local.hour(), local.minute(), 0).unwrap_or_default()
}

fn within(t: NaiveTime, from: NaiveTime, to: NaiveTime) -> bool {
    if from <= to {
        t >= from && t < to
    } else {
        t >= from || t < to
    }
}

/// When an SMS asked for at `now` may go: at once, or when the quiet hours (the rule's
/// and the person's own) end, China time.
pub fn sms_release_at(now: DateTime<Utc>, prefs: &Preferences) -> DateTime<Utc> {
    let (rf, rt) = rule_quiet_hours();
    let mut at = now;
    // At most two hops: out of the rule's hours, then out of the person's (or back).
    for _ in 0..3 {
        let t = china_time(at);
        let end = if within(t, rf, rt) {
            rt
        } else if within(t, prefs.quiet_from, prefs.quiet_to) {
            prefs.quiet_to
        } else {
            return at;
        };
        let mut day = china_date(at);
        if t >= end {
            day = day.succ_opt().unwrap_or(day);
        }
        at = china_day_start(day) + Duration::seconds(i64::from(end.num_seconds_from_midnight()));
    }
    at
}

/// When the daily digest of emails goes out: 18:00 China time, today's or tomorrow's.
pub fn next_digest_at(now: DateTime<Utc>) -> DateTime<Utc> {
    let today = china_day_start(china_date(now)) + Duration::hours(18);
    if now < today {
        today
    } else {
        today + Duration::days(1)
    }
}

/// SMS segments a text takes: 70 characters in one message, 67 each when split.
pub fn sms_segments(text: &str) -> usize {
    let n = text.chars().count();
    if n <= 70 {
        1
    } else {
        n.div_ceil(67)
    }
}

/// The day-before reminder of an activity is due 24 hours before it starts.
pub fn day_before_due(starts_at: DateTime<Utc>) -> DateTime<Utc> {
    starts_at - Duration::hours(24)
}

/// The place-and-check-in reminder is due two hours before the start.
pub fn starts_soon_due(starts_at: DateTime<Utc>) -> DateTime<Utc> {
    starts_at - Duration::hours(2)
}

/// Which activity reminder is due at `now` for an activity starting at `starts_at`, the
/// nearer first: none once it has started. A reminder missed (the service was down) is
/// still sent while it is true; one overtaken by the nearer one is not.
pub fn activity_reminder(now: DateTime<Utc>, starts_at: DateTime<Utc>) -> Option<NotificationKind> {
    if now >= starts_at {
        None
    } else if now >= starts_soon_due(starts_at) {
        Some(NotificationKind::ActivityStartsSoon)
    } else if now >= day_before_due(starts_at) {
        Some(NotificationKind::ActivityDayBefore)
    } else {
        None
    }
}

/// Late reminders stop a week after the deadline: the roll-up shows the rest.
pub const LATE_REMINDER_DAYS: i64 = 7;

/// The monthly-report reminder due on `today` (China date) for `month`, if any (rule 68):
/// due in three days (from three days before the deadline), due today, late (the week
/// after). Missed days are caught up: the reminder is whichever holds today.
pub fn report_reminder(
    month: Month,
    grace_days: u32,
    today: NaiveDate,
) -> Option<NotificationKind> {
    let due = last_on_time_day(month, grace_days);
    let days = (due - today).num_days();
    match days {
        1..=3 => Some(NotificationKind::ReportDueSoon),
        0 => Some(NotificationKind::ReportDueToday),
        d if d < 0 && -d <= LATE_REMINDER_DAYS => Some(NotificationKind::ReportLate),
        _ => None,
    }
}

/// The months whose report may have a reminder due on `today`: last month and this one.
pub fn report_months(today: NaiveDate) -> [Month; 2] {
    let this = Month::of(today);
    let last = Month::of(this.first_day() - Duration::days(1));
    [last, this]
}

string_enum! {
    /// What a signed link does when followed.
    LinkPurpose {
        /// 确认参加（活动前一天）
        Confirm => "confirm",
        /// 退出活动（活动前一天）
        Withdraw => "withdraw",
        /// 退订某类邮件
        Unsubscribe => "unsubscribe",
    }
}

/// What a signed link names: its purpose, the subject (a link's own id for attendance, an
/// account for unsubscribing) and, for unsubscribing, the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkClaim {
    pub purpose: LinkPurpose,
    pub subject: Uuid,
    pub family: Option<NotificationFamily>,
}

fn link_mac(key: &[u8], payload: &str) -> hmac::Hmac<sha2::Sha256> {
    use hmac::Mac;
    let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(b"zhihui-link.");
    mac.update(payload.as_bytes());
    mac
}

/// A link token: `<purpose>.<subject>[.<family>].<hex HMAC-SHA256>`, signed with `key`.
pub fn sign_link(key: &[u8], claim: LinkClaim) -> String {
    use hmac::Mac;
    let mut payload = format!("{}.{}", claim.purpose, claim.subject.simple());
    if let Some(f) = claim.family {
        payload.push('.');
        payload.push_str(f.as_str());
    }
    let tag = hex::encode(link_mac(key, &payload).finalize().into_bytes());
    format!("{payload}.{tag}")
}

/// The claim of a token signed with `key`; `None` for anything else (checked in constant
/// time).
pub fn verify_link(key: &[u8], token: &str) -> Option<LinkClaim> {
    use hmac::Mac;
    if token.len() > 200 {
        return None;
    }
    let (payload, tag) = token.rsplit_once('.')?;
    let tag = hex::decode(tag).ok()?;
    link_mac(key, payload).verify_slice(&tag).ok()?;
    let mut parts = payload.split('.');
    let purpose = LinkPurpose::parse(parts.next()?)?;
    let subject = Uuid::try_parse(parts.next()?).ok()?;
    let family = match parts.next() {
        Some(f) => Some(NotificationFamily::parse(f)?),
        None => None,
    };
    if parts.next().is_some() || (purpose == LinkPurpose::Unsubscribe) != family.is_some() {
        return None;
    }
    Some(LinkClaim {
        purpose,
        subject,
        family,
    })
}

/// What a notice is about, in words a person reads (already masked where personal).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeParams {
    /// The activity's, letter's, call's, campaign's or need's title; the report's month.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// The organisation concerned (the team, the sender, the reporting unit).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub organization: String,
    /// The masked name of the person concerned (a join request's volunteer).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub person: String,
    /// When it happens (an activity's start) or is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    /// Where (an activity's place).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub place: String,
    /// A state, a reason or a figure the notice quotes (a decision, hours).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// A notice rendered for one language: a subject line and a body of plain sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

fn china_clock(t: DateTime<Utc>) -> String {
    (t + Duration::hours(8))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The words of a notice in a language (the email's subject and body, the SMS text, the
/// inbox line). Only what `params` holds is quoted, so an SMS never carries more of a
/// person than the masked form the repository put there (rule 67).
pub fn render(kind: NotificationKind, lang: Language, p: &NoticeParams) -> Rendered {
    use NotificationKind as K;
    let at = p.at.map(china_clock).unwrap_or_default();
    let (t, o, who, place, d) = (&p.title, &p.organization, &p.person, &p.place, &p.detail);
    let zh = lang == Language::Zh;
    let (subject, body) = match kind {
        K::MembershipRequested if zh => ("收到加入团队申请".into(), format!("{who} 申请加入「{o}」，请审核。")),
        K::MembershipRequested => ("A request to join".into(), format!("{who} asks to join {o}; please answer.")),
        K::MembershipApproved if zh => ("已加入团队".into(), format!("您加入「{o}」的申请已获批准。")),
        K::MembershipApproved => ("You have joined".into(), format!("Your request to join {o} was approved.")),
        K::MembershipRejected if zh => ("加入团队申请未通过".into(), format!("您加入「{o}」的申请未通过。理由：{d}")),
        K::MembershipRejected => ("Join request declined".into(), format!("Your request to join {o} was declined. Reason: {d}")),
        K::ActivityRescheduled if zh => ("活动时间或地点变更".into(), format!("「{t}」改为 {at} 在 {place} 举行。")),
        K::ActivityRescheduled => ("Activity moved".into(), format!("{t} now takes place {at} at {place}.")),
        K::OrganizationApproved if zh => ("组织注册已通过".into(), format!("「{o}」的注册已通过审核。")),
        K::OrganizationApproved => ("Registration approved".into(), format!("The registration of {o} was approved.")),
        K::OrganizationRejected if zh => ("组织注册未通过".into(), format!("「{o}」的注册未通过：{d}。请修改后重新提交。")),
        K::OrganizationRejected => ("Registration declined".into(), format!("The registration of {o} was declined: {d}. Correct it and send it again.")),
        K::SignUpConfirmed if zh => ("报名成功".into(), format!("您已报名「{t}」，{at} 开始，地点：{place}。")),
        K::SignUpConfirmed => ("Signed up".into(), format!("You are signed up for {t}, starting {at} at {place}.")),
        K::SignUpPromoted if zh => ("候补递补成功".into(), format!("「{t}」有空位，您已从候补转为正式参加，{at} 开始。")),
        K::SignUpPromoted => ("You have a place".into(), format!("A place opened in {t}: you moved up from the waiting list. It starts {at}.")),
        K::ActivityCancelled if zh => ("活动已取消".into(), format!("「{t}」（{at}）已取消。原因：{d}")),
        K::ActivityCancelled => ("Activity cancelled".into(), format!("{t} ({at}) was cancelled. Reason: {d}")),
        K::ActivityDayBefore if zh => ("明天的活动：请确认参加".into(), format!("「{t}」将于 {at} 在 {place} 开始。请确认参加，或退出以便候补的志愿者递补。")),
        K::ActivityDayBefore => ("Tomorrow: please confirm".into(), format!("{t} starts {at} at {place}. Please confirm, or withdraw so that someone waiting can take your place.")),
        K::ActivityStartsSoon if zh => ("活动两小时后开始".into(), format!("「{t}」将于 {at} 在 {place} 开始，到场后请向负责人扫码签到。")),
        K::ActivityStartsSoon => ("Starting in two hours".into(), format!("{t} starts {at} at {place}. Check in with the leader's code when you arrive.")),
        K::HoursConfirmed if zh => ("服务时长已确认".into(), format!("「{t}」的服务时长已确认：{d} 小时。")),
        K::HoursConfirmed => ("Hours confirmed".into(), format!("Your hours for {t} are confirmed: {d} h.")),
        K::CertificateIssued if zh => ("服务证明已开具".into(), format!("「{o}」为您开具了服务证明 {t}。")),
        K::CertificateIssued => ("Certificate issued".into(), format!("{o} issued you the certificate {t}.")),
        K::LetterReceived if zh => ("收到结对函".into(), format!("「{o}」发来结对函「{t}」，请在 {at} 前答复。")),
        K::LetterReceived => ("A pairing letter".into(), format!("{o} sent the pairing letter \u{201c}{t}\u{201d}; please answer by {at}.")),
        K::LetterAnswered if zh => ("结对函已答复".into(), format!("「{o}」答复了结对函「{t}」：{d}。")),
        K::LetterAnswered => ("Pairing letter answered".into(), format!("{o} answered the pairing letter \u{201c}{t}\u{201d}: {d}.")),
        K::LetterExpired if zh => ("结对函逾期未复".into(), format!("结对函「{t}」已过答复期限。")),
        K::LetterExpired => ("Pairing letter expired".into(), format!("The pairing letter \u{201c}{t}\u{201d} passed its answer date.")),
        K::ApplicationChanged if zh => ("申报书状态变化".into(), format!("「{o}」的申报书「{t}」：{d}。")),
        K::ApplicationChanged => ("Application update".into(), format!("{o}'s application \u{201c}{t}\u{201d}: {d}.")),
        K::EndorsementWaiting if zh => ("有申报书等待推荐".into(), format!("「{o}」提交了申报书「{t}」，请审核推荐。")),
        K::EndorsementWaiting => ("An application to endorse".into(), format!("{o} submitted \u{201c}{t}\u{201d}; it waits for your endorsement.")),
        K::ReportDueSoon if zh => ("月报即将截止".into(), format!("「{o}」{t} 月报将于 {d} 截止，请及时提交。")),
        K::ReportDueSoon => ("Monthly report due soon".into(), format!("{o}'s report for {t} is due on {d}.")),
        K::ReportDueToday if zh => ("月报今天截止".into(), format!("「{o}」{t} 月报今天截止，请今天提交。")),
        K::ReportDueToday => ("Monthly report due today".into(), format!("{o}'s report for {t} is due today.")),
        K::ReportLate if zh => ("月报逾期未报".into(), format!("「{o}」{t} 月报已逾期（截止 {d}）。")),
        K::ReportLate => ("Monthly report late".into(), format!("{o}'s report for {t} is late (due {d}).")),
        K::ReportReturned if zh => ("月报被退回".into(), format!("「{o}」{t} 月报被退回：{d}")),
        K::ReportReturned => ("Monthly report returned".into(), format!("{o}'s report for {t} was returned: {d}")),
        K::ReportAccepted if zh => ("月报已通过".into(), format!("「{o}」{t} 月报已通过。")),
        K::ReportAccepted => ("Monthly report accepted".into(), format!("{o}'s report for {t} was accepted.")),
        K::NeedChanged if zh => ("需求对接进展".into(), format!("需求「{t}」：{d}。")),
        K::NeedChanged => ("Service need update".into(), format!("The need \u{201c}{t}\u{201d}: {d}.")),
        K::CampaignOpened if zh => ("收到征集".into(), format!("「{o}」发起征集「{t}」，请在 {d} 前填报。")),
        K::CampaignOpened => ("A campaign to answer".into(), format!("{o} opened the campaign \u{201c}{t}\u{201d}; answer by {d}.")),
        K::CampaignReminder if zh => ("征集催报".into(), format!("征集「{t}」尚未完成填报，截止 {d}。")),
        K::CampaignReminder => ("Campaign reminder".into(), format!("The campaign \u{201c}{t}\u{201d} is not yet answered; due {d}.")),
    };
    Rendered { subject, body }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn every_kind_has_a_family_and_words_in_both_languages() {
        for k in NotificationKind::ALL {
            for l in Language::ALL {
                let r = render(*k, *l, &NoticeParams::default());
                assert!(!r.subject.is_empty() && !r.body.is_empty(), "{k} {l}");
            }
            assert!(NotificationFamily::ALL.contains(&k.family()));
        }
        let sms: Vec<_> = NotificationFamily::ALL
            .iter()
            .filter(|f| f.offers_sms())
            .collect();
        assert_eq!(
            sms,
            [&NotificationFamily::Activity, &NotificationFamily::Report]
        );
    }

    #[test]
    fn required_notices_always_show_in_the_app() {
        let mut p = Preferences::default();
        for c in &mut p.families {
            *c = ChannelChoice {
                family: c.family,
                in_app: false,
                email: false,
                sms: false,
            };
        }
        assert!(p.wants(NotificationKind::ReportLate, Channel::InApp));
        assert!(!p.wants(NotificationKind::ReportLate, Channel::Sms));
        assert!(!p.wants(NotificationKind::SignUpConfirmed, Channel::InApp));
        let d = Preferences::default();
        assert!(d.wants(NotificationKind::ActivityDayBefore, Channel::Sms));
        assert!(!d.wants(NotificationKind::SignUpConfirmed, Channel::Sms));
        assert!(d.wants(NotificationKind::SignUpConfirmed, Channel::Email));
    }

    #[test]
    fn preferences_name_every_wrong_field_and_change_nothing() {
        let cur = Preferences::default();
        let input = PreferencesInput {
            families: vec![
                ChoiceInput {
                    family: "weather".into(),
                    in_app: None,
                    email: Some(false),
                    sms: None,
                },
                ChoiceInput {
                    family: "report".into(),
                    in_app: Some(false),
                    email: None,
                    sms: None,
                },
                ChoiceInput {
                    family: "membership".into(),
                    in_app: None,
                    email: None,
                    sms: Some(true),
                },
            ],
            quiet_from: Some("25:00".into()),
            quiet_to: Some("7".into()),
            language: Some("fr".into()),
            email_digest: Some(true),
        };
        let errs = check_preferences(&cur, &input).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|(f, e)| (f.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [
                ("families[0].family", ProblemCode::UnknownNotificationFamily),
                ("families[1].in_app", ProblemCode::LegallyRequiredNotice),
                ("families[2].sms", ProblemCode::SmsNotOffered),
                ("quiet_from", ProblemCode::NotATime),
                ("quiet_to", ProblemCode::NotATime),
                ("language", ProblemCode::UnknownLanguage),
            ]
        );
        let ok = check_preferences(
            &cur,
            &PreferencesInput {
                families: vec![ChoiceInput {
                    family: "activity".into(),
                    in_app: None,
                    email: Some(false),
                    sms: None,
                }],
                quiet_from: Some("22:30".into()),
                email_digest: Some(true),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(!ok.choice(NotificationFamily::Activity).email);
        assert!(ok.choice(NotificationFamily::Activity).sms);
        assert!(ok.email_digest);
        assert_eq!(ok.quiet_from, NaiveTime::from_hms_opt(22, 30, 0).unwrap());
        assert_eq!(ok.families.len(), NotificationFamily::ALL.len());
    }

    #[test]
    fn sms_waits_for_the_morning() {
        let p = Preferences::default();
        // 12:00 China time: at once.
        let noon = utc(2026, 6, 1, 4, 0);
        assert_eq!(sms_release_at(noon, &p), noon);
        // 22:00 China time (14:00 UTC): 08:00 next morning China time (00:00 UTC).
        assert_eq!(
            sms_release_at(utc(2026, 6, 1, 14, 0), &p),
            utc(2026, 6, 2, 0, 0)
        );
        // 06:00 China time: 08:00 the same morning.
        assert_eq!(
            sms_release_at(utc(2026, 6, 1, 22, 0), &p),
            utc(2026, 6, 2, 0, 0)
        );
        // The person's later morning holds too: quiet until 09:30.
        let late = Preferences {
            quiet_from: NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
            quiet_to: NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
            ..Preferences::default()
        };
        assert_eq!(
            sms_release_at(utc(2026, 6, 1, 14, 0), &late),
            utc(2026, 6, 2, 1, 30)
        );
        // 20:30 China time: quiet for this person only.
        assert_eq!(
            sms_release_at(utc(2026, 6, 1, 12, 30), &late),
            utc(2026, 6, 2, 1, 30)
        );
        assert_eq!(next_digest_at(noon), utc(2026, 6, 1, 10, 0));
        assert_eq!(
            next_digest_at(utc(2026, 6, 1, 10, 0)),
            utc(2026, 6, 2, 10, 0)
        );
    }

    #[test]
    fn reminders_follow_the_clock_and_catch_up() {
        let start = utc(2026, 6, 10, 2, 0);
        assert_eq!(activity_reminder(utc(2026, 6, 8, 2, 0), start), None);
        assert_eq!(
            activity_reminder(utc(2026, 6, 9, 2, 0), start),
            Some(NotificationKind::ActivityDayBefore)
        );
        assert_eq!(
            activity_reminder(utc(2026, 6, 10, 0, 30), start),
            Some(NotificationKind::ActivityStartsSoon)
        );
        assert_eq!(activity_reminder(start, start), None);
        // May's report with a 5-day grace is due 5 June.
        let may = Month::of(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());
        let day = |d| NaiveDate::from_ymd_opt(2026, 6, d).unwrap();
        assert_eq!(report_reminder(may, 5, day(1)), None);
        assert_eq!(
            report_reminder(may, 5, day(2)),
            Some(NotificationKind::ReportDueSoon)
        );
        assert_eq!(
            report_reminder(may, 5, day(4)),
            Some(NotificationKind::ReportDueSoon)
        );
        assert_eq!(
            report_reminder(may, 5, day(5)),
            Some(NotificationKind::ReportDueToday)
        );
        assert_eq!(
            report_reminder(may, 5, day(6)),
            Some(NotificationKind::ReportLate)
        );
        assert_eq!(
            report_reminder(may, 5, day(12)),
            Some(NotificationKind::ReportLate)
        );
        assert_eq!(report_reminder(may, 5, day(13)), None);
        assert_eq!(report_months(day(3)), [may, may.next()]);
    }

    #[test]
    fn links_verify_only_as_signed() {
        let key = b"test-key";
        let c = LinkClaim {
            purpose: LinkPurpose::Confirm,
            subject: Uuid::from_u128(7),
            family: None,
        };
        let t = sign_link(key, c);
        assert_eq!(verify_link(key, &t), Some(c));
        assert_eq!(verify_link(b"other", &t), None);
        let forged = t.replacen("confirm", "withdraw", 1);
        assert_eq!(verify_link(key, &forged), None);
        assert_eq!(verify_link(key, "confirm.x.00"), None);
        let u = LinkClaim {
            purpose: LinkPurpose::Unsubscribe,
            subject: Uuid::from_u128(9),
            family: Some(NotificationFamily::Activity),
        };
        assert_eq!(verify_link(key, &sign_link(key, u)), Some(u));
        // An unsubscribe link without its family is not one.
        let bare = sign_link(key, LinkClaim { family: None, ..u });
        assert_eq!(verify_link(key, &bare), None);
    }

    #[test]
    fn email_addresses_are_plain() {
        assert!(EmailAddress::parse("li.ming@example.cn").is_ok());
        for bad in [
            "",
            "a@b",
            "a b@c.cn",
            "<a@b.cn>",
            "a@b.cn,c@d.cn",
            "a@@b.cn",
            "@b.cn",
            "a@.cn",
            "a@b.cn\r\nBcc: x@y.cn",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sms_segments_count_characters() {
        assert_eq!(sms_segments(&"字".repeat(70)), 1);
        assert_eq!(sms_segments(&"字".repeat(71)), 2);
        assert_eq!(sms_segments(&"字".repeat(134)), 2);
        assert_eq!(sms_segments(&"字".repeat(135)), 3);
    }
}
