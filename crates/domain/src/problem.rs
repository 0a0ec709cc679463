//! The catalogue of problem codes (错误代码表): every code the service answers, as the
//! problem document's `code` or as a field's `code` inside `errors[]`, with the HTTP status
//! it answers with and its title in Chinese and English.
//!
//! Handlers, repositories and domain rules name a code by its variant, never by a string;
//! the dashboard translates a code by its titles here, so no code can lack a translation;
//! the OpenAPI document's `ProblemCode` enum and `docs/errors.md` are generated from it.

use std::fmt;

/// What kind of code an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    /// The `code` of a whole problem document.
    Problem,
    /// The `code` of one field inside a 422 problem's `errors[]`.
    Field,
    /// Either: a field code that is also answered as a whole problem.
    Both,
}

macro_rules! catalogue {
    ($($variant:ident = $wire:literal, $status:literal, $kind:ident, $en:literal, $zh:literal;)*) => {
        /// One problem or field code (see the module's documentation).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ProblemCode {
            $($variant,)*
        }

        impl ProblemCode {
            /// Every code, in the catalogue's order.
            pub const ALL: &'static [ProblemCode] = &[$(ProblemCode::$variant,)*];

            /// The code on the wire.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ProblemCode::$variant => $wire,)*
                }
            }

            /// The HTTP status of a problem carrying this code (422 for field codes).
            pub const fn status(self) -> u16 {
                match self {
                    $(ProblemCode::$variant => $status,)*
                }
            }

            pub const fn kind(self) -> CodeKind {
                match self {
                    $(ProblemCode::$variant => CodeKind::$kind,)*
                }
            }

            /// The English title.
            pub const fn title_en(self) -> &'static str {
                match self {
                    $(ProblemCode::$variant => $en,)*
                }
            }

            /// The Chinese title (中文说明).
            pub const fn title_zh(self) -> &'static str {
                match self {
                    $(ProblemCode::$variant => $zh,)*
                }
            }

            /// The code a wire string names, if any.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($wire => Some(ProblemCode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

