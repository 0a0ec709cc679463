//! The volunteer service certificate (志愿服务证明) as printed: one A4 page with the
//! verification QR code.

use zhihui_contract::records::CertificateView;
use zhihui_domain::CertificateStatus;

use crate::pdf::{chinese_date, Align, Layout};

/// Lays out the certificate: the content of rule 25 and a QR code of the verification URL.
pub fn certificate_layout(c: &CertificateView) -> Layout {
    let mut l = Layout::new(&format!("志愿服务记录证明 {}", c.number));
    l.space(30.0);
    l.line("志愿服务记录证明", 26.0, true, Align::Center);
    l.space(6.0);
    l.line(
        &format!("证明编号：{}", c.number),
        10.5,
        false,
        Align::Center,
    );
    l.space(18.0);
    l.rule(1.2, (178, 34, 34));
    l.space(14.0);
    let body = format!(
        "兹证明{}（身份证号：{}，志愿者编号：{}）于{}至{}期间，参加{}组织的科技志愿服务活动{}项，经组织确认的志愿服务时长累计{}小时。",
        c.volunteer_name,
        c.id_number_masked,
        c.volunteer_number,
        chinese_date(c.period_from),
        chinese_date(c.period_to),
        c.issuer_name,
        c.activities,
        format_hours(c.hours),
    );
    l.paragraph(&body, 13.0, 2);
    l.space(6.0);
    l.paragraph("特此证明。", 13.0, 2);
    l.space(16.0);
    l.field("志愿者姓名：", &c.volunteer_name, 12.0);
    l.field("身份证号：", &c.id_number_masked, 12.0);
    l.field("志愿者编号：", &c.volunteer_number, 12.0);
    l.field(
        "服务时长：",
        &format!("{} 小时", format_hours(c.hours)),
        12.0,
    );
    l.field(
        "服务期间：",
        &format!(
            "{} 至 {}",
            chinese_date(c.period_from),
            chinese_date(c.period_to)
        ),
        12.0,
    );
    l.field("服务内容：", &c.content, 12.0);
    l.space(10.0);
    l.field("出具单位：", &c.issuer_name, 12.0);
    l.field("负 责 人：", &c.responsible_person, 12.0);
    l.field("经 办 人：", &c.handler_name, 12.0);
    l.field("联系电话：", &c.contact_phone, 12.0);
    l.space(24.0);
    l.line(
        &format!("{}（盖章）", c.issuer_name),
        13.0,
        false,
        Align::Right,
    );
    l.line(&chinese_date(c.issue_date), 13.0, false, Align::Right);
    l.space(16.0);
    if c.status == CertificateStatus::Revoked {
        l.line_colored("本证明已撤销", 16.0, true, Align::Left, (178, 34, 34));
    }
    l.qr_right(&c.verification_url, 96.0, "扫码核验真伪");
    l.space(110.0);
    l.rule(0.5, (160, 160, 160));
    l.paragraph(
        &format!(
            "本证明免费出具，依据组织确认的志愿服务记录生成。可凭证明编号在 {} 核验。",
            c.verification_url
        ),
        9.0,
        0,
    );
    l
}

fn format_hours(h: f64) -> String {
    if h.fract() == 0.0 {
        format!("{h:.0}")
    } else {
        format!("{h:.1}")
    }
}
