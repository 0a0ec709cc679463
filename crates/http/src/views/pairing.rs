//! A pairing (结对) between a society and a county.

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;
use zhihui_contract::pairing::{PairingView, PartyView};
use zhihui_persistence::entities::pairing;

use crate::error::ApiError;
use crate::lookups::party_of;

pub fn pairing_status(p: &pairing::Model, today: NaiveDate) -> zhihui_domain::PairingState {
    zhihui_domain::PairingState::on(today, p.period_from, p.period_to)
}

pub fn pairing_view(
    p: pairing::Model,
    map: &HashMap<Uuid, PartyView>,
    today: NaiveDate,
) -> Result<PairingView, ApiError> {
    Ok(PairingView {
        id: p.id,
        status: pairing_status(&p, today),
        proof_number: p.proof_number,
        letter_id: p.letter_id,
        society: party_of(map, p.society_id)?,
        county: party_of(map, p.county_id)?,
        period_from: p.period_from,
        period_to: p.period_to,
        created_at: p.created_at,
    })
}