catalogue! {
    ValidationFailed = "validation_failed", 422, Problem, "Please correct the marked fields", "请检查标红的字段";
    MalformedJson = "malformed_json", 400, Both, "The body is not valid JSON", "请求内容不是有效的 JSON";
    InvalidBody = "invalid_body", 400, Problem, "The request body cannot be read", "无法读取请求内容";
    InvalidQuery = "invalid_query", 400, Problem, "A query parameter is invalid", "查询参数有误";
    InvalidMultipart = "invalid_multipart", 400, Problem, "The upload form cannot be read", "无法读取上传的表单";
    InvalidIfMatch = "invalid_if_match", 400, Both, "The If-Match header is not a version tag", "If-Match 请求头不是有效的版本标签";
    InvalidIdempotencyKey = "invalid_idempotency_key", 400, Problem, "The Idempotency-Key header is invalid", "Idempotency-Key 请求头无效";
    BadRequest = "bad_request", 400, Problem, "Bad request", "请求有误";
    AuthenticationRequired = "authentication_required", 401, Problem, "Please sign in", "请先登录";
    InvalidToken = "invalid_token", 401, Problem, "Your session has ended; sign in again", "登录已过期，请重新登录";
    InvalidCredentials = "invalid_credentials", 401, Problem, "Wrong login or password", "账号或密码不正确";
    InvalidRefreshToken = "invalid_refresh_token", 401, Problem, "Your session has ended; sign in again", "登录已过期，请重新登录";
    ServicePointOutOfReach = "service_point_out_of_reach", 403, Problem, "The service point belongs to neither the exhibition's owner nor an organisation below it", "该服务点不属于展览所属组织或其下级组织";
    NotAddressed = "not_addressed", 403, Problem, "The campaign does not ask this organisation", "该征集未面向此组织";
    CampaignOwnerOnly = "campaign_owner_only", 403, Problem, "Only the campaign owner's admins may do this", "只有征集发起单位的管理员可以执行此操作";
    NotYourOrganization = "not_your_organization", 403, Problem, "Only the organisation's own admins may do this", "只有本组织的管理员可以执行此操作";
    NotInYourOversight = "not_in_your_oversight", 403, Problem, "This organisation is not yours or under you", "该组织不在您的管理范围内";
    PlatformAdminOnly = "platform_admin_only", 403, Problem, "Only platform admins may do this", "只有平台管理员可以执行此操作";
    ParentAdminOnly = "parent_admin_only", 403, Problem, "Only the parent organisation's admins may do this", "只有上级组织的管理员可以执行此操作";
    ClaimNotEligible = "claim_not_eligible", 403, Problem, "This team may not claim the need", "该队伍不符合接单条件";
    EndorserOnly = "endorser_only", 403, Problem, "Only the provincial association of the applicant's province endorses", "只有申报单位所在省的省级科协可以推荐";
    NotAssignedReviewer = "not_assigned_reviewer", 403, Problem, "Only reviewers assigned to the application review it", "只有被分配的评审专家可以评审该申报书";
    NotActivityLeader = "not_activity_leader", 403, Problem, "Only the activity's leaders and its organisation's admins may do this", "只有活动负责人和组织管理员可以执行此操作";
    MembersOnly = "members_only", 403, Problem, "This activity is for the organisation's members only", "该活动仅限本组织成员报名";
    NotYourRecord = "not_your_record", 403, Problem, "Only the volunteer may see this", "只有志愿者本人可以查看";
    ScopeMissing = "scope_missing", 403, Problem, "The API key lacks the scope this operation needs", "API 密钥缺少此操作所需的权限范围";
    NotForApiClients = "not_for_api_clients", 403, Problem, "This operation is for people signed in, not API keys", "此操作仅限登录用户，不接受 API 密钥";
    RouteNotFound = "route_not_found", 404, Problem, "Not found", "未找到";
    NotFound = "not_found", 404, Both, "Not found", "未找到";
    AccountNotFound = "account_not_found", 404, Both, "No such account", "账号不存在";
    OrganizationNotFound = "organization_not_found", 404, Both, "No such organisation", "组织不存在";
    VolunteerNotFound = "volunteer_not_found", 404, Both, "No such volunteer", "志愿者不存在";
    ActivityNotFound = "activity_not_found", 404, Problem, "No such activity", "活动不存在";
    SignUpNotFound = "sign_up_not_found", 404, Both, "No such sign-up", "报名记录不存在";
    NotificationNotFound = "notification_not_found", 404, Problem, "No such notification", "通知不存在";
    MembershipNotFound = "membership_not_found", 404, Both, "No such membership", "成员关系不存在";
    CertificateNotFound = "certificate_not_found", 404, Problem, "No certificate has this number", "未找到该编号的证明";
    PairingNotFound = "pairing_not_found", 404, Both, "No such pairing", "结对关系不存在";
    PairingLetterNotFound = "pairing_letter_not_found", 404, Problem, "No such letter", "函件不存在";
    CallNotFound = "call_not_found", 404, Both, "No such call for applications", "申报通知不存在";
    ApplicationNotFound = "application_not_found", 404, Problem, "No such application", "申报书不存在";
    AttachmentNotFound = "attachment_not_found", 404, Problem, "No such attachment", "附件不存在";
    ReportNotFound = "report_not_found", 404, Problem, "No such report", "月报不存在";
    PhotoNotFound = "photo_not_found", 404, Problem, "No such photo", "照片不存在";
    RegionNotFound = "region_not_found", 404, Both, "No such region", "行政区划不存在";
    NeedNotFound = "need_not_found", 404, Problem, "No such need", "需求不存在";
    ServicePointNotFound = "service_point_not_found", 404, Problem, "No such service point", "服务点不存在";
    ExhibitionNotFound = "exhibition_not_found", 404, Problem, "No such exhibition", "展览不存在";
    StayNotFound = "stay_not_found", 404, Problem, "No such exhibition stay", "展览排期不存在";
    CampaignNotFound = "campaign_not_found", 404, Problem, "No such campaign", "征集不存在";
    CampaignEntryNotFound = "campaign_entry_not_found", 404, Problem, "No such campaign entry", "征集条目不存在";
    ImportNotFound = "import_not_found", 404, Problem, "No such import", "导入记录不存在";
    ApiClientNotFound = "api_client_not_found", 404, Problem, "No such API client", "API 客户端不存在";
    WebhookNotFound = "webhook_not_found", 404, Problem, "No such webhook endpoint", "回调地址不存在";
    DeliveryNotFound = "delivery_not_found", 404, Both, "No such delivery", "推送记录不存在";
    VolunteerNotRegistered = "volunteer_not_registered", 409, Problem, "Register as a volunteer first", "请先完成志愿者实名注册";
    MethodNotAllowed = "method_not_allowed", 405, Problem, "This address does not accept that method", "该地址不支持此请求方法";
    Conflict = "conflict", 409, Both, "A unique value is already taken", "唯一值已被占用";
    LoginTaken = "login_taken", 409, Both, "This login is taken", "该账号已被注册";
    DuplicateIdNumber = "duplicate_id_number", 409, Both, "This ID number cannot be registered here; if it is yours, contact the service desk", "该身份证号无法在此注册；如为本人证件，请联系平台客服";
    DuplicateOrganizationName = "duplicate_organization_name", 409, Both, "This name is registered already", "该组织名称已注册";
    DuplicateCreditCode = "duplicate_credit_code", 409, Both, "This credit code is registered already", "该统一社会信用代码已注册";
    VolunteerProfileExists = "volunteer_profile_exists", 409, Both, "You have registered already", "您已完成志愿者注册";
    OrganizationNotApproved = "organization_not_approved", 409, Both, "This organisation is not approved yet", "该组织尚未通过审核";
    OrganizationNotPending = "organization_not_pending", 409, Problem, "This organisation was decided already", "该组织已审核";
    OrganizationNotRejected = "organization_not_rejected", 409, Problem, "Only a rejected registration is sent again", "只有未通过审核的注册可以重新提交";
    AlreadyMember = "already_member", 409, Both, "Already a member or asked already", "已是该团队成员或已提交申请";
    MembershipNotPending = "membership_not_pending", 409, Problem, "This request was decided already", "该申请已处理";
    MembershipLimitReached = "membership_limit_reached", 409, Problem, "You are in as many teams as allowed", "最多同时加入 5 个团队";
    RegisteredElsewhere = "registered_elsewhere", 409, Problem, "Registered with another team", "此人已在其他团队注册";
    LastAdmin = "last_admin", 409, Problem, "The last admin cannot be removed", "不能移除最后一位管理员";
    AlreadyAdmin = "already_admin", 409, Problem, "Already an admin", "已是管理员";
    AdminSeatCapReached = "admin_seat_cap_reached", 409, Problem, "No admin seat left", "管理员席位已满";
    ActivityStatus = "activity_status", 409, Problem, "Not possible in the activity's state", "活动当前状态不允许此操作";
    ActivityNotOpen = "activity_not_open", 409, Problem, "The activity is not open", "活动未发布或已取消";
    ActivityStarted = "activity_started", 409, Problem, "The activity has started", "活动已开始";
    ActivityEnded = "activity_ended", 409, Problem, "The activity has ended", "活动已结束";
    ActivityNotEnded = "activity_not_ended", 409, Problem, "Hours are confirmed after the activity ends", "活动结束后才能确认服务时长";
    ActivityCancelled = "activity_cancelled", 409, Problem, "The activity was cancelled", "活动已取消";
    SignUpNotOpenYet = "sign_up_not_open_yet", 409, Problem, "Sign-up has not opened yet", "报名尚未开始";
    SignUpClosed = "sign_up_closed", 409, Problem, "Sign-up has closed", "报名已截止";
    AlreadySignedUp = "already_signed_up", 409, Both, "You have signed up already", "您已报名该活动";
    OverlappingSignUp = "overlapping_sign_up", 409, Problem, "You have signed up for another activity at that time", "您已报名同一时段的其他活动";
    NotSignedUp = "not_signed_up", 409, Problem, "You have not signed up for this activity", "您未报名该活动";
    Waitlisted = "waitlisted", 409, Problem, "You are on the waiting list", "您在候补名单中，不能签到";
    CapacityBelowSignUps = "capacity_below_sign_ups", 409, Problem, "Capacity below the sign-ups", "招募人数不能少于已报名人数";
    AlreadyCheckedIn = "already_checked_in", 409, Problem, "Checked in already", "已签到";
    NotCheckedIn = "not_checked_in", 409, Problem, "Check in before checking out", "请先签到再签退";
    AlreadyCheckedOut = "already_checked_out", 409, Problem, "Already checked out", "已签退";
    CheckInClosed = "check_in_closed", 409, Problem, "Check-in is open from an hour before the start to an hour after the end", "不在签到时间内（活动开始前 1 小时至结束后 1 小时）";
    HoursConfirmed = "hours_confirmed", 409, Problem, "Hours confirmed already", "服务时长已确认";
    HoursBeingConfirmed = "hours_being_confirmed", 409, Both, "Hours are being confirmed; try again shortly", "服务时长正在确认中，请稍后";
    ConfirmationWindowClosed = "confirmation_window_closed", 409, Problem, "The time for confirming hours has passed", "已超过服务时长确认期限";
    NoRecordedHours = "no_recorded_hours", 409, Problem, "No hours recorded by this organisation", "该志愿者在本组织没有服务记录";
    CertificateRevoked = "certificate_revoked", 409, Problem, "The certificate was revoked", "证明已撤销";
    AlreadyPaired = "already_paired", 409, Problem, "Already paired", "双方已结对";
    LetterNotSent = "letter_not_sent", 409, Problem, "The letter has not been sent", "函件尚未发出";
    LetterAlreadySent = "letter_already_sent", 409, Problem, "The letter has been sent", "函件已发出";
    LetterAlreadyAnswered = "letter_already_answered", 409, Problem, "The letter has been answered", "函件已答复";
    LetterWithdrawn = "letter_withdrawn", 409, Problem, "The letter was withdrawn", "函件已撤回";
    LetterExpired = "letter_expired", 409, Problem, "The letter has expired", "函件已过期";
    NeedNotOpen = "need_not_open", 409, Problem, "The need is not open", "需求尚未发布";
    NeedNotDraft = "need_not_draft", 409, Problem, "The need is not a draft", "需求已不是草稿";
    NeedAlreadyHeld = "need_already_held", 409, Problem, "A team holds the need already", "该需求已有队伍承接";
    NeedNotDispatched = "need_not_dispatched", 409, Problem, "The need is not dispatched", "需求未派单";
    NeedNotClaimed = "need_not_claimed", 409, Problem, "No team holds the need", "需求尚无队伍承接";
    NeedNotServed = "need_not_served", 409, Problem, "The need has not been served", "需求尚未完成服务";
    NeedServed = "need_served", 409, Problem, "The need has been served", "需求已完成服务";
    NeedAlreadyRated = "need_already_rated", 409, Problem, "The need has been rated", "需求已评价";
    NeedExpired = "need_expired", 409, Problem, "The need's window has passed", "需求已过期";
    NeedCancelled = "need_cancelled", 409, Problem, "The need was cancelled", "需求已取消";
    ExhibitionElsewhere = "exhibition_elsewhere", 409, Problem, "The exhibition is elsewhere on some of these days", "该展览在此期间已在其他地点展出";
    ServicePointFull = "service_point_full", 409, Problem, "The service point shows as many exhibitions as it can on some of these days", "该服务点在此期间展位已满";
    PointShowsNoExhibitions = "point_shows_no_exhibitions", 409, Problem, "The service point does not show exhibitions", "该服务点不承接展览";
    StayBegun = "stay_begun", 409, Problem, "The stay has begun", "展期已开始";
    StayNotBegun = "stay_not_begun", 409, Problem, "The stay has not begun", "展期尚未开始";
    StayCancelled = "stay_cancelled", 409, Problem, "The stay was cancelled", "展期已取消";
    CampaignNotDraft = "campaign_not_draft", 409, Problem, "The campaign is no longer a draft", "征集已不是草稿";
    CampaignNotOpen = "campaign_not_open", 409, Problem, "The campaign is not open", "征集尚未开始";
    CampaignClosed = "campaign_closed", 409, Problem, "The campaign is closed", "征集已结束";
    CampaignFieldsFixed = "campaign_fields_fixed", 409, Problem, "An open campaign keeps its fields and addressees", "征集已开始，填报项和征集对象不能再改";
    CampaignDeadlinePassed = "campaign_deadline_passed", 409, Problem, "The deadline has passed", "已过征集截止日期";
    SubmissionComplete = "submission_complete", 409, Problem, "The submission is marked complete", "已确认填报完成";
    TooFewEntries = "too_few_entries", 409, Problem, "Fewer entries than the campaign asks for", "填报条目少于要求的数量";
    TooManyEntries = "too_many_entries", 409, Problem, "This organisation has submitted as many entries as one may", "本单位填报条目已达上限";
    EntryWithdrawn = "entry_withdrawn", 409, Problem, "The entry was withdrawn", "条目已撤回";
    EntryAccepted = "entry_accepted", 409, Problem, "The entry was accepted", "条目已采纳";
    PlannedMonthPassed = "planned_month_passed", 409, Problem, "The planned month has passed", "计划月份已过";
    RemindedRecently = "reminded_recently", 409, Problem, "A reminder went out less than a day ago", "一天内已发送过提醒";
    RatingWindowClosed = "rating_window_closed", 409, Problem, "The time for rating has passed", "已超过评价期限";
    LinkInvalid = "link_invalid", 404, Problem, "This link is not valid", "链接无效";
    LinkUsed = "link_used", 409, Problem, "This link has been used", "该链接已使用过";
    LinkExpired = "link_expired", 410, Problem, "This link has expired", "该链接已过期";
    SignUpNotLive = "sign_up_not_live", 409, Problem, "The sign-up was withdrawn", "报名已取消";
    ApplicationExists = "application_exists", 409, Both, "This organisation has applied to this call already", "本组织已申报该指南";
    ApplicationStatus = "application_status", 409, Problem, "Not possible in the application's state", "申报书当前状态不允许此操作";
    EndorsementNotRequired = "endorsement_not_required", 409, Problem, "This call needs no endorsement", "该通知无需推荐";
    EndorsementQuotaReached = "endorsement_quota_reached", 409, Problem, "The province's endorsements are used up", "本省推荐名额已满";
    ReviewClosed = "review_closed", 409, Problem, "Reviewing has closed", "评审已结束";
    ReportStatus = "report_status", 409, Problem, "Not possible in the report's state", "月报当前状态不允许此操作";
    NoRegions = "no_regions", 409, Problem, "The region table is empty", "行政区划表为空";
    DatabaseNotEmpty = "database_not_empty", 409, Problem, "The database already holds data", "数据库中已有数据";
    ApiClientRevoked = "api_client_revoked", 409, Problem, "The API client is revoked", "API 客户端已停用";
    DeliveryPending = "delivery_pending", 409, Problem, "The delivery is still pending", "推送仍在进行中";
    IdempotencyKeyInUse = "idempotency_key_in_use", 409, Problem, "The same request is still being handled", "相同的请求仍在处理中";
    VersionMismatch = "version_mismatch", 412, Problem, "Someone else changed this; reload and try again", "内容已被他人修改，请刷新后重试";
    PayloadTooLarge = "payload_too_large", 413, Problem, "The file is too large", "文件过大";
    TooManyRows = "too_many_rows", 413, Both, "The file has too many rows; split it into several files", "文件行数超过上限，请拆分为多个文件";
    WorkbookTooLarge = "workbook_too_large", 413, Problem, "The workbook unpacks too large; keep only the template's sheet", "工作簿解压后过大，请只保留模板工作表";
    ImportTooSlow = "import_too_slow", 413, Problem, "The file took too long to read; split it into several files", "文件读取超时，请拆分为多个文件";
    UnsupportedMediaType = "unsupported_media_type", 415, Problem, "Unsupported content type", "不支持的内容类型";
    LoginLocked = "login_locked", 429, Problem, "Too many failed attempts; the account is locked for a while", "密码错误次数过多，账号暂时锁定";
    RateLimited = "rate_limited", 429, Problem, "Too many attempts; wait a little", "操作过于频繁，请稍后再试";
    TooManyConflicts = "too_many_conflicts", 429, Problem, "Too many registrations were refused; try again later or contact the service desk", "注册被拒绝的次数过多，请稍后再试或联系平台客服";
    InternalError = "internal_error", 500, Problem, "The service failed; please try again", "服务内部错误，请稍后重试";
    ServiceUnavailable = "service_unavailable", 503, Problem, "The service is unavailable for a moment; try again shortly", "服务暂时不可用，请稍后重试";
    DatabaseBusy = "database_busy", 503, Problem, "Another change got there first; send again", "其他修改正在进行，请重新提交";
    PdfFontMissing = "pdf_font_missing", 503, Problem, "The certificate font is missing; PDFs cannot be printed yet", "证书字体尚未安装，暂时无法生成 PDF";
    CreditCodeCharacters = "credit_code_characters", 422, Field, "The credit code holds characters that are not allowed", "统一社会信用代码含有不允许的字符";
    CreditCodeChecksum = "credit_code_checksum", 422, Field, "The credit code's check character does not match", "统一社会信用代码校验位不正确";
    CreditCodeLength = "credit_code_length", 422, Field, "A credit code has 18 characters", "统一社会信用代码应为 18 位";
    IdNumberBirthDate = "id_number_birth_date", 422, Field, "Digits 7 to 14 are not a real date", "身份证号中的出生日期无效";
    IdNumberCharacters = "id_number_characters", 422, Field, "17 digits followed by a digit or X", "身份证号由 17 位数字和 1 位数字或 X 组成";
    IdNumberChecksum = "id_number_checksum", 422, Field, "The check character does not match; please check the number", "身份证号校验位不正确，请核对";
    IdNumberLength = "id_number_length", 422, Field, "A resident ID number has 18 characters", "身份证号应为 18 位";
    IdNumberProvince = "id_number_province", 422, Field, "The first two digits are not a province code", "身份证号前两位不是有效的省份代码";
    InvalidMonth = "invalid_month", 422, Field, "Not a month (YYYY-MM)", "月份格式应为 YYYY-MM";
    LevelCategoryMismatch = "level_category_mismatch", 422, Field, "The level does not suit the category", "组织级别与类别不符";
    LoginFormat = "login_format", 422, Field, "Use a mobile number or an e-mail address", "请填写手机号或电子邮箱";
    NameCharacters = "name_characters", 422, Field, "The name has characters it may not hold", "名称含有不允许的字符";
    NameTooLong = "name_too_long", 422, Field, "The name is too long", "名称过长";
    NameTooShort = "name_too_short", 422, Field, "The name is too short", "名称过短";
    PairingWithItself = "pairing_with_itself", 422, Field, "An organisation cannot pair with itself", "组织不能与自身结对";
    ParentLevel = "parent_level", 422, Field, "The parent is not one level above", "上级组织的级别不符";
    PasswordTooLong = "password_too_long", 422, Field, "At most 128 characters", "密码最多 128 位";
    PasswordTooShort = "password_too_short", 422, Field, "At least 8 characters", "密码至少 8 位";
    PasswordTooWeak = "password_too_weak", 422, Field, "At least one letter and one digit", "密码需同时包含字母和数字";
    PersonNameCharacters = "person_name_characters", 422, Field, "Letters, spaces and the middle dot only", "姓名只能包含文字、空格和间隔号";
    PersonNameLength = "person_name_length", 422, Field, "A name has 2 to 50 characters", "姓名为 2 至 50 个字符";
    PhoneFormat = "phone_format", 422, Field, "A mobile number has 11 digits", "手机号应为 11 位数字";
    PhonePrefix = "phone_prefix", 422, Field, "Not an allocated mobile network prefix", "手机号号段无效";
    RecipientCategory = "recipient_category", 422, Field, "The recipient cannot receive this letter", "收函单位类别不符";
    RecipientNotCounty = "recipient_not_county", 422, Field, "The recipient must be a county-level organisation", "收函单位应为县级组织";
    RegionCodeFormat = "region_code_format", 422, Field, "A region code has six digits", "地区代码应为 6 位数字";
    RegionCodeProvince = "region_code_province", 422, Field, "The first two digits are not a province code", "地区代码前两位不是有效的省份代码";
    SenderNotSociety = "sender_not_society", 422, Field, "Only a society sends pairing letters", "只有学会可以发出结对函";
    AboveCap = "above_cap", 422, Field, "Above the call's cap", "申请金额超过资助上限";
    AmountRequired = "amount_required", 422, Field, "Give an amount", "请填写金额";
    BudgetLineAboveCap = "budget_line_above_cap", 422, Field, "One budget line is above the call's cap", "单项预算超过资助上限";
    BudgetMismatch = "budget_mismatch", 422, Field, "The budget lines do not add up to the request", "预算明细合计与申请金额不符";
    CallClosed = "call_closed", 422, Field, "The call has closed", "申报通知已截止";
    CallNotOpen = "call_not_open", 422, Field, "The call is not open yet", "申报通知尚未开放";
    IneligibleCategory = "ineligible_category", 422, Field, "This kind of organisation may not apply", "该类别的组织不可申报";
    PairingEnded = "pairing_ended", 422, Field, "The pairing has ended", "结对关系已结束";
    PairingRequired = "pairing_required", 422, Field, "This call needs a pairing", "该通知要求已建立结对关系";
    ProvincialPartnerRegion = "provincial_partner_region", 422, Field, "The provincial partner is in another province", "省级合作单位不在本省";
    ProvincialPartnerRequired = "provincial_partner_required", 422, Field, "Name a provincial partner", "请选择省级合作单位";
    CorrectionReasonRequired = "correction_reason_required", 422, Both, "A correction needs a reason", "修改服务时长需填写理由";
    BeforeCheckIn = "before_check_in", 422, Field, "Check-out is before check-in", "签退时间早于签到时间";
    BeforeFrom = "before_from", 422, Field, "The end is before the start", "结束日期早于开始日期";
    CheckInCodeExpired = "check_in_code_expired", 422, Field, "The check-in code has expired", "签到码已过期";
    ClosesBeforeOpening = "closes_before_opening", 422, Field, "Closes before it opens", "截止时间早于开始时间";
    ConsentRequired = "consent_required", 422, Field, "Consent is required", "须同意相关条款";
    CriterionMissing = "criterion_missing", 422, Field, "A review criterion has no score", "有评审指标未打分";
    DueBeforeClosing = "due_before_closing", 422, Field, "Due before the call closes", "截止日期早于通知截止时间";
    Duplicate = "duplicate", 422, Field, "Given twice", "重复填写";
    DuplicateCriterion = "duplicate_criterion", 422, Field, "A criterion is scored twice", "评审指标重复";
    EmptyFile = "empty_file", 422, Field, "The file is empty", "文件为空";
    EndsBeforeStart = "ends_before_start", 422, Field, "Ends before it starts", "结束时间早于开始时间";
    FileTooLarge = "file_too_large", 422, Field, "The file is too large", "文件过大";
    GrantedAboveRequest = "granted_above_request", 422, Field, "Granted more than requested", "批准金额超过申请金额";
    GrantedRequired = "granted_required", 422, Field, "Give the granted amount", "请填写批准金额";
    GuardianConsentRequired = "guardian_consent_required", 422, Field, "A minor needs the guardian's consent", "未成年人须经监护人同意";
    GuardianRequired = "guardian_required", 422, Field, "A minor needs a guardian", "未成年人须填写监护人";
    IdempotencyKeyReused = "idempotency_key_reused", 422, Field, "The Idempotency-Key was used for another request", "该 Idempotency-Key 已用于其他请求";
    InThePast = "in_the_past", 422, Field, "In the past", "时间已过";
    InvalidCheckInCode = "invalid_check_in_code", 422, Field, "Wrong check-in code", "签到码错误";
    InvalidCursor = "invalid_cursor", 422, Field, "The page cursor is invalid", "分页游标无效";
    InvalidHours = "invalid_hours", 422, Field, "Not a number of hours", "时长格式有误";
    InvalidProvince = "invalid_province", 422, Field, "Not a province", "不是有效的省份";
    InvalidRegion = "invalid_region", 422, Field, "Not a region", "不是有效的行政区划";
    InvalidStatus = "invalid_status", 422, Field, "Not a status", "状态值无效";
    LeaderNotMember = "leader_not_member", 422, Field, "The leader is not a member", "负责人不是本组织成员";
    Length = "length", 422, Field, "Wrong length", "长度不符合要求";
    MissingColumns = "missing_columns", 422, Field, "The file lacks columns", "文件缺少必需的列";
    MonthInFuture = "month_in_future", 422, Field, "The month has not ended yet", "月份尚未结束";
    MonthOutsidePeriod = "month_outside_period", 422, Field, "A proposed activity falls within the pairing period", "拟开展活动的月份应在结对期间内";
    NotAParticipant = "not_a_participant", 422, Field, "Not a participant", "不是参与方";
    NotAProvincialSociety = "not_a_provincial_society", 422, Field, "Not a provincial society", "不是省级学会";
    OneScope = "one_scope", 422, Field, "Give at least one scope", "至少选择一个权限范围";
    OutOfRange = "out_of_range", 422, Field, "Out of range", "超出允许范围";
    OutsideActivity = "outside_activity", 422, Field, "Outside the activity's time", "不在活动时间内";
    OutsideParentRegion = "outside_parent_region", 422, Field, "Outside the parent's region", "不在上级组织的地区内";
    ParentNotApproved = "parent_not_approved", 422, Field, "The parent is not approved", "上级组织尚未通过审核";
    ParentNotFound = "parent_not_found", 422, Field, "No such parent organisation", "上级组织不存在";
    ParentRequired = "parent_required", 422, Field, "Name the parent organisation", "请选择上级组织";
    PeriodEndsBeforeStart = "period_ends_before_start", 422, Field, "The period ends before it starts", "期限结束早于开始";
    PeriodTooLong = "period_too_long", 422, Field, "The period is too long", "期限过长";
    RangeBackwards = "range_backwards", 422, Field, "The range ends before it starts", "范围的结束早于开始";
    RangeTooLong = "range_too_long", 422, Field, "The range is too long", "范围过长";
    Required = "required", 422, Field, "This field is required", "此项为必填项";
    ReviewerConflict = "reviewer_conflict", 422, Field, "The reviewer has a conflict of interest", "评审专家存在利益冲突";
    ReviewerNotFound = "reviewer_not_found", 422, Field, "No such reviewer", "评审专家不存在";
    TooLong = "too_long", 422, Field, "Too long", "内容过长";
    TooYoung = "too_young", 422, Field, "Too young to register", "年龄不符合注册要求";
    UnknownActivityCategory = "unknown_activity_category", 422, Field, "Not an activity category", "不是有效的活动类别";
    UnknownServicePointKind = "unknown_service_point_kind", 422, Field, "Not a kind of service point", "不是有效的服务点类型";
    UnknownExhibitionCategory = "unknown_exhibition_category", 422, Field, "Not a category of the guidance catalogue", "不是指导目录中的类别";
    UnknownCategory = "unknown_category", 422, Field, "Not a category", "不是有效的类别";
    UnknownCriterion = "unknown_criterion", 422, Field, "Not a criterion of this call", "不是该通知的评审指标";
    UnknownDecision = "unknown_decision", 422, Field, "Not a decision", "不是有效的决定";
    UnknownEventType = "unknown_event_type", 422, Field, "Not an event type", "不是有效的事件类型";
    UnknownField = "unknown_field", 422, Field, "No such field", "不存在该字段";
    UnknownFormVariant = "unknown_form_variant", 422, Field, "Not a form variant", "不是有效的申报书类型";
    UnknownFormat = "unknown_format", 422, Field, "Not a format", "不是有效的格式";
    UnknownKeyDate = "unknown_key_date", 422, Field, "Not a key date", "不是有效的重要节点";
    UnknownLevel = "unknown_level", 422, Field, "Not a level", "不是有效的级别";
    UnknownMailbox = "unknown_mailbox", 422, Field, "Not a mailbox", "不是有效的信箱";
    UnknownRegion = "unknown_region", 422, Field, "Not a region", "不是有效的地区";
    UnknownScope = "unknown_scope", 422, Field, "Not a scope", "不是有效的权限范围";
    UnknownServiceCategory = "unknown_service_category", 422, Field, "Not a service category", "不是有效的服务类别";
    UnknownStatus = "unknown_status", 422, Field, "Not a status", "不是有效的状态";
    UnknownThreeHeadsRole = "unknown_three_heads_role", 422, Field, "Not a three-heads role", "不是有效的“三长”身份";
    UnknownSkillField = "unknown_skill_field", 422, Field, "Not a skill field", "不是有效的专业领域";
    UnknownAudience = "unknown_audience", 422, Field, "Not an audience", "不是有效的服务对象";
    UnknownPriorityArea = "unknown_priority_area", 422, Field, "Not a priority area", "不是有效的重点地区类型";
    UnknownNotificationFamily = "unknown_notification_family", 422, Field, "Not a notification family", "不是有效的通知类别";
    UnknownLanguage = "unknown_language", 422, Field, "Not a language", "不是有效的语言";
    UnknownChannel = "unknown_channel", 422, Field, "Not a channel", "不是有效的通知渠道";
    InvalidEmail = "invalid_email", 422, Field, "Not an email address", "不是有效的电子邮箱地址";
    NotATime = "not_a_time", 422, Field, "Not a time of day (HH:MM)", "不是有效的时间（时:分）";
    LegallyRequiredNotice = "legally_required_notice", 422, Field, "Required notices always show in the app", "法定通知不能关闭站内提醒";
    SmsNotOffered = "sms_not_offered", 422, Field, "No notice of this kind is sent by SMS", "该类通知不发送短信";
    NotACounty = "not_a_county", 422, Field, "Priority areas are counties", "重点地区标记仅适用于县级组织";
    NotARequester = "not_a_requester", 422, Field, "This organisation does not post needs", "该组织不能发布需求";
    NotTheRequestersServicePoint = "not_the_requesters_service_point", 422, Field, "The service point is not the requesting organisation's", "该服务点不属于发布需求的组织";
    CampaignAddressesNobody = "campaign_addresses_nobody", 422, Both, "No organisation below matches these categories and levels", "下级组织中没有符合这些类别和级别的单位";
    TooManyCustomFields = "too_many_custom_fields", 422, Field, "At most ten fields besides the fixed ones", "自定义填报项最多 10 个";
    DuplicateCustomField = "duplicate_custom_field", 422, Field, "Another field has this key", "填报项标识重复";
    BadChoices = "bad_choices", 422, Field, "A choice field has 2 to 20 distinct choices; other fields none", "选择项应有 2 至 20 个不重复的选项，其他类型不设选项";
    NotAChoice = "not_a_choice", 422, Field, "Not one of the field's choices", "不是该填报项的选项";
    UnknownCustomField = "unknown_custom_field", 422, Field, "The campaign has no such field", "征集没有该填报项";
    UnknownCustomFieldKind = "unknown_custom_field_kind", 422, Field, "Not a kind of field", "不是有效的填报项类型";
    UnknownCampaignStatus = "unknown_campaign_status", 422, Field, "Not a state of a campaign", "不是有效的征集状态";
    ValueFormat = "value_format", 422, Field, "Not in the field's format", "格式不符合该填报项要求";
    NotAServingTeam = "not_a_serving_team", 422, Field, "Not a team that serves needs", "不是可以承接需求的队伍";
    OutsideWindow = "outside_window", 422, Field, "Outside the need's window", "不在需求的时间范围内";
    UnreadableFile = "unreadable_file", 422, Field, "The file cannot be read", "无法读取文件";
    UnsupportedFileType = "unsupported_file_type", 422, Field, "Not a supported file type", "不支持的文件类型";
    WindowAfterEnd = "window_after_end", 422, Field, "The window ends after the activity", "窗口结束晚于活动结束";
    WindowClosesBeforeOpening = "window_closes_before_opening", 422, Field, "The window closes before it opens", "窗口结束早于开始";
    CellTooLong = "cell_too_long", 422, Field, "A cell is too long (at most 1,000 characters)", "单元格内容过长（最多 1000 字）";
    DuplicateInFile = "duplicate_in_file", 422, Field, "The same person twice in the file", "文件中重复出现同一人";
    InvalidUrl = "invalid_url", 422, Field, "Not an https:// address", "不是有效的 https:// 地址";
    PrivateAddress = "private_address", 422, Field, "The address is on a private network", "该地址位于内网";
    ControlCharacter = "control_character", 422, Field, "Holds an invisible control character; remove it and try again", "含有不可见的控制字符，请删除后重试";
    Range = "range", 422, Field, "Out of range", "数值超出允许范围";
    Invalid = "invalid", 422, Field, "Invalid", "无效";
    AttachmentRequired = "attachment_required", 422, Field, "Attach the stamped form before submitting", "提交前请上传盖章申报书";
}

