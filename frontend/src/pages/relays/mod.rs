//! Relay, the receiving structure's side: its inbox (`/relais`) and one relay
//! (`/relais/:id`) with its answers and follow-up checkpoints.
pub mod detail;
pub mod inbox;
