//! Criterion benchmarks of the domain's parsers and rules: what every registration, import
//! row, check-in and report runs. `cargo bench -p zhihui-domain`.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use zhihui_domain::application::weighted_score;
use zhihui_domain::hours::RoundingRule;
use zhihui_domain::integration::{check_webhook_url, next_attempt_at, signature_header};
use zhihui_domain::pairing::{effective_status, transition};
use zhihui_domain::report::is_late;
use zhihui_domain::{CreditCode, LetterAction, LetterStatus, MobilePhone, Month, ResidentIdNumber};

fn parsers(c: &mut Criterion) {
    c.bench_function("id_number_parse", |b| {
        b.iter(|| ResidentIdNumber::parse(black_box("11010519491231002X")))
    });
    c.bench_function("id_number_parse_bad_check", |b| {
        b.iter(|| ResidentIdNumber::parse(black_box("110105194912310021")))
    });
    c.bench_function("credit_code_parse", |b| {
        b.iter(|| CreditCode::parse(black_box("91350100M000100Y43")))
    });
    c.bench_function("phone_parse", |b| {
        b.iter(|| MobilePhone::parse(black_box("13800138000")))
    });
    c.bench_function("month_parse", |b| {
        b.iter(|| Month::parse(black_box("2026-06")))
    });
}

fn rules(c: &mut Criterion) {
    let rounding = RoundingRule::default();
    c.bench_function("hours_rounding", |b| {
        b.iter(|| rounding.counted_tenths(black_box(197)))
    });
    let scores = [(30u32, 85u32), (25, 90), (20, 70), (15, 88), (10, 95)];
    c.bench_function("weighted_score_5_criteria", |b| {
        b.iter(|| weighted_score(black_box(&scores)))
    });
    let sent = Utc.with_ymd_and_hms(2026, 6, 1, 2, 0, 0).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 7, 2, 2, 0, 0).unwrap();
    c.bench_function("letter_effective_status_and_transition", |b| {
        b.iter(|| {
            let s = effective_status(LetterStatus::Sent, Some(sent), black_box(now), 30);
            transition(s, LetterAction::Accept)
        })
    });
    let june = Month::parse("2026-06").unwrap();
    let filed = NaiveDate::from_ymd_opt(2026, 7, 6).unwrap();
    c.bench_function("report_is_late", |b| {
        b.iter(|| is_late(black_box(june), black_box(filed), 5))
    });
}

fn webhooks(c: &mut Criterion) {
    let body = vec![b'x'; 1024];
    c.bench_function("webhook_signature_1kib", |b| {
        b.iter(|| signature_header("whsec_benchmark_secret", 1_780_000_000, black_box(&body)))
    });
    c.bench_function("webhook_url_check", |b| {
        b.iter(|| check_webhook_url(black_box("https://hooks.example.cn/zhihui"), false))
    });
    let first = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
    c.bench_function("webhook_next_attempt", |b| {
        b.iter(|| next_attempt_at(black_box(5), first, first, 30))
    });
}

criterion_group!(benches, parsers, rules, webhooks);
criterion_main!(benches);
