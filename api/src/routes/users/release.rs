//! When a counsellor is deactivated, the referrals they were still contacting return to the
//! queue (`contacting → submitted`, unassigned), each with a `status_changed` event coded
//! `counsellor_deactivated` and the administrator as actor, in the deactivation's transaction.
//!
//! ISOLATED ON PURPOSE (issue 8): this writes the referral and its event directly with
//! today's tables. Once the referral core's domain transition function and journal exist
//! (issue 7), this function should go through them instead; its test
//! (`a_deactivated_counsellors_referrals_return_to_the_queue`) stays as it is.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::auth::Actor;
use crate::db::events::{self, EventRow};
use crate::db::schema::{referrals, structures};
use crate::error::ApiResult;

/// Event code of the release.
pub const CODE: &str = "counsellor_deactivated";

/// Returns how many referrals went back to the queue.
pub fn contacting_referrals(
    conn: &mut PgConnection,
    counsellor: Uuid,
    admin: Actor,
    now: DateTime<Utc>,
) -> ApiResult<usize> {
    let released: Vec<(Uuid, Uuid, Option<Uuid>)> = diesel::update(
        referrals::table
            .filter(referrals::status.eq("contacting"))
            .filter(referrals::assigned_counsellor_id.eq(counsellor)),
    )
    .set((
        referrals::status.eq("submitted"),
        referrals::assigned_counsellor_id.eq(None::<Uuid>),
        referrals::updated_at.eq(now),
        referrals::version.eq(referrals::version + 1),
    ))
    .returning((
        referrals::id,
        referrals::territory_id,
        referrals::prescriber_structure_id,
    ))
    .get_results(conn)?;
    for (id, territory_id, prescriber) in &released {
        let prescriber_kind = match prescriber {
            Some(s) => structures::table
                .find(s)
                .select(structures::kind)
                .first::<String>(conn)
                .optional()?,
            None => None,
        };
        events::insert(
            conn,
            &EventRow {
                id: Uuid::now_v7(),
                referral_id: *id,
                kind: "status_changed".into(),
                from_status: Some("contacting".into()),
                to_status: Some("submitted".into()),
                code: Some(CODE.into()),
                relay_id: None,
                actor_user_id: admin.user_id(),
                actor_client_id: admin.client_id(),
                occurred_at: now,
                recorded_at: Utc::now(),
                territory_id: *territory_id,
                prescriber_kind,
                data: serde_json::json!({}),
            },
        )?;
    }
    Ok(released.len())
}
