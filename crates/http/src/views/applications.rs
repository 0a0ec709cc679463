//! Calls, attachments and reviews of applications. The application itself is assembled per
//! caller in `handlers::applications` (what it shows depends on who asks).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use zhihui_contract::applications::{AttachmentView, CallView, ReviewView};
use zhihui_domain::CallState;
use zhihui_persistence::entities::call;

pub fn call_state(c: &call::Model, now: DateTime<Utc>) -> CallState {
    CallState::at(now, c.opens_at, c.closes_at)
}

pub fn call_view(c: call::Model, now: DateTime<Utc>) -> CallView {
    CallView {
        id: c.id,
        state: call_state(&c, now),
        eligible_categories: serde_json::from_str(&c.eligible_categories).unwrap_or_default(),
        criteria: serde_json::from_str(&c.criteria).unwrap_or_default(),
        programme: c.programme,
        sub_project: c.sub_project,
        year: c.year,
        opens_at: c.opens_at,
        closes_at: c.closes_at,
        form_variant: *c.form_variant,
        cap_fen: c.cap_fen,
        pairing_required: c.pairing_required,
        endorsement_required: c.endorsement_required,
        province_quota: c.province_quota,
        summary_due: c.summary_due,
        version: c.version,
    }
}

pub fn attachment_view(a: zhihui_persistence::entities::attachment::Model) -> AttachmentView {
    AttachmentView {
        id: a.id,
        file_name: a.file_name,
        media_type: a.media_type,
        size: a.size,
        sha256: a.sha256,
        uploaded_at: a.uploaded_at,
    }
}

pub fn review_view(
    r: zhihui_persistence::entities::review::Model,
    i: usize,
    names: &HashMap<Uuid, String>,
    identified: bool,
) -> ReviewView {
    ReviewView {
        reviewer_id: identified.then_some(r.reviewer_id),
        reviewer_name: identified.then(|| names.get(&r.reviewer_id).cloned().unwrap_or_default()),
        label: format!("评审专家{}", i + 1),
        scores: serde_json::from_str(&r.scores).unwrap_or_default(),
        weighted_score: f64::from(r.weighted_hundredths) / 100.0,
        comment: r.comment,
        submitted_at: r.submitted_at,
        updated_at: r.updated_at,
    }
}