impl ProblemCode {
    /// Whether the code may be the `code` of a whole problem document.
    pub const fn is_problem(self) -> bool {
        !matches!(self.kind(), CodeKind::Field)
    }

    /// Whether the code may be the `code` of a field inside `errors[]`.
    pub const fn is_field(self) -> bool {
        !matches!(self.kind(), CodeKind::Problem)
    }
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ProblemCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<ProblemCode> for &str {
    fn eq(&self, other: &ProblemCode) -> bool {
        *self == other.as_str()
    }
}

impl serde::Serialize for ProblemCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ProblemCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        ProblemCode::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown problem code `{s}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_is_unique_snake_case_and_titled_in_both_languages() {
        let mut seen = HashSet::new();
        for c in ProblemCode::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{s} is not snake_case"
            );
            assert!(
                !c.title_en().is_empty() && !c.title_zh().is_empty(),
                "{s} untitled"
            );
            assert!(
                !c.title_zh().is_ascii(),
                "{s}: the Chinese title is not Chinese"
            );
            assert_eq!(ProblemCode::parse(s), Some(*c));
        }
    }

    #[test]
    fn statuses_are_client_or_server_errors_and_field_codes_answer_422() {
        for c in ProblemCode::ALL {
            assert!((400..600).contains(&c.status()), "{c}");
            if c.kind() == CodeKind::Field {
                assert_eq!(c.status(), 422, "{c}");
            }
        }
    }

    #[test]
    fn codes_print_as_their_wire_strings() {
        assert_eq!(ProblemCode::LetterExpired.to_string(), "letter_expired");
        assert!(ProblemCode::parse("no_such_code").is_none());
        assert_eq!(ProblemCode::NotYourOrganization.status(), 403);
    }
}
