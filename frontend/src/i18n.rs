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
    ("nav.sign_up", "创建账号", "Create an account"),
    (
        "sign_up.title",
        "创建账号（单位工作人员、评审专家）",
        "Create an account (organisation staff, reviewers)",
    ),
    (
        "sign_up.hint",
        "志愿者请走志愿者注册；单位工作人员创建账号后登记或加入本单位。",
        "Volunteers register as volunteers; organisation staff create an account, then register their organisation.",
    ),
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
    ("activity.find_leader", "按姓名查找成员", "Find a member by name"),
    ("org.confirm_approve_members", "通过所选的 {} 份入队申请？", "Approve the {} selected join requests?"),
    ("org.confirm_reject_members", "拒绝所选的 {} 份入队申请？拒绝后不可撤销。", "Reject the {} selected join requests? This cannot be undone."),
    ("org.confirm_approve", "通过该组织的注册？", "Approve this organisation's registration?"),
    ("org.confirm_reject", "驳回该组织的注册？", "Reject this organisation's registration?"),
    ("apps.confirm_endorse", "推荐该申报？推荐后不可撤销。", "Endorse this application? This cannot be undone."),
    ("apps.confirm_decline_endorsement", "不予推荐该申报？此决定不可撤销。", "Decline to endorse this application? This cannot be undone."),
    ("apps.confirm_decision", "提交该评审决定？提交后不可撤销。", "Record this decision? This cannot be undone."),
    ("reports.confirm_accept", "确认接收该月报？", "Accept this monthly report?"),
    ("toast.endorsed", "已推荐该申报", "Application endorsed"),
    ("toast.endorsement_declined", "已不予推荐，理由已告知申报单位", "Endorsement declined; the applicant sees the reason"),
    ("toast.reviewers_assigned", "评审专家已分配", "Reviewers assigned"),
    ("toast.decided", "评审决定已提交", "Decision recorded"),
    ("toast.members_approved", "所选入队申请已通过", "The selected join requests are approved"),
    ("toast.members_rejected", "所选入队申请已拒绝", "The selected join requests are rejected"),
    ("toast.organization_approved", "组织注册已通过", "Registration approved"),
    ("toast.organization_rejected", "组织注册已驳回", "Registration rejected"),
    ("toast.report_accepted", "月报已接收", "Report accepted"),
    ("toast.report_returned", "月报已退回，理由已告知填报单位", "Report returned; the unit sees the reason"),
    ("org.find_member", "按姓名或志愿者编号查找", "Find by name or volunteer number"),
    ("org.members_shown", "已显示 {} 人", "{} shown"),
    ("activity.add_leader", "添加", "Add"),
    ("activity.remove_leader", "移除", "Remove"),
    ("activity.no_member_matches", "没有匹配的成员", "No member matches"),
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
        "{}年各月活动场次（含全部下级）",
        "Activities by month in {}, all units below included",
    ),
    ("activity.create", "新建活动", "New activity"),
    ("activity.description", "活动内容", "Description"),
    ("activity.starts_at", "开始时间", "Starts"),
    ("activity.ends_at", "结束时间", "Ends"),
    ("activity.capacity", "招募人数", "Capacity"),
    ("activity.members_only", "仅限本团队成员", "Members only"),
    ("letters.edit", "修改草稿", "Edit the draft"),
    ("letters.saved", "草稿已保存", "The draft is saved"),
    ("activity.edit", "编辑活动", "Edit the activity"),
    ("activity.saved", "活动已保存", "The activity is saved"),
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
    ("me.join", "加入其他团队", "Join another team"),
    ("me.ask_to_join", "申请加入", "Ask to join"),
    ("me.leave", "退出团队", "Leave the team"),
    (
        "me.leave_confirm",
        "确定退出该团队吗？退出后需重新申请加入。",
        "Leave this team? To come back you will ask to join again.",
    ),
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
    ("org.region", "所在地区", "Region"),
    ("org.description", "简介", "Description"),
    ("org.profile", "单位信息", "Profile"),
    ("org.edit", "修改单位信息", "Edit the profile"),
    ("org.saved", "单位信息已保存", "The profile is saved"),
    ("org.resubmit", "重新提交审核", "Send for approval again"),
    (
        "org.resubmitted",
        "已重新提交，等待上级组织审核。",
        "Sent again; waiting for the parent organisation's approval.",
    ),
    ("org.rejected_because", "未通过审核，原因：", "Not approved, because: "),
    ("activity.region", "活动地区", "Region of the activity"),
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
    ("report.needs_served", "需求服务数", "Needs served"),
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
    ("rollup.trail", "汇总层级", "Roll-up levels"),
    ("nav.work", "工作台", "Workbench"),
    ("org.crumbs", "位置", "You are here"),
    ("org.switch", "切换组织", "Switch organisation"),
    ("org.menu", "菜单", "Menu"),
    ("work.title", "工作台", "Workbench"),
    ("work.waiting", "待办事项", "Waiting for you"),
    ("work.nothing", "暂无待办事项", "Nothing is waiting for you"),
    ("work_kind.join_requests", "入队申请待审核", "Join requests to decide"),
    ("work_kind.organizations_to_approve", "组织注册待审核", "Registrations to approve"),
    ("work_kind.letters_to_answer", "结对函待答复", "Pairing letters to answer"),
    ("work_kind.reports_to_accept", "月报待审核", "Monthly reports to accept"),
    ("work_kind.applications_to_endorse", "申报待推荐", "Applications to endorse"),
    ("work_kind.applications_to_decide", "申报待决定", "Applications to decide"),
    ("work_kind.reviews_to_write", "申报待评审", "Applications to review"),
    ("work_kind.hours_to_confirm", "活动服务时长待确认", "Activities with hours to confirm"),
    ("rollup.top", "顶层", "Top"),
    ("rollup.grid_by", "分布图着色依据", "Colour the grid by"),
    ("rollup.less", "少", "Less"),
    ("rollup.more", "多", "More"),
    ("rollup.own_year", "本单位{}年", "This unit in {}"),
    ("rollup.registered", "年末在册志愿者", "Registered volunteers at year end"),
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
        "{}年各月服务时长（含全部下级）",
        "Hours by month in {}, all units below included",
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
    ("apps.reviews", "评审意见", "Reviews"),
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
    ("letter_event.created", "起草", "Drafted"),
    ("letter_event.updated", "修改", "Updated"),
    ("letter_event.sent", "发函", "Sent"),
    ("letter_event.withdrawn", "撤回", "Withdrawn"),
    ("letter_event.accepted", "复函同意", "Accepted"),
    ("letter_event.declined", "复函婉拒", "Declined"),
    ("letter_event.expired", "逾期未复", "Expired"),
    (
        "error.amount",
        "请填写有效金额（最多两位小数）",
        "Enter an amount (at most two decimals)",
    ),
                                        ("webhook_event.membership.requested", "申请加入团队", "Join request"),
    ("webhook_event.membership.approved", "加入团队获批", "Join approved"),
    ("webhook_event.volunteer.imported", "批量导入志愿者", "Volunteers imported"),
    ("webhook_event.activity.published", "活动发布", "Activity published"),
    ("webhook_event.activity.cancelled", "活动取消", "Activity cancelled"),
    ("webhook_event.hours.confirmed", "服务时长确认", "Hours confirmed"),
    ("webhook_event.certificate.issued", "服务证明开具", "Certificate issued"),
    ("webhook_event.pairing_letter.sent", "结对函发出", "Pairing letter sent"),
    ("webhook_event.pairing_letter.accepted", "结对函接受", "Pairing letter accepted"),
    ("webhook_event.pairing_letter.declined", "结对函拒绝", "Pairing letter declined"),
    ("webhook_event.pairing_letter.expired", "结对函逾期未复", "Pairing letter expired"),
    ("webhook_event.application.submitted", "项目申报提交", "Application submitted"),
    ("webhook_event.application.endorsed", "省级科协推荐", "Application endorsed"),
    ("webhook_event.application.decided", "评审决定", "Application decided"),
    ("webhook_event.monthly_report.submitted", "月报提交", "Monthly report submitted"),
    ("webhook_event.monthly_report.returned", "月报退回", "Monthly report returned"),
    ("webhook_event.monthly_report.accepted", "月报通过", "Monthly report accepted"),
    ("webhook_event.webhook.ping", "测试推送", "Test delivery"),
    ("nav.needs", "需求对接", "Needs"),
    ("nav.hub", "服务汇中心", "Hub centres"),
    ("client_status.active", "有效", "Active"),
    ("client_status.revoked", "已吊销", "Revoked"),
    ("delivery.pending", "待送达", "Pending"),
    ("delivery.delivered", "已送达", "Delivered"),
    ("delivery.failed", "已放弃", "Failed"),
    ("org.integrations", "系统对接", "Integrations"),
    ("integrations.shown_once", "仅显示这一次，请立即复制保存；平台不保存明文。", "is shown this once: copy it now; the platform keeps no readable copy."),
    ("integrations.api_clients", "API 客户端", "API clients"),
    ("integrations.api_clients_hint", "供其他系统（如省级志愿服务平台）以本组织及下级组织的名义调用接口，按授权范围读写。", "For other systems (a provincial volunteer platform, say) calling the API for this organisation and those below it, within the scopes granted."),
    ("integrations.name", "名称", "Name"),
    ("integrations.status", "状态", "Status"),
    ("integrations.key_prefix", "密钥前缀", "Key prefix"),
    ("integrations.scopes", "授权范围", "Scopes"),
    ("integrations.last_used", "最近使用", "Last used"),
    ("integrations.rotate", "更换密钥", "Rotate secret"),
    ("integrations.revoke", "吊销", "Revoke"),
    ("integrations.new_client", "新建 API 客户端", "New API client"),
    ("integrations.create_client", "创建并显示密钥", "Create and show the key"),
    ("integrations.confirm_revoke", "吊销后使用该密钥的系统将立即无法调用，确定吗？", "Systems using this key stop working at once. Revoke it?"),
    ("integrations.confirm_rotate", "更换后旧密钥立即失效，确定吗？", "The old secret stops working at once. Rotate it?"),
    ("integrations.confirm_delete", "删除后不再推送，记录一并删除，确定吗？", "Deliveries stop and their history goes. Delete the endpoint?"),
    ("integrations.webhooks", "事件推送（Webhook）", "Webhooks"),
    ("integrations.webhooks_hint", "本组织及下级组织发生的事件，签名后推送到您的 https 地址；失败会在一天内自动重试。", "Events of this organisation and those below it, signed and sent to your https address; failures are retried for a day."),
    ("integrations.url", "接收地址", "Address"),
    ("integrations.description", "说明", "Description"),
    ("integrations.events", "推送事件", "Events"),
    ("integrations.active", "推送中", "Active"),
    ("integrations.paused", "已暂停", "Paused"),
    ("integrations.deliveries", "推送记录", "Deliveries"),
    ("integrations.edit", "修改", "Edit"),
    ("integrations.ping", "测试推送", "Send a test"),
    ("integrations.pause", "暂停", "Pause"),
    ("integrations.resume", "恢复", "Resume"),
    ("integrations.delete", "删除", "Delete"),
    ("integrations.new_webhook", "新建推送地址", "New webhook endpoint"),
    ("integrations.create_webhook", "创建并显示签名密钥", "Create and show the signing secret"),
    ("integrations.event", "事件", "Event"),
    ("integrations.attempts", "尝试", "Attempts"),
    ("integrations.last_error", "最近错误", "Last error"),
    ("integrations.created", "产生时间", "Created"),
    ("integrations.replay", "重新推送", "Send again"),
    ("integrations.no_attempts", "尚未尝试", "No attempt yet"),
    ("integrations.close", "关闭", "Close"),
    ("apps.endorsement", "省级科协推荐", "Provincial endorsement"),
    ("apps.endorsement_note", "推荐意见或不予推荐的理由", "Endorsement note, or the reason to decline"),
    ("apps.endorse", "推荐", "Endorse"),
    ("apps.decline_endorsement", "不予推荐", "Decline to endorse"),
    ("apps.reviewers", "评审专家", "Reviewers"),
    ("apps.reviewed", "已评审", "reviewed"),
    ("apps.not_reviewed", "未评审", "not yet reviewed"),
    ("apps.find_reviewer", "按姓名或账号查找专家", "Find a reviewer by name or login"),
    ("apps.no_reviewer_matches", "没有匹配的账号", "No account matches"),
    ("apps.reviews_open", "待评", "open reviews"),
    ("apps.assign", "分配评审", "Assign reviewers"),
    ("apps.project_summary", "结项总结", "Project summary"),
    ("apps.summary_late", "结项总结晚于规定日期提交", "The summary was filed after its due date"),
    ("apps.export_xlsx", "导出 Excel", "Export Excel"),
    ("apps.export_csv", "导出 CSV", "Export CSV"),
    ("org.records", "服务记录", "Service records"),
    ("org.certificates", "服务证明", "Certificates"),
    ("org.recognition", "年度表彰", "Recognition"),
    ("org.pairings", "结对", "Pairings"),
    ("org.admins", "管理员", "Admins"),
    ("certs.title", "已开具的服务证明", "Certificates issued"),
    ("certs.number", "证明编号", "Number"),
    ("certs.hours", "服务时长（小时）", "Hours"),
    ("certs.issued", "开具日期", "Issued"),
    ("certs.revoke", "撤销", "Revoke"),
    ("certs.revoke_reason", "撤销理由", "Reason for revoking"),
    ("certs.period", "期间", "Period"),
    ("certs.activities", "次活动", "activities"),
    ("certs.content", "服务内容", "Service"),
    ("certs.verify", "公开核验", "Public verification"),
    ("certificate.valid", "有效", "Valid"),
    ("certificate.revoked", "已撤销", "Revoked"),
    ("records.title", "服务记录", "Service records"),
    ("records.total_hours", "合计时长（小时）", "Total hours"),
    ("records.date", "服务日期", "Date"),
    ("records.activity", "活动", "Activity"),
    ("recognition.title", "年度表彰候选", "Recognition candidates"),
    ("recognition.members", "成员", "Members"),
    ("recognition.activities", "活动次数", "Activities"),
    ("recognition.eligible", "团队达到表彰条件", "The team qualifies"),
    ("recognition.not_eligible", "团队尚未达到表彰条件", "The team does not qualify yet"),
    ("pairings.title", "本组织及下级的结对", "Pairings of this organisation and those below"),
    ("pairings.society", "学会", "Society"),
    ("pairings.county", "县域", "County"),
    ("pairings.since", "结对时间", "Paired on"),
    ("pairing.upcoming", "未开始", "Upcoming"),
    ("pairing.active", "进行中", "Active"),
    ("pairing.ended", "已结束", "Ended"),
    ("admins.title", "组织管理员", "Admins"),
    ("admins.revoke", "取消管理员", "Revoke"),
    ("admins.confirm_revoke", "取消该账号的管理员权限，确定吗？", "Revoke this account's admin rights?"),
    ("admins.confirm_revoke_self", "取消您自己的管理员权限？取消后您将不能再管理该组织。", "Give up your own admin rights? You will no longer run this organisation."),
    ("toast.admin_granted", "已设为管理员", "Admin rights granted"),
    ("toast.admin_revoked", "已取消管理员", "Admin rights revoked"),
    ("admins.login", "已批准成员的登录账号", "Login of an approved member"),
    ("admins.grant", "设为管理员", "Make admin"),
    ("reports.children", "下级组织待审核的月报", "Reports of the organisations below, waiting"),
    ("reports.organization", "组织", "Organisation"),
    ("reports.month", "月份", "Month"),
    ("reports.accept", "通过", "Accept"),
    ("reports.return", "退回", "Return"),
    ("reports.return_reason", "退回理由", "Reason for returning"),
    ("reports.photos", "活动照片", "Photos"),
    ("reports.add_photo", "添加照片（JPEG 或 PNG）", "Add a photo (JPEG or PNG)"),
    ("member.skills", "专业技能", "Skills"),
    ("member.categories", "服务类别", "Service categories"),
    ("activity.cancel", "取消活动", "Cancel the activity"),
    ("activity.cancel_reason", "取消理由（将告知已报名的志愿者）", "Reason (the volunteers signed up are told)"),
    ("calls.title", "申报指南", "Calls"),
    ("calls.closes_at", "截止时间", "Closes"),
    ("calls.summary_due", "结项总结截止", "Summary due"),
    ("call_state.upcoming", "未开始", "Upcoming"),
    ("call_state.open", "申报中", "Open"),
    ("call_state.closed", "已截止", "Closed"),
    ("region.chosen", "已选择", "Chosen:"),
    ("error.invalid_date", "日期格式不正确", "Not a date"),
    ("error.search_too_short", "请至少输入两个字再查找", "Type at least two characters to search"),
    ("import.errors_truncated", "仅列出前 1000 条错误；“失败”计数包含全部错误行", "Only the first 1,000 errors are listed; the failed count covers every bad row"),
    ("import.reread", "重新读取报告", "Read the report again"),
            // errors the page itself produces
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
                                                                                    // error codes from the service
        ("error.forbidden", "您无权执行此操作", "You may not do this"),
                                                                                                                                                                                                                            ];

