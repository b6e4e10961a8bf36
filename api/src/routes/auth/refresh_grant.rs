//! `grant_type=refresh_token`: a session is renewed. The token rotates at each use; the one
//! just rotated stays good for [`REFRESH_GRACE_SECONDS`] (two tabs refreshing at once), any
//! other reuse revokes the session (a stolen token). Idle and absolute lifetimes bound it.
use actix_web::{web, HttpResponse};
use chrono::Duration;

use super::{
    invalid_grant, new_refresh_row, sha256_hex, user_subject, user_tokens, REFRESH_GRACE_SECONDS,
};
use crate::db::{self, refresh_tokens, users};
use crate::error::ApiResult;
use crate::state::AppState;

pub async fn run(
    state: &web::Data<AppState>,
    presented: String,
    use_cookie: bool,
) -> ApiResult<HttpResponse> {
    let now = state.clock.now();
    let hash = sha256_hex(&presented);
    let st = state.clone();
    let max_age = Duration::from_std(state.settings.sessions.max_age).unwrap_or(Duration::days(7));
    let outcome = db::tx(&state.pool, move |conn| {
        // The row lock serialises concurrent refreshes with the same token.
        let Some(row) = refresh_tokens::by_hash_for_update(conn, &hash)? else {
            return Ok(Err(invalid_grant()));
        };
        if row.revoked_at.is_some()
            || row.expires_at <= now
            || row.session_started_at + max_age <= now
        {
            return Ok(Err(invalid_grant()));
        }
        if let Some(used) = row.used_at {
            let latest = refresh_tokens::last_use_in_family(conn, row.family_id)?;
            let in_grace =
                now - used <= Duration::seconds(REFRESH_GRACE_SECONDS) && latest == Some(used);
            if !in_grace {
                // Reuse of a rotated token: someone else may hold the session. End it all.
                refresh_tokens::revoke_family(conn, row.family_id, now)?;
                return Ok(Err(invalid_grant()));
            }
        }
        let user = match users::get(conn, row.user_id)? {
            Some(u) if u.active => u,
            _ => return Ok(Err(invalid_grant())),
        };
        if row.used_at.is_none() {
            refresh_tokens::mark_used(conn, row.id, now)?;
        }
        let (refresh, new_row) =
            new_refresh_row(&st, user.id, row.family_id, row.session_started_at, now);
        let expires_at = new_row.expires_at;
        refresh_tokens::insert(conn, &new_row)?;
        let subject = user_subject(conn, &user)?;
        Ok(Ok((subject, refresh, expires_at)))
    })
    .await?;
    let (subject, refresh, expires_at) = outcome?;
    user_tokens(state, subject, (refresh, expires_at), use_cookie, now)
}
