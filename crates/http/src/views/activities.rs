//! A sign-up as the organiser sees it.

use zhihui_contract::activities::SignUpView;
use zhihui_persistence::entities::sign_up;

pub fn sign_up_view(
    s: sign_up::Model,
    name: String,
    number: String,
    phone: String,
    position: Option<i64>,
    hours: Option<f64>,
) -> SignUpView {
    SignUpView {
        id: s.id,
        activity_id: s.activity_id,
        volunteer_id: s.volunteer_id,
        volunteer_name: name,
        volunteer_number: number,
        phone_masked: phone,
        status: *s.status,
        waitlist_position: position,
        signed_up_at: s.signed_up_at,
        promoted_at: s.promoted_at,
        cancelled_at: s.cancelled_at,
        checked_in_at: s.checked_in_at,
        checked_out_at: s.checked_out_at,
        absent: s.absent,
        attendance_source: s.attendance_source.map(|v| v.0),
        confirmed_hours: hours,
    }
}
