//! A monthly report's figures and photos.

use zhihui_contract::reports::{FiguresView, PhotoView};
use zhihui_persistence::Figures;

pub fn figures_view(f: &Figures) -> FiguresView {
    FiguresView {
        activities_held: f.activities_held,
        volunteer_attendances: f.attendances,
        service_hours: f.hours_tenths as f64 / 10.0,
        new_volunteers: f.new_volunteers,
        pairing_activities: f.pairing_activities,
        needs_served: f.needs_served,
        exhibition_visitors: f.exhibition_visitors,
    }
}

pub fn photo_view(p: zhihui_persistence::entities::report_photo::Model) -> PhotoView {
    PhotoView {
        id: p.id,
        file_name: p.file_name,
        media_type: p.media_type,
        size: p.size,
        uploaded_at: p.uploaded_at,
    }
}
