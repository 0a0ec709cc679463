//! zh-CN (the default) and English: every label, every value the API names by code, and
//! every error code the API answers with. A code missing here falls back to the service's
//! own sentence, never to raw JSON.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// (key, 中文, English).
const TEXTS: &[(&str, &str, &str)] = &[
    // navigation and common words
    (
        "brand",
        "智惠 · 科技志愿服务",
        "Zhihui · S&T volunteer service",
    ),
    ("nav.activities", "活动", "Activities"),
    ("nav.verify", "证书核验", "Verify a certificate"),
    ("nav.me", "我的", "Me"),
    ("nav.orgs", "我管理的组织", "My organisations"),
    ("nav.platform", "平台管理", "Platform"),
    ("nav.sign_in", "登录", "Sign in"),
    ("nav.sign_out", "退出", "Sign out"),
    ("nav.register", "志愿者注册", "Register as a volunteer"),
    ("nav.register_org", "组织注册", "Register an organisation"),
    ("nav.lang", "English", "中文"),
    ("loading", "正在加载…", "Loading…"),
    ("empty", "暂无内容", "Nothing here yet"),
    ("more", "加载更多", "Load more"),
    ("retry", "重试", "Try again"),
    ("save", "保存", "Save"),
    ("submit", "提交", "Submit"),
    ("cancel", "取消", "Cancel"),
    ("search", "搜索", "Search"),
    ("all", "全部", "All"),
    ("working", "处理中…", "Working…"),
    ("done", "已完成", "Done"),
    ("back", "返回", "Back"),
    ("select_all", "全选", "Select all"),
    ("optional", "（选填）", "(optional)"),
    ("not_found_page", "页面不存在", "This page does not exist"),
    (
        "forbidden_page",
        "您无权查看此页面",
        "You may not see this page",
    ),
    // sign in and registration
    ("sign_in.title", "登录", "Sign in"),
    (
        "field.login",
        "账号（手机号或邮箱）",
        "Login (mobile number or e-mail)",
    ),
    ("field.password", "密码", "Password"),
    ("field.display_name", "昵称", "Display name"),
    (
        "register.title",
        "志愿者实名注册",
        "Register as a volunteer",
    ),
    ("register.account", "账号", "Account"),
    ("register.person", "实名信息", "Real-name details"),
    ("register.signed_in_as", "已登录账号：", "Signed in as "),
    ("field.name", "姓名", "Name"),
    ("field.id_number", "居民身份证号", "Resident ID number"),
    ("field.phone", "手机号", "Mobile number"),
    ("field.region_code", "居住地区", "Region"),
    (
        "field.skills",
        "专业技能（用顿号分隔）",
        "Skills (separated by 、)",
    ),
    ("field.service_categories", "服务类别", "Service categories"),
    (
        "field.consent",
        "我已阅读并同意《科技志愿者服务协议》及个人信息处理规则",
        "I have read and accept the volunteer agreement and the personal data rules",
    ),
    ("field.organization_ids", "申请加入的团队", "Teams to join"),
    (
        "register.team_search",
        "搜索团队名称",
        "Search teams by name",
    ),
    (
        "register.done",
        "注册成功，入队申请已提交，等待团队管理员审核。",
        "Registered. Your requests to join are waiting for the teams' admins.",
    ),
    ("region.province", "省", "Province"),
    ("region.city", "市", "City"),
    ("region.county", "区县", "County"),
    ("region.choose", "请选择", "Choose"),
    // activities
    ("activities.title", "志愿服务活动", "Volunteer activities"),
    (
        "activities.search",
        "活动名称、地点或组织",
        "Title, place or organisation",
    ),
    ("activities.region", "地区", "Region"),
    ("activities.category", "类别", "Category"),
    ("activity.when", "时间", "When"),
    ("activity.place", "地点", "Place"),
    ("activity.org", "发布组织", "Organiser"),
    ("activity.places", "名额", "Places"),
    ("activity.places_left", "剩余名额", "Places left"),
    ("activity.waitlist", "候补人数", "On the waiting list"),
    ("activity.status", "状态", "Status"),
    ("activity.sign_up", "报名参加", "Sign up"),
    ("activity.cancel_sign_up", "取消报名", "Withdraw"),
    ("activity.signed_up", "已报名", "Signed up"),
    (
        "activity.waitlisted_at",
        "候补第 {} 位",
        "Waiting list: place {}",
    ),
    ("activity.checked_in", "已签到", "Checked in"),
    ("activity.publish", "发布活动", "Publish"),
    ("activity.check_in_code", "签到码", "Check-in code"),
    ("activity.show_code", "显示签到码", "Show the check-in code"),
    (
        "activity.code_rotates",
        "签到码将于 {} 更新",
        "The code changes at {}",
    ),
    (
        "activity.participants",
        "报名人员与考勤",
        "Participants and attendance",
    ),
    (
        "activity.confirm_selected",
        "确认所选人员服务时长",
        "Confirm hours for the selected",
    ),
    (
        "activity.confirm_all",
        "确认全部签到人员服务时长",
        "Confirm hours for everyone who attended",
    ),
    ("activity.hours", "服务时长", "Hours"),
    (
        "activity.issue_certificate",
        "开具证明",
        "Issue a certificate",
    ),
    (
        "activity.sign_in_to_sign_up",
        "登录后报名",
        "Sign in to sign up",
    ),
    (
        "activity.register_first",
        "请先完成志愿者实名注册",
        "Register as a volunteer first",
    ),
    ("activity.leaders", "活动负责人", "Leaders"),
    ("activity.absent", "缺勤", "Absent"),
    ("activity.mark_present", "补记出勤", "Record as present"),
    ("activity.mark_absent", "记为缺勤", "Record as absent"),
    (
        "activity.attendance_reason",
        "补记或更正考勤的理由",
        "Reason for recording attendance by hand",
    ),
    (
        "rollup.chart_month_activities",
        "本年度各月活动场次",
        "Activities by month this year",
    ),
    ("activity.create", "新建活动", "New activity"),
    ("activity.description", "活动内容", "Description"),
    ("activity.starts_at", "开始时间", "Starts"),
    ("activity.ends_at", "结束时间", "Ends"),
    ("activity.capacity", "招募人数", "Capacity"),
    ("activity.members_only", "仅限本团队成员", "Members only"),
    ("activity.title_field", "活动名称", "Title"),
    ("activity.created", "活动草稿已保存", "The draft was saved"),
    ("check_in.title", "扫码签到", "Check in"),
    ("check_in.code", "签到码", "Check-in code"),
    ("check_in.activity", "活动", "Activity"),
    ("check_in.button", "签到", "Check in"),
    ("check_in.out", "签退", "Check out"),
    ("check_in.ok", "签到成功", "Checked in"),
    ("check_out.ok", "签退成功", "Checked out"),
    // volunteer's own pages
    ("me.title", "我的志愿服务", "My volunteer service"),
    ("me.summary", "服务时长与星级", "Hours and star level"),
    ("me.total_hours", "累计服务时长", "Total hours"),
    ("me.this_year", "本年度", "This year"),
    ("me.stars", "星级", "Stars"),
    ("me.to_next", "距下一星级还需", "To the next star"),
    (
        "me.activities",
        "我的活动与报名",
        "My activities and sign-ups",
    ),
    (
        "me.certificates",
        "我的志愿服务记录证明",
        "My service certificates",
    ),
    ("me.download", "下载 PDF", "Download PDF"),
    ("me.teams", "我的团队", "My teams"),
    (
        "me.no_profile",
        "您还没有完成志愿者实名注册。",
        "You have not registered as a volunteer yet.",
    ),
    ("me.volunteer_number", "志愿者编号", "Volunteer number"),
    // certificates
    (
        "verify.title",
        "志愿服务记录证明核验",
        "Verify a service certificate",
    ),
    ("verify.number", "证明编号", "Certificate number"),
    ("verify.button", "核验", "Verify"),
    ("verify.valid", "证明有效", "This certificate is valid"),
    (
        "verify.revoked",
        "证明已撤销",
        "This certificate was revoked",
    ),
    ("cert.hours", "服务时长", "Hours"),
    ("cert.period", "服务期间", "Period"),
    ("cert.issuer", "出具单位", "Issued by"),
    ("cert.issued", "出具日期", "Issued on"),
    // organisations
    ("orgs.title", "我管理的组织", "Organisations I administer"),
    (
        "orgs.none",
        "您还不是任何组织的管理员。",
        "You are not an admin of any organisation.",
    ),
    ("org.members", "成员与入队申请", "Members and join requests"),
    ("org.activities", "活动管理", "Activities"),
    ("org.reports", "月度报告", "Monthly reports"),
    ("org.rollup", "统计汇总", "Roll-up"),
    ("org.letters", "结对函件", "Pairing letters"),
    ("org.children", "下级组织", "Child organisations"),
    ("org.approve", "通过", "Approve"),
    ("org.reject", "驳回", "Reject"),
    ("org.approve_selected", "批量通过", "Approve selected"),
    ("org.reject_selected", "批量驳回", "Reject selected"),
    ("org.reject_reason", "驳回理由", "Reason for rejecting"),
    ("org.pending", "待审核", "Pending"),
    ("org.requested_at", "申请时间", "Requested"),
    ("org.register_title", "组织注册", "Register an organisation"),
    ("org.name", "组织名称", "Name"),
    ("org.category", "组织类别", "Category"),
    ("org.level", "层级", "Level"),
    ("org.parent", "上级组织", "Parent organisation"),
    (
        "org.credit_code",
        "统一社会信用代码",
        "Unified social credit code",
    ),
    ("org.contact_name", "联系人", "Contact person"),
    ("org.contact_phone", "联系电话", "Contact phone"),
    ("org.address", "地址", "Address"),
    (
        "org.registered",
        "组织已提交注册，等待上级组织审核。",
        "Registered; waiting for the parent organisation's approval.",
    ),
    ("org.members_count", "已审核成员", "Approved members"),
    // reports and roll-up
    ("report.month", "报告月份", "Month"),
    ("report.prepare", "生成月报草稿", "Prepare the report"),
    ("report.figures", "自动统计数据", "Figures from the records"),
    ("report.activities_held", "开展活动", "Activities held"),
    ("report.attendances", "参与人次", "Attendances"),
    ("report.service_hours", "服务时长", "Service hours"),
    ("report.new_volunteers", "新增志愿者", "New volunteers"),
    ("report.people_served", "服务群众人数", "People served"),
    ("report.narrative", "工作开展情况", "What was done"),
    ("report.highlights", "亮点工作", "Highlights"),
    ("report.problems", "存在问题", "Problems"),
    ("report.next_plan", "下月计划", "Next month's plan"),
    ("report.submit", "提交月报", "Submit the report"),
    ("report.returned_reason", "退回理由", "Returned because"),
    ("report.due", "按时提交截止", "On time until"),
    ("report.saved", "月报已保存", "Saved"),
    ("rollup.from", "起始月份", "From"),
    ("rollup.to", "截止月份", "To"),
    ("rollup.show", "查询", "Show"),
    ("rollup.export", "导出 Excel", "Export to Excel"),
    ("rollup.unit", "单位", "Unit"),
    ("rollup.orgs", "组织数", "Organisations"),
    ("rollup.filed", "已报", "Filed"),
    ("rollup.missing", "未报", "Missing"),
    ("rollup.late", "迟报", "Late"),
    ("rollup.total", "合计", "Total"),
    ("rollup.not_reported", "未报送单位", "Not reported"),
    (
        "rollup.chart_hours",
        "服务时长（按下级单位）",
        "Hours by unit",
    ),
    (
        "rollup.chart_activities",
        "活动场次（按下级单位）",
        "Activities by unit",
    ),
    (
        "rollup.chart_months",
        "本年度各月服务时长",
        "Hours by month this year",
    ),
    // pairing letters
    ("letters.inbox", "收件箱", "Inbox"),
    ("letters.outbox", "发件箱", "Outbox"),
    ("letters.compose", "撰写结对函", "Write a pairing letter"),
    (
        "letters.recipient",
        "结对对象（县级单位）",
        "Recipient (county)",
    ),
    ("letters.subject", "主题", "Subject"),
    ("letters.purpose", "结对目的与内容", "Purpose"),
    ("letters.what", "拟开展活动", "Proposed activity"),
    ("letters.month", "活动月份", "Month of the activity"),
    ("letters.period_from", "结对开始日期", "From"),
    ("letters.period_to", "结对结束日期", "To"),
    ("letters.send", "发送", "Send"),
    ("letters.save_draft", "保存草稿", "Save draft"),
    ("letters.accept", "接受结对", "Accept"),
    ("letters.decline", "婉拒", "Decline"),
    ("letters.decline_reason", "婉拒理由", "Reason for declining"),
    ("letters.proof", "结对证明编号", "Proof number"),
    ("letters.from", "来函单位", "From"),
    ("letters.to", "收函单位", "To"),
    ("letters.withdraw", "撤回", "Withdraw"),
    // platform
    (
        "platform.pending",
        "待审核的组织",
        "Organisations waiting for approval",
    ),
    ("platform.national", "全国统计汇总", "National roll-up"),
    // status words
    ("status.draft", "草稿", "Draft"),
    ("status.published", "已发布", "Published"),
    ("status.cancelled", "已取消", "Cancelled"),
    ("status.confirmed", "已确认", "Confirmed"),
    ("status.waitlisted", "候补中", "On the waiting list"),
    ("status.pending", "待审核", "Pending"),
    ("status.approved", "已通过", "Approved"),
    ("status.rejected", "已驳回", "Rejected"),
    ("status.left", "已退出", "Left"),
    ("status.suspended", "已暂停", "Suspended"),
    ("status.sent", "已发送", "Sent"),
    ("status.accepted", "已接受", "Accepted"),
    ("status.declined", "已婉拒", "Declined"),
    ("status.withdrawn", "已撤回", "Withdrawn"),
    ("status.expired", "已过期", "Expired"),
    ("status.submitted", "已提交", "Submitted"),
    ("status.returned", "已退回", "Returned"),
    ("status.valid", "有效", "Valid"),
    ("status.revoked", "已撤销", "Revoked"),
    ("status.not_due", "未到期", "Not due"),
    ("status.missing", "未报", "Missing"),
    // activity categories (rule 17)
    (
        "category.technical_service",
        "技术服务",
        "Technical service",
    ),
    ("category.livelihood", "民生服务", "Livelihood"),
    (
        "category.science_popularisation",
        "科普服务",
        "Science popularisation",
    ),
    ("category.emergency", "应急服务", "Emergency"),
    ("category.professional", "专业服务", "Professional"),
    // organisation categories and levels
    (
        "org_category.national_society",
        "全国学会",
        "National society",
    ),
    (
        "org_category.provincial_society",
        "省级学会",
        "Provincial society",
    ),
    (
        "org_category.municipal_society",
        "市级学会",
        "Municipal society",
    ),
    (
        "org_category.provincial_association",
        "省级科协",
        "Provincial association",
    ),
    (
        "org_category.city_association",
        "市级科协",
        "City association",
    ),
    (
        "org_category.county_association",
        "县级科协",
        "County association",
    ),
    (
        "org_category.county_volunteer_federation",
        "县级科技志愿服务联合会",
        "County volunteer federation",
    ),
    ("org_category.university", "高校", "University"),
    ("org_category.enterprise", "企业", "Enterprise"),
    (
        "org_category.rural_technical_association",
        "农村专业技术协会",
        "Rural technical association",
    ),
    ("org_category.youth", "青年科技志愿服务队", "Youth team"),
    (
        "org_category.science_caravan",
        "科普大篷车",
        "Science caravan",
    ),
    (
        "org_category.science_education_base",
        "科普教育基地",
        "Science education base",
    ),
    ("org_category.other", "其他", "Other"),
    ("level.national", "全国", "National"),
    ("level.province", "省级", "Province"),
    ("level.city", "市级", "City"),
    ("level.county", "县级", "County"),
    ("level.grassroots", "基层", "Grassroots"),
    // bulk import
    (
        "import.title",
        "批量导入志愿者",
        "Bulk import of volunteers",
    ),
    ("import.template", "下载导入模板", "Download the template"),
    (
        "import.file",
        "选择填好的文件（CSV 或 XLSX）",
        "Choose the filled-in file (CSV or XLSX)",
    ),
    ("import.rows", "共", "Rows"),
    ("import.created", "新增", "Created"),
    ("import.already", "已是成员", "Members already"),
    ("import.failed", "有误", "Refused"),
    ("import.row", "行号", "Row"),
    ("import.column", "列", "Column"),
    ("import.reason", "原因", "Reason"),
    // calls and applications
    ("nav.applications", "项目申报", "Applications"),
    ("org.applications", "项目申报", "Applications"),
    ("apps.title", "项目申报与评审", "Applications and reviews"),
    ("apps.calls", "正在开放的申报指南", "Open calls"),
    (
        "apps.mine",
        "本组织的申报书",
        "This organisation's applications",
    ),
    ("apps.apply", "填写申报书", "Apply"),
    ("apps.closes", "截止时间", "Closes"),
    ("apps.opens", "开始时间", "Opens"),
    ("apps.cap", "资助上限", "Cap"),
    ("apps.project_title", "项目名称", "Project title"),
    ("apps.summary", "项目简介", "Summary"),
    ("apps.objectives", "项目目标", "Objectives"),
    ("apps.budget", "经费预算", "Budget"),
    ("apps.item", "支出项目", "Item"),
    ("apps.amount", "金额（元）", "Amount (yuan)"),
    ("apps.note", "说明", "Note"),
    ("apps.add_line", "增加预算行", "Add a line"),
    ("apps.remove_line", "删除", "Remove"),
    (
        "apps.requested",
        "申请资助金额（元）",
        "Amount requested (yuan)",
    ),
    (
        "apps.granted",
        "批准资助金额（元）",
        "Amount granted (yuan)",
    ),
    (
        "apps.partner",
        "参与的省级学会",
        "Provincial society taking part",
    ),
    (
        "apps.partner_hint",
        "（全国学会申报时填写）",
        "(for a national society)",
    ),
    (
        "apps.partner_role",
        "省级学会承担的工作",
        "What the provincial society does",
    ),
    ("apps.contact_role", "联系人职责", "Contact's role"),
    ("apps.attachments", "附件", "Attachments"),
    (
        "apps.attach",
        "上传盖章申报书（PDF、JPEG 或 PNG）",
        "Attach the stamped form (PDF, JPEG or PNG)",
    ),
    ("apps.edit", "修改申报书", "Edit"),
    ("apps.returned", "退回修改理由", "Returned for revision"),
    ("apps.decision_reason", "决定理由", "Reason"),
    ("apps.average", "评审平均分", "Average score"),
    ("apps.history", "办理记录", "History"),
    ("apps.review", "评审打分", "Review"),
    ("apps.weighted", "加权得分", "Weighted score"),
    ("apps.comment", "评审意见", "Comment"),
    ("apps.decide", "评审决定", "Decision"),
    ("apps.new_call", "发布申报指南", "Publish a call"),
    ("apps.programme", "项目名称", "Programme"),
    ("apps.sub_project", "子项目", "Sub-project"),
    ("apps.year", "年度", "Year"),
    ("apps.eligible", "可申报组织类别", "Eligible categories"),
    ("apps.variant", "申报书样式", "Form"),
    (
        "apps.pairing_required",
        "须有结对证明",
        "A pairing is required",
    ),
    (
        "apps.endorsement_required",
        "须经省级推荐",
        "Provincial endorsement required",
    ),
    ("apps.summary_due", "结项报告截止日期", "Summary report due"),
    (
        "apps.criteria",
        "评审指标（每行“名称:权重”）",
        "Criteria (one \"name:weight\" a line)",
    ),
    ("decision.approve", "批准立项", "Approve"),
    ("decision.reject", "不予立项", "Reject"),
    ("decision.return", "退回修改", "Return for revision"),
    ("variant.society", "学会版", "Society"),
    (
        "variant.county_volunteer_federation",
        "县级科技志愿服务联合会版",
        "County volunteer federation",
    ),
    ("variant.hub_centre", "服务中心版", "Hub centre"),
    ("status.endorsed", "已推荐", "Endorsed"),
    ("status.endorsement_declined", "未获推荐", "Not endorsed"),
    ("event.created", "创建", "Created"),
    ("event.updated", "修改", "Updated"),
    ("event.attachment_added", "上传附件", "Attachment added"),
    ("event.submitted", "提交", "Submitted"),
    ("event.endorsed", "推荐", "Endorsed"),
    ("event.endorsement_declined", "不予推荐", "Not endorsed"),
    (
        "event.reviewers_assigned",
        "分配评审专家",
        "Reviewers assigned",
    ),
    ("event.resubmitted", "重新提交", "Resubmitted"),
    ("event.approved", "批准", "Approved"),
    ("event.rejected", "不予立项", "Rejected"),
    ("event.returned", "退回修改", "Returned"),
    (
        "event.summary_submitted",
        "提交结项报告",
        "Summary submitted",
    ),
    (
        "error.amount",
        "请填写有效金额（最多两位小数）",
        "Enter an amount (at most two decimals)",
    ),
    (
        "error.attachment_required",
        "提交前请上传盖章申报书",
        "Attach the stamped form before submitting",
    ),
    (
        "error.application_exists",
        "本组织已申报该指南",
        "This organisation has applied to this call already",
    ),
    (
        "error.above_cap",
        "申请金额超过资助上限",
        "Above the call's cap",
    ),
    (
        "error.budget_line_above_cap",
        "单项预算超过资助上限",
        "One budget line is above the call's cap",
    ),
    (
        "error.control_character",
        "含有不可见的控制字符，请删除后重试",
        "Holds an invisible control character; remove it and try again",
    ),
    (
        "error.too_many_rows",
        "文件行数超过上限，请拆分为多个文件",
        "The file has too many rows; split it into several files",
    ),
    (
        "error.workbook_too_large",
        "工作簿解压后过大，请只保留模板工作表",
        "The workbook unpacks too large; keep only the template's sheet",
    ),
    (
        "error.import_too_slow",
        "文件读取超时，请拆分为多个文件",
        "The file took too long to read; split it into several files",
    ),
    (
        "error.cell_too_long",
        "单元格内容过长（最多 1000 字）",
        "A cell is too long (at most 1,000 characters)",
    ),
    ("error.review_closed", "评审已结束", "Reviewing has closed"),
    (
        "error.endorsement_quota_reached",
        "本省推荐名额已满",
        "The province's endorsements are used up",
    ),
    // errors the page itself produces
    ("error.required", "此项为必填项", "This field is required"),
    (
        "error.network",
        "无法连接服务，请检查网络后重试",
        "The service could not be reached; check the connection and try again",
    ),
    (
        "error.unexpected_answer",
        "服务返回了无法识别的内容",
        "The service answered with something unexpected",
    ),
    (
        "error.unexpected",
        "出现错误，请稍后重试",
        "Something went wrong; please try again",
    ),
    (
        "error.consent",
        "请先阅读并同意服务协议",
        "Accept the agreement first",
    ),
    (
        "error.choose_team",
        "请至少选择一个团队",
        "Choose at least one team",
    ),
    (
        "error.choose_recipient",
        "请选择结对对象",
        "Choose the recipient",
    ),
    (
        "error.nothing_selected",
        "请先选择人员",
        "Select someone first",
    ),
    // error codes from the domain parsers
    (
        "error.id_number_length",
        "身份证号应为 18 位",
        "A resident ID number has 18 characters",
    ),
    (
        "error.id_number_characters",
        "身份证号由 17 位数字和 1 位数字或 X 组成",
        "17 digits followed by a digit or X",
    ),
    (
        "error.id_number_province",
        "身份证号前两位不是有效的省份代码",
        "The first two digits are not a province code",
    ),
    (
        "error.id_number_checksum",
        "身份证号校验位不正确，请核对",
        "The check character does not match; please check the number",
    ),
    (
        "error.id_number_birth_date",
        "身份证号中的出生日期无效",
        "Digits 7 to 14 are not a real date",
    ),
    (
        "error.phone_format",
        "手机号应为 11 位数字",
        "A mobile number has 11 digits",
    ),
    (
        "error.phone_prefix",
        "手机号号段无效",
        "Not an allocated mobile network prefix",
    ),
    (
        "error.credit_code_length",
        "统一社会信用代码应为 18 位",
        "A credit code has 18 characters",
    ),
    (
        "error.credit_code_characters",
        "统一社会信用代码含有不允许的字符",
        "The credit code holds characters that are not allowed",
    ),
    (
        "error.credit_code_checksum",
        "统一社会信用代码校验位不正确",
        "The credit code's check character does not match",
    ),
    (
        "error.region_code_format",
        "地区代码应为 6 位数字",
        "A region code has six digits",
    ),
    (
        "error.region_code_province",
        "地区代码前两位不是有效的省份代码",
        "The first two digits are not a province code",
    ),
    (
        "error.login_format",
        "请填写手机号或电子邮箱",
        "Use a mobile number or an e-mail address",
    ),
    (
        "error.password_too_short",
        "密码至少 8 位",
        "At least 8 characters",
    ),
    (
        "error.password_too_long",
        "密码最多 128 位",
        "At most 128 characters",
    ),
    (
        "error.password_too_weak",
        "密码需同时包含字母和数字",
        "At least one letter and one digit",
    ),
    (
        "error.person_name_length",
        "姓名为 2 至 50 个字符",
        "A name has 2 to 50 characters",
    ),
    (
        "error.person_name_characters",
        "姓名只能包含文字、空格和间隔号",
        "Letters, spaces and the middle dot only",
    ),
    ("error.length", "长度不符合要求", "Wrong length"),
    ("error.range", "数值超出允许范围", "Out of range"),
    // error codes from the service
    (
        "error.validation_failed",
        "请检查标红的字段",
        "Please correct the marked fields",
    ),
    ("error.forbidden", "您无权执行此操作", "You may not do this"),
    ("error.not_found", "未找到", "Not found"),
    ("error.route_not_found", "未找到", "Not found"),
    (
        "error.version_mismatch",
        "内容已被他人修改，请刷新后重试",
        "Someone else changed this; reload and try again",
    ),
    (
        "error.service_unavailable",
        "服务暂时不可用，请稍后重试",
        "The service is unavailable for a moment; try again shortly",
    ),
    (
        "error.internal_error",
        "服务内部错误，请稍后重试",
        "The service failed; please try again",
    ),
    (
        "error.rate_limited",
        "操作过于频繁，请稍后再试",
        "Too many attempts; wait a little",
    ),
    (
        "error.authentication_required",
        "请先登录",
        "Please sign in",
    ),
    (
        "error.invalid_token",
        "登录已过期，请重新登录",
        "Your session has ended; sign in again",
    ),
    (
        "error.invalid_refresh_token",
        "登录已过期，请重新登录",
        "Your session has ended; sign in again",
    ),
    (
        "error.invalid_credentials",
        "账号或密码不正确",
        "Wrong login or password",
    ),
    (
        "error.login_locked",
        "密码错误次数过多，账号暂时锁定",
        "Too many failed attempts; the account is locked for a while",
    ),
    ("error.login_taken", "该账号已被注册", "This login is taken"),
    (
        "error.too_many_conflicts",
        "注册被拒绝的次数过多，请稍后再试或联系平台客服",
        "Too many registrations were refused; try again later or contact the service desk",
    ),
    (
        "error.duplicate_id_number",
        "该身份证号无法在此注册；如为本人证件，请联系平台客服",
        "This ID number cannot be registered here; if it is yours, contact the service desk",
    ),
    (
        "error.volunteer_profile_exists",
        "您已完成志愿者注册",
        "You have registered already",
    ),
    (
        "error.volunteer_not_registered",
        "请先完成志愿者实名注册",
        "Register as a volunteer first",
    ),
    (
        "error.membership_limit_reached",
        "最多同时加入 5 个团队",
        "You are in as many teams as allowed",
    ),
    (
        "error.already_member",
        "已是该团队成员或已提交申请",
        "Already a member or asked already",
    ),
    (
        "error.membership_not_pending",
        "该申请已处理",
        "This request was decided already",
    ),
    (
        "error.organization_not_approved",
        "该组织尚未通过审核",
        "This organisation is not approved yet",
    ),
    (
        "error.organization_not_pending",
        "该组织已审核",
        "This organisation was decided already",
    ),
    (
        "error.duplicate_organization_name",
        "该组织名称已注册",
        "This name is registered already",
    ),
    (
        "error.duplicate_credit_code",
        "该统一社会信用代码已注册",
        "This credit code is registered already",
    ),
    (
        "error.admin_seat_cap_reached",
        "管理员席位已满",
        "No admin seat left",
    ),
    (
        "error.last_admin",
        "不能移除最后一位管理员",
        "The last admin cannot be removed",
    ),
    ("error.already_admin", "已是管理员", "Already an admin"),
    (
        "error.already_signed_up",
        "您已报名该活动",
        "You have signed up already",
    ),
    (
        "error.overlapping_sign_up",
        "您已报名同一时段的其他活动",
        "You have signed up for another activity at that time",
    ),
    ("error.sign_up_closed", "报名已截止", "Sign-up has closed"),
    (
        "error.sign_up_not_open_yet",
        "报名尚未开始",
        "Sign-up has not opened yet",
    ),
    (
        "error.activity_not_open",
        "活动未发布或已取消",
        "The activity is not open",
    ),
    (
        "error.activity_cancelled",
        "活动已取消",
        "The activity was cancelled",
    ),
    (
        "error.activity_started",
        "活动已开始",
        "The activity has started",
    ),
    (
        "error.activity_ended",
        "活动已结束",
        "The activity has ended",
    ),
    (
        "error.activity_not_ended",
        "活动结束后才能确认服务时长",
        "Hours are confirmed after the activity ends",
    ),
    (
        "error.activity_status",
        "活动当前状态不允许此操作",
        "Not possible in the activity's state",
    ),
    (
        "error.capacity_below_sign_ups",
        "招募人数不能少于已报名人数",
        "Capacity below the sign-ups",
    ),
    (
        "error.check_in_closed",
        "不在签到时间内（活动开始前 1 小时至结束后 1 小时）",
        "Check-in is open from an hour before the start to an hour after the end",
    ),
    ("error.already_checked_in", "已签到", "Checked in already"),
    (
        "error.not_signed_up",
        "您未报名该活动",
        "You have not signed up for this activity",
    ),
    (
        "error.waitlisted",
        "您在候补名单中，不能签到",
        "You are on the waiting list",
    ),
    (
        "error.hours_confirmed",
        "服务时长已确认",
        "Hours confirmed already",
    ),
    (
        "error.hours_being_confirmed",
        "服务时长正在确认中，请稍后",
        "Hours are being confirmed; try again shortly",
    ),
    (
        "error.confirmation_window_closed",
        "已超过服务时长确认期限",
        "The time for confirming hours has passed",
    ),
    (
        "error.correction_reason_required",
        "修改服务时长需填写理由",
        "A correction needs a reason",
    ),
    (
        "error.no_recorded_hours",
        "该志愿者在本组织没有服务记录",
        "No hours recorded by this organisation",
    ),
    (
        "error.certificate_revoked",
        "证明已撤销",
        "The certificate was revoked",
    ),
    (
        "error.certificate_not_found",
        "未找到该编号的证明",
        "No certificate has this number",
    ),
    (
        "error.month_outside_period",
        "拟开展活动的月份应在结对期间内",
        "A proposed activity falls within the pairing period",
    ),
    ("error.already_paired", "双方已结对", "Already paired"),
    (
        "error.report_status",
        "月报当前状态不允许此操作",
        "Not possible in the report's state",
    ),
    (
        "error.application_status",
        "申报书当前状态不允许此操作",
        "Not possible in the application's state",
    ),
    (
        "error.registered_elsewhere",
        "此人已在其他团队注册",
        "Registered with another team",
    ),
    (
        "error.payload_too_large",
        "文件过大",
        "The file is too large",
    ),
    (
        "error.pdf_font_missing",
        "证书字体尚未安装，暂时无法生成 PDF",
        "The certificate font is missing; PDFs cannot be printed yet",
    ),
];