/// Words of the staff screens that the volunteers' build never shows (integrations, needs, hub
/// centres), left out of that build to keep it small for phones.
#[cfg(feature = "staff")]
const STAFF_TEXTS: &[(&str, &str, &str)] = &[
    // The integrations screen's words.
    ("scope.organizations", "组织", "Organisations"),
    ("scope.volunteers", "志愿者", "Volunteers"),
    ("scope.activities", "活动", "Activities"),
    ("scope.records", "服务记录", "Service records"),
    ("scope.letters", "结对函", "Pairing letters"),
    ("scope.applications", "项目申报", "Applications"),
    ("scope.reports", "月度报告", "Monthly reports"),
    ("scope.needs", "需求对接", "Needs"),
    ("scope.hub", "科普服务汇中心", "Hub centres"),
    ("access.read", "只读", "read"),
    ("access.write", "读写", "read and write"),
    ("webhook_event.need.published", "需求发布", "Need published"),
    ("webhook_event.exhibition_stay.scheduled", "展览排期", "Exhibition placed"),
    ("webhook_event.exhibition_stay.cancelled", "展期取消", "Stay cancelled"),
    ("webhook_event.exhibition_stay.visits_recorded", "展期参观登记", "Visits recorded"),
    ("webhook_event.need.dispatched", "需求派单", "Need dispatched"),
    ("webhook_event.need.dispatch_accepted", "队伍接受派单", "Dispatch accepted"),
    ("webhook_event.need.dispatch_declined", "队伍拒绝派单", "Dispatch declined"),
    ("webhook_event.need.claimed", "队伍接单", "Need claimed"),
    ("webhook_event.need.scheduled", "需求已排期", "Need scheduled"),
    ("webhook_event.need.served", "需求服务完成", "Need served"),
    ("webhook_event.need.rated", "需求已评价", "Need rated"),
    ("webhook_event.need.cancelled", "需求取消", "Need cancelled"),
    ("webhook_event.need.expired", "需求逾期未满足", "Need expired unmet"),
    ("needs.title", "需求对接", "Needs"),
    ("needs.intro", "基层点单，上级派单或队伍接单，服务后由需求方评单。", "Villages post what they need; their county dispatches it or a team claims it; the requester rates the service."),
    ("needs.post", "发布需求", "Post a need"),
    ("needs.region", "地区", "Region"),
    ("needs.status", "需求状态", "Status"),
    ("needs.figures", "需求统计", "Figures"),
    ("needs.posted", "发布", "Posted"),
    ("needs.served", "已服务", "Served"),
    ("needs.unmet", "逾期未满足", "Unmet"),
    ("needs.median_days", "发布至排期（天，中位数）", "Days to schedule (median)"),
    ("needs.average_rating", "平均评价", "Average rating"),
    ("needs.priority", "重点地区", "Priority"),
    ("needs.requester", "需求单位", "Requester"),
    ("needs.topic", "需求主题", "Topic"),
    ("needs.skill_fields", "所需专业领域", "Skills wanted"),
    ("needs.skill_tags", "其他技能（用逗号分隔）", "Other skills (comma-separated)"),
    ("needs.audience", "服务对象", "Audience"),
    ("needs.audience_size", "服务人数", "People"),
    ("needs.county", "所在县（区）", "County"),
    ("needs.window", "期望时间", "Window"),
    ("needs.window_from", "期望开始日期", "Window from"),
    ("needs.window_to", "期望结束日期", "Window to"),
    ("needs.priority_area", "重点地区类型", "Priority area"),
    ("needs.no_priority", "不属于重点地区", "Not a priority area"),
    ("needs.publish", "发布", "Publish"),
    ("needs.holder", "承接队伍", "Team"),
    ("needs.activity", "服务活动", "Activity"),
    ("needs.open_activity", "查看活动", "Open the activity"),
    ("needs.rating", "评价", "Rating"),
    ("needs.reached", "实际服务人数", "People reached"),
    ("needs.cancel_reason", "取消理由", "Why cancelled"),
    ("needs.accept_dispatch", "接受派单", "Accept"),
    ("needs.decline_dispatch", "拒绝派单", "Decline"),
    ("needs.claim", "接单", "Claim"),
    ("needs.cancel", "取消需求", "Cancel the need"),
    ("needs.reason", "理由", "Reason"),
    ("needs.schedule", "安排活动", "Schedule"),
    ("needs.day", "活动日期", "Day"),
    ("needs.from_time", "开始时间", "From"),
    ("needs.to_time", "结束时间", "To"),
    ("needs.rate", "评价服务", "Rate the service"),
    ("needs.stars", "星级", "Stars"),
    ("needs.comment", "评价意见", "Comment"),
    ("needs.edit", "修改需求", "Change the need"),
    ("needs.suggestions", "推荐队伍", "Suggested teams"),
    ("needs.score", "得分", "Score"),
    ("needs.factor_skills", "技能", "Skills"),
    ("needs.factor_pairing", "结对", "Pairing"),
    ("needs.factor_closeness", "就近", "Closeness"),
    ("needs.factor_load", "任务量", "Load"),
    ("needs.factor_rating", "口碑", "Ratings"),
    ("needs.matched", "匹配技能", "Matched skills"),
    ("needs.dispatch", "派单给该队伍", "Dispatch to this team"),
    ("needs.confirm_accept", "接受派单后由本队伍承接该需求，确定吗？", "Your team will hold this need. Accept?"),
    ("needs.confirm_claim", "接单后由该队伍承接该需求，确定吗？", "The team will hold this need. Claim it?"),
    ("needs.confirm_decline", "拒绝后需求将重新开放，确定吗？", "The need opens again. Decline?"),
    ("needs.confirm_cancel", "取消后不能恢复，确定吗？", "A cancelled need cannot be reopened. Cancel it?"),
    ("needs.confirm_dispatch", "派单给该队伍，确定吗？", "Dispatch the need to this team?"),
    ("toast.need_saved", "需求草稿已保存", "Draft saved"),
    ("toast.need_published", "需求已发布", "Need published"),
    ("toast.need_dispatched", "已派单，等待队伍答复", "Dispatched; the team answers next"),
    ("toast.need_accepted", "已接受派单", "Dispatch accepted"),
    ("toast.need_declined", "已拒绝派单，理由已告知", "Dispatch declined; the reason is shown"),
    ("toast.need_claimed", "已接单", "Need claimed"),
    ("toast.need_scheduled", "活动草稿已建立，请完善后发布", "A draft activity was made; complete and publish it"),
    ("toast.need_rated", "评价已提交", "Rating sent"),
    ("toast.need_cancelled", "需求已取消", "Need cancelled"),
    ("error.choose_organization", "请选择发布需求的单位", "Choose the organisation that posts the need"),
    ("need_status.draft", "草稿", "Draft"),
    ("need_status.open", "待接单", "Open"),
    ("need_status.dispatched", "已派单", "Dispatched"),
    ("need_status.claimed", "已接单", "Claimed"),
    ("need_status.scheduled", "已排期", "Scheduled"),
    ("need_status.served", "已服务", "Served"),
    ("need_status.rated", "已评价", "Rated"),
    ("need_status.expired", "已过期", "Expired"),
    ("need_status.cancelled", "已取消", "Cancelled"),
    ("need_event.created", "创建", "Created"),
    ("need_event.updated", "修改", "Changed"),
    ("need_event.published", "发布", "Published"),
    ("need_event.cancelled", "取消", "Cancelled"),
    ("need_event.dispatched", "派单", "Dispatched"),
    ("need_event.dispatch_accepted", "接受派单", "Dispatch accepted"),
    ("need_event.dispatch_declined", "拒绝派单", "Dispatch declined"),
    ("need_event.claimed", "接单", "Claimed"),
    ("need_event.scheduled", "排期", "Scheduled"),
    ("need_event.served", "服务完成", "Served"),
    ("need_event.rated", "评价", "Rated"),
    ("need_event.expired", "过期", "Expired"),
    ("audience.farmers", "农民", "Farmers"),
    ("audience.pupils", "中小学生", "Pupils"),
    ("audience.elderly", "老年人", "Elderly people"),
    ("audience.enterprise_staff", "企业职工", "Enterprise staff"),
    ("audience.residents", "社区居民", "Residents"),
    ("skill_field.agriculture", "农业技术", "Agriculture"),
    ("skill_field.health", "医疗卫生", "Health"),
    ("skill_field.education", "教育", "Education"),
    ("skill_field.engineering", "工程技术", "Engineering"),
    ("skill_field.information_technology", "信息技术", "Information technology"),
    ("skill_field.environment", "生态环境", "Environment"),
    ("skill_field.safety", "应急安全", "Safety and emergencies"),
    ("skill_field.science_communication", "科普讲解", "Science communication"),
    ("priority_area.poverty_alleviated", "脱贫县", "Lifted out of poverty"),
    ("priority_area.revolutionary_base", "革命老区", "Old revolutionary base"),
    ("priority_area.remote_mountain", "边远山区", "Remote mountains"),
    ("closeness.same_county", "同县", "Same county"),
    ("closeness.same_city", "同市", "Same city"),
    ("closeness.same_province", "同省", "Same province"),
    ("closeness.national", "全国学会", "National society"),
    ("closeness.elsewhere", "外地", "Elsewhere"),
    ("claim_basis.same_county", "同县队伍", "A team of the county"),
    ("claim_basis.paired", "结对学会", "A paired society"),
    ("claim_basis.provincial_society", "本省学会", "A society of the province"),
    ("claim_basis.national_society", "全国学会", "A national society"),
    ("hub.title", "科普服务汇中心", "Science hub centres"),
    ("org.priority_area", "重点地区", "Priority area"),
    ("org.save_priority", "保存重点地区标记", "Save the priority flag"),
    ("toast.priority_saved", "重点地区标记已保存", "Priority flag saved"),
    ("recognition.service_points", "服务点（社区、村）", "Service points (community and village)"),
    ("hub.intro", "服务点、科普微展览与轮换展出：常展常新。", "Service points, micro-exhibitions and their rotation between centres."),
    ("hub.points", "服务点", "Service points"),
    ("hub.exhibitions", "科普微展览", "Exhibitions"),
    ("hub.calendar", "轮换日历", "Rotation calendar"),
    ("hub.calendar_for_admins", "组织管理员可在此安排展览轮换。", "Organisation admins plan rotations here."),
    ("hub.add_point", "登记服务点", "Register a service point"),
    ("hub.add_exhibition", "添加展览", "Add an exhibition"),
    ("hub.kind", "服务点类型", "Kind"),
    ("hub.shows_exhibitions", "承接展览", "Shows exhibitions"),
    ("hub.search", "名称或地址", "Name or address"),
    ("hub.yes", "是", "Yes"),
    ("hub.no", "否", "No"),
    ("hub.choose", "请选择", "Choose"),
    ("hub.edit", "修改", "Edit"),
    ("hub.responsible", "负责组织", "Responsible organisation"),
    ("hub.point_name", "服务点名称", "Name of the service point"),
    ("hub.address", "地址", "Address"),
    ("hub.opening_hours", "开放时间", "Opening hours"),
    ("hub.capacity", "可容纳人数", "Capacity (people)"),
    ("hub.slots", "可同时展出展览数", "Exhibitions shown at once"),
    ("hub.owner", "所属组织", "Owner"),
    ("hub.exhibition_title", "展览名称", "Title"),
    ("hub.theme", "主题", "Theme"),
    ("hub.category", "指导目录类别", "Catalogue category"),
    ("hub.panels", "块展板/展品", "panels or exhibits"),
    ("hub.point", "服务点", "Service point"),
    ("hub.exhibition", "展览", "Exhibition"),
    ("hub.from_week", "起始周", "First week"),
    ("hub.place_stay", "安排展期", "Place an exhibition"),
    ("hub.place", "安排", "Place"),
    ("hub.starts_on", "开始日期", "First day"),
    ("hub.ends_on", "结束日期", "Last day"),
    ("hub.plan", "生成轮换方案", "Plan a rotation"),
    ("hub.plan_intro", "按设定的展期长度，在各服务点之间轮换所选展览；每个服务点同一主题只展一次。", "Rotates the chosen exhibitions between the chosen points in stays of the set length; each point sees each theme once."),
    ("hub.stay_days", "每期天数", "Days per stay"),
    ("hub.propose", "生成方案", "Propose"),
    ("hub.plan_empty", "没有可安排的展期。", "Nothing left to place."),
    ("hub.place_all", "按方案全部安排", "Place them all"),
    ("hub.place_all_confirm", "按此方案安排全部展期？", "Place every stay of this plan?"),
    ("hub.gaps", "无新主题可展的轮次：", "Rounds a point has no new theme for:"),
    ("hub.figures", "年度数据", "The year's figures"),
    ("hub.year", "年份", "Year"),
    ("hub.activities", "开展活动", "Activities"),
    ("hub.volunteers", "参与志愿者", "Volunteers"),
    ("hub.hours", "服务时长", "Hours"),
    ("hub.people_served", "服务人次", "People served"),
    ("hub.exhibitions_shown", "展出展览", "Exhibitions shown"),
    ("hub.visitors", "参观人次", "Visitors"),
    ("hub.guided_tours", "讲解场次", "Guided tours"),
    ("hub.lectures", "讲座场次", "Lectures"),
    ("hub.stays", "展期", "Stays"),
    ("hub.record_visits", "登记参观情况", "Record visits"),
    ("hub.cancel_stay", "取消展期", "Cancel the stay"),
    ("hub.cancel_confirm", "取消这个展期？", "Cancel this stay?"),
    ("point_kind.civilisation_centre", "新时代文明实践中心", "Civilisation-practice centre"),
    ("point_kind.civilisation_station", "新时代文明实践所", "Civilisation-practice station"),
    ("point_kind.civilisation_post", "新时代文明实践站", "Civilisation-practice post"),
    ("point_kind.science_education_base", "科普教育基地", "Science-education base"),
    ("point_kind.community_science_station", "社区科普e站", "Community science station"),
    ("point_kind.village_technical_station", "村级科技服务站", "Village technical station"),
    ("exhibition_category.scientific_living", "科学生活", "Scientific living"),
    ("exhibition_category.health", "健康卫生", "Health"),
    ("exhibition_category.emergency_safety", "应急安全", "Emergency safety"),
    ("exhibition_category.ecology", "生态环保", "Ecology"),
    ("exhibition_category.rural_revitalisation", "乡村振兴与农业科技", "Rural revitalisation"),
    ("exhibition_category.frontier_science", "前沿科技", "Frontier science"),
    ("exhibition_category.digital_literacy", "数字素养", "Digital literacy"),
    ("exhibition_category.scientist_spirit", "科学家精神", "Scientists' spirit"),
    ("stay_status.scheduled", "待展出", "Scheduled"),
    ("stay_status.showing", "展出中", "On show"),
    ("stay_status.ended", "已结束", "Ended"),
    ("stay_status.cancelled", "已取消", "Cancelled"),
    ("toast.point_added", "服务点已登记", "Service point registered"),
    ("toast.point_saved", "服务点信息已保存", "Service point saved"),
    ("toast.exhibition_added", "展览已添加", "Exhibition added"),
    ("toast.stay_placed", "展期已安排", "Stay placed"),
    ("toast.plan_placed", "轮换方案已全部安排", "Every stay of the plan is placed"),
    ("toast.visits_recorded", "参观情况已登记", "Visits recorded"),
    ("toast.stay_cancelled", "展期已取消", "Stay cancelled"),
];
#[cfg(not(feature = "staff"))]
const STAFF_TEXTS: &[(&str, &str, &str)] = &[];

