//! Webhook endpoints and their deliveries, as their managers see them.

use zhihui_contract::integrations::{
    WebhookAttemptView, WebhookDeliveryDetail, WebhookDeliveryView, WebhookEndpointView,
};
use zhihui_domain::integration::EventType;
use zhihui_persistence::endpoint_event_types;
use zhihui_persistence::entities::{
    outbox_event, webhook_attempt, webhook_delivery, webhook_endpoint,
};

use crate::webhooks::delivery_body;

/// A delivery with the event it carries and its attempts, as read together.
pub type DeliveryRows = (
    webhook_delivery::Model,
    outbox_event::Model,
    Vec<webhook_attempt::Model>,
);

pub fn view(e: webhook_endpoint::Model) -> WebhookEndpointView {
    WebhookEndpointView {
        id: e.id,
        organization_id: e.organization_id,
        event_types: endpoint_event_types(&e),
        url: e.url,
        description: e.description,
        active: e.active,
        created_at: e.created_at,
        updated_at: e.updated_at,
        rotated_at: e.rotated_at,
    }
}

pub fn delivery_view(d: webhook_delivery::Model, event_type: EventType) -> WebhookDeliveryView {
    WebhookDeliveryView {
        id: d.id,
        endpoint_id: d.endpoint_id,
        event_id: d.event_id,
        event_type,
        status: *d.status,
        attempts: d.attempts,
        next_attempt_at: d.next_attempt_at,
        last_attempt_at: d.last_attempt_at,
        last_status_code: d.last_status_code,
        last_error: d.last_error,
        delivered_at: d.delivered_at,
        created_at: d.created_at,
        replay_of: d.replay_of,
    }
}

pub fn delivery_detail((d, event, attempts): DeliveryRows) -> WebhookDeliveryDetail {
    WebhookDeliveryDetail {
        delivery: delivery_view(d, *event.event_type),
        event: delivery_body(&event),
        attempts: attempts
            .into_iter()
            .map(|a| WebhookAttemptView {
                number: a.number,
                attempted_at: a.attempted_at,
                status_code: a.status_code,
                error: a.error,
                duration_ms: a.duration_ms,
                response_excerpt: a.response_excerpt,
            })
            .collect(),
    }
}
