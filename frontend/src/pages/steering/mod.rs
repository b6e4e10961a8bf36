//! Steering (issue 14): the dashboard « Pilotage » of a territory.
pub mod dashboard;
pub mod sections;
pub mod targets;