/// The text for `key`; the key itself when missing (a visible slip, not a blank).
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    lookup(lang, key).unwrap_or(key)
}

fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    TEXTS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, zh, en)| match lang {
            Lang::Zh => *zh,
            Lang::En => *en,
        })
}

/// A value the API names by code (`status.draft`, `category.emergency`…), or the code.
pub fn label(lang: Lang, family: &str, code: &str) -> String {
    lookup(lang, &format!("{family}.{code}"))
        .map(str::to_string)
        .unwrap_or_else(|| code.to_string())
}

/// An error code's sentence; the service's own sentence when the code is not translated.
pub fn error_text(lang: Lang, code: &str, fallback: &str) -> String {
    lookup(lang, &format!("error.{code}"))
        .map(str::to_string)
        .unwrap_or_else(|| fallback.to_string())
}

/// `t` with one `{}` filled in.
pub fn fill(lang: Lang, key: &'static str, value: &str) -> String {
    t(lang, key).replacen("{}", value, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn every_key_has_both_languages_and_no_key_twice() {
        let mut seen = std::collections::HashSet::new();
        for (k, zh, en) in TEXTS {
            assert!(seen.insert(*k), "{k} twice");
            assert!(!zh.is_empty() && !en.is_empty(), "{k} empty");
        }
    }

    #[wasm_bindgen_test]
    fn codes_translate_and_unknown_codes_keep_the_service_sentence() {
        assert_eq!(
            error_text(Lang::Zh, "id_number_checksum", "x"),
            "身份证号校验位不正确，请核对"
        );
        assert_eq!(
            error_text(Lang::En, "no_such_code", "the service said so"),
            "the service said so"
        );
        assert_eq!(label(Lang::Zh, "status", "waitlisted"), "候补中");
        assert_eq!(label(Lang::En, "status", "brand_new"), "brand_new");
        assert_eq!(fill(Lang::Zh, "activity.waitlisted_at", "3"), "候补第 3 位");
    }
}