/// The text for `key`; the key itself when missing (a visible slip, not a blank).
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    lookup(lang, key).unwrap_or(key)
}

fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    TEXTS
        .iter()
        .chain(STAFF_TEXTS)
        .find(|(k, _, _)| *k == key)
        .map(|(_, zh, en)| match lang {
            Lang::Zh => *zh,
            Lang::En => *en,
        })
}

/// A value the API names by code (`status.draft`, `category.emergency`…), or the code.
pub fn label(lang: Lang, family: &str, code: impl AsRef<str>) -> String {
    let code = code.as_ref();
    lookup(lang, &format!("{family}.{code}"))
        .map(str::to_string)
        .unwrap_or_else(|| code.to_string())
}

/// An application's status as the programme names it (`ApplicationStatus::title_zh`): the
/// same words as the Excel export.
pub fn application_status(lang: Lang, s: zhihui_domain::ApplicationStatus) -> &'static str {
    match lang {
        Lang::Zh => s.title_zh(),
        Lang::En => s.title_en(),
    }
}

/// An error code's sentence: the catalogue's title for a code the service answers
/// (`zhihui_domain::ProblemCode`, so every such code has one), this dashboard's own text for
/// the codes it makes itself (`network`…), else the service's own sentence.
pub fn error_text(lang: Lang, code: &str, fallback: &str) -> String {
    if let Some(c) = zhihui_domain::ProblemCode::parse(code) {
        return match lang {
            Lang::Zh => c.title_zh(),
            Lang::En => c.title_en(),
        }
        .to_string();
    }
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
        for (k, zh, en) in TEXTS.iter().chain(STAFF_TEXTS) {
            assert!(seen.insert(*k), "{k} twice");
            assert!(!zh.is_empty() && !en.is_empty(), "{k} empty");
        }
    }

    #[wasm_bindgen_test]
    fn every_code_the_service_answers_has_a_text_in_both_languages() {
        for c in zhihui_domain::ProblemCode::ALL {
            for lang in [Lang::Zh, Lang::En] {
                let text = error_text(lang, c.as_str(), "\u{0}");
                assert!(text != "\u{0}" && !text.is_empty(), "{c} untranslated");
            }
        }
        // The dashboard's own error texts are for the codes it makes itself (`network`…),
        // never a second text for a catalogue code.
        for (k, _, _) in TEXTS.iter().chain(STAFF_TEXTS) {
            if let Some(code) = k.strip_prefix("error.") {
                assert!(
                    zhihui_domain::ProblemCode::parse(code).is_none(),
                    "{k} shadows the catalogue"
                );
            }
        }
    }

    /// Every value of every closed set a screen names through `label`, in the family the
    /// screen looks it up in, has words in both languages: a value added in the domain
    /// without words here fails, rather than showing its wire spelling to a user.
    #[wasm_bindgen_test]
    fn every_closed_value_a_screen_shows_has_words_in_both_languages() {
        use zhihui_domain as d;
        use zhihui_domain::ClosedSet;
        fn all<T: ClosedSet + 'static>() -> Vec<&'static str> {
            T::ALL.iter().map(|v| v.as_str()).collect()
        }
        let families: Vec<(&str, Vec<&str>)> = vec![
            ("category", all::<d::ActivityCategory>()),
            ("org_category", all::<d::OrganizationCategory>()),
            ("level", all::<d::OrganizationLevel>()),
            ("status", all::<d::ActivityStatus>()),
            ("status", all::<d::SignUpStatus>()),
            ("status", all::<d::LetterStatus>()),
            ("status", all::<d::CertificateStatus>()),
            ("status", all::<d::MembershipStatus>()),
            ("status", all::<d::OrganizationStatus>()),
            ("status", all::<d::ReportStatus>()),
            ("call_state", all::<d::CallState>()),
            ("decision", all::<d::Decision>()),
            ("event", all::<d::ApplicationEvent>()),
            ("letter_event", all::<d::LetterEvent>()),
            ("variant", all::<d::FormVariant>()),
            ("pairing", all::<d::PairingState>()),
            ("certificate", all::<d::CertificateStatus>()),
            ("client_status", all::<d::integration::ApiClientStatus>()),
            ("delivery", all::<d::integration::DeliveryStatus>()),
            ("webhook_event", all::<d::integration::EventType>()),
            ("scope", all::<d::integration::ScopeFamily>()),
            ("work_kind", all::<d::WorkKind>()),
            ("need_status", all::<d::NeedStatus>()),
            ("need_event", all::<d::NeedEvent>()),
            ("audience", all::<d::AudienceKind>()),
            ("skill_field", all::<d::SkillField>()),
            ("priority_area", all::<d::PriorityArea>()),
            ("closeness", all::<d::Closeness>()),
            ("claim_basis", all::<d::ClaimBasis>()),
            ("point_kind", all::<d::ServicePointKind>()),
            ("exhibition_category", all::<d::ExhibitionCategory>()),
            ("stay_status", all::<d::StayStatus>()),
        ];
        let mut missing = vec![];
        for (family, values) in families {
            for v in values {
                for lang in [Lang::Zh, Lang::En] {
                    if lookup(lang, &format!("{family}.{v}")).is_none() {
                        missing.push(format!("{family}.{v}"));
                    }
                }
            }
        }
        missing.dedup();
        assert!(missing.is_empty(), "no words for {missing:?}");
    }

    /// Every key a screen asks for by name has its words: a missing one would show as the
    /// raw key (`me.join`) in either language.
    #[wasm_bindgen_test]
    fn every_key_a_screen_names_has_words() {
        const SOURCES: &[(&str, &str)] = &[
            ("app.rs", include_str!("app.rs")),
            ("components.rs", include_str!("components.rs")),
            ("pages/account.rs", include_str!("pages/account.rs")),
            ("pages/activities.rs", include_str!("pages/activities.rs")),
            (
                "pages/applications.rs",
                include_str!("pages/applications.rs"),
            ),
            (
                "pages/integrations.rs",
                include_str!("pages/integrations.rs"),
            ),
            ("pages/letters.rs", include_str!("pages/letters.rs")),
            ("pages/needs.rs", include_str!("pages/needs.rs")),
            ("pages/hub.rs", include_str!("pages/hub.rs")),
            ("pages/me.rs", include_str!("pages/me.rs")),
            ("pages/mod.rs", include_str!("pages/mod.rs")),
            ("pages/orgs.rs", include_str!("pages/orgs.rs")),
            ("pages/oversight.rs", include_str!("pages/oversight.rs")),
            ("pages/rollup.rs", include_str!("pages/rollup.rs")),
            ("pages/work.rs", include_str!("pages/work.rs")),
        ];
        let mut missing = vec![];
        let mut seen = 0;
        for (file, text) in SOURCES {
            for call in ["t(lang, \"", "app.t(\"", "fill(lang, \"", "local_error(\""] {
                for (at, _) in text.match_indices(call) {
                    let rest = &text[at + call.len()..];
                    let Some(end) = rest.find('"') else { continue };
                    let key = &rest[..end];
                    seen += 1;
                    let has_words = if call.starts_with("local_error") {
                        // A local refusal speaks through the catalogue or an `error.` key.
                        zhihui_domain::ProblemCode::parse(key).is_some()
                            || lookup(Lang::Zh, &format!("error.{key}")).is_some()
                                && lookup(Lang::En, &format!("error.{key}")).is_some()
                    } else {
                        lookup(Lang::Zh, key).is_some() && lookup(Lang::En, key).is_some()
                    };
                    if !has_words {
                        missing.push(format!("{file}: {key}"));
                    }
                }
            }
        }
        assert!(seen > 300, "only {seen} keys found; the scan lost its way");
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "keys without words: {missing:?}");
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
