//! What belongs to each signed-in person, whatever their role: their notifications.
pub mod notifications;
