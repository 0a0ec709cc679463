//! The pairing letter (商请共同开展科技志愿服务活动的函) as printed, with the pairing proof
//! (结对证明) once it is accepted.

use zhihui_contract::pairing::PairingLetterView;
use zhihui_domain::LetterStatus;

use crate::clock::china_date;
use crate::pdf::{chinese_date, Align, Layout};

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// "2027-03" the Chinese way: 2027年3月.
fn chinese_month(m: &str) -> String {
    match m.split_once('-') {
        Some((y, mo)) => format!("{y}年{}月", mo.trim_start_matches('0')),
        None => m.to_string(),
    }
}

fn numeral(i: usize) -> String {
    NUMERALS
        .get(i)
        .map(|s| s.to_string())
        .unwrap_or_else(|| (i + 1).to_string())
}

pub fn letter_layout(v: &PairingLetterView) -> Layout {
    let mut l = Layout::new(&v.subject);
    l.space(24.0);
    l.line(&v.sender.name, 15.0, true, Align::Center);
    l.space(6.0);
    l.line(&v.subject, 20.0, true, Align::Center);
    l.space(10.0);
    l.rule(1.2, (178, 34, 34));
    l.space(12.0);
    l.line(&format!("{}：", v.recipient.name), 13.0, false, Align::Left);
    l.space(4.0);
    l.paragraph(&v.purpose, 13.0, 2);
    l.space(4.0);
    l.paragraph(
        &format!(
            "为此，我会商请贵单位于{}至{}期间共同开展以下科技志愿服务活动：",
            chinese_date(v.period_from),
            chinese_date(v.period_to)
        ),
        13.0,
        2,
    );
    for (i, a) in v.activities.iter().enumerate() {
        l.paragraph(
            &format!(
                "{}、{}（{}，{}）",
                numeral(i),
                a.what,
                chinese_month(&a.month),
                a.place
            ),
            13.0,
            2,
        );
    }
    l.paragraph(
        &format!(
            "联系人：{}，联系电话：{}。",
            v.contact_name, v.contact_phone
        ),
        13.0,
        2,
    );
    l.paragraph("特此函商，盼复。", 13.0, 2);
    l.space(24.0);
    l.line(&v.sender.name, 13.0, false, Align::Right);
    let date = v
        .sent_at
        .map(china_date)
        .unwrap_or_else(|| china_date(v.created_at));
    l.line(&chinese_date(date), 13.0, false, Align::Right);
    l.space(12.0);
    let red = (178, 34, 34);
    match v.status {
        LetterStatus::Draft => l.line_colored("（草稿，尚未发出）", 13.0, true, Align::Left, red),
        LetterStatus::Withdrawn => l.line_colored("本函已撤回", 14.0, true, Align::Left, red),
        LetterStatus::Expired => {
            l.line_colored("本函逾期未复，已失效", 14.0, true, Align::Left, red)
        }
        LetterStatus::Declined => {
            l.line_colored("受函单位已复函婉拒", 14.0, true, Align::Left, red);
            if let Some(r) = &v.decline_reason {
                l.paragraph(&format!("理由：{r}"), 12.0, 0);
            }
        }
        LetterStatus::Sent | LetterStatus::Accepted => {}
    }
    if let (Some(p), Some(at)) = (&v.pairing, v.answered_at) {
        l.space(16.0);
        l.rule(0.8, (120, 120, 120));
        l.space(10.0);
        l.line("结 对 证 明", 20.0, true, Align::Center);
        l.space(4.0);
        l.line(
            &format!("证明编号：{}", p.proof_number),
            11.0,
            false,
            Align::Center,
        );
        l.space(10.0);
        l.paragraph(
            &format!(
                "{}已于{}复函同意。{}与{}自{}至{}结成科技志愿服务结对关系，共同在{}开展科技志愿服务活动。",
                v.recipient.name,
                chinese_date(china_date(at)),
                v.sender.name,
                v.recipient.name,
                chinese_date(v.period_from),
                chinese_date(v.period_to),
                v.recipient.region_name,
            ),
            13.0,
            2,
        );
        if let Some(n) = &v.answer_note {
            l.paragraph(&format!("复函意见：{n}"), 12.0, 2);
        }
        l.paragraph("特此证明。", 13.0, 2);
        l.space(16.0);
        l.field("结对方（函商单位）：", &v.sender.name, 12.0);
        l.field("结对方（受函单位）：", &v.recipient.name, 12.0);
        l.field("结对证明编号：", &p.proof_number, 12.0);
    }
    l
}
