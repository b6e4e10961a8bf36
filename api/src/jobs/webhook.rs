//! `webhook.deliver`: POSTs a delivery to its subscription's URL, signed per Standard
//! Webhooks (`webhook-id` = the delivery's id, `webhook-timestamp` = the wall clock's seconds,
//! which receivers compare with theirs, `webhook-signature` = `v1,<HMAC-SHA256>`). A 2xx
//! answer is success; anything else, a timeout or a refused connection is retried.
//!
//! Guards: the URL is checked again (https, no internal address outside dev); its host is
//! resolved once, every address checked, and the connection pinned to a checked address (no
//! DNS rebinding); no redirects; `SAS_WEBHOOK_TIMEOUT_SECONDS` for the whole exchange; the
//! answer's body is never read.
use std::net::{SocketAddr, ToSocketAddrs};

use diesel::PgConnection;
use serde_json::Value;

use super::{uuid_of, Context, JobError};
use crate::db::webhooks;
use crate::domain::jobs::error_text;
use crate::domain::webhooks::{check_url, is_internal, signature};

pub fn deliver(ctx: &Context, conn: &mut PgConnection, payload: &Value) -> Result<(), JobError> {
    let id =
        uuid_of(payload, "delivery_id").ok_or_else(|| JobError::permanent("no delivery_id"))?;
    let Some(d) = webhooks::delivery(conn, id)? else {
        return Err(JobError::permanent("no such delivery"));
    };
    if d.status != "pending" {
        return Ok(());
    }
    let now = ctx.clock.now();
    if d.disabled {
        webhooks::attempted(conn, id, "failed", None, Some("subscription disabled"), now)?;
        return Ok(());
    }
    let allow_local = ctx.settings.webhooks.allow_local;
    let fail = |conn: &mut PgConnection, code: Option<i32>, e: JobError| -> Result<(), JobError> {
        let status = if e.failure == crate::domain::jobs::Failure::Permanent {
            "failed"
        } else {
            "pending"
        };
        // attempted() only touches pending rows; a permanent failure settles it.
        diesel::Connection::transaction(conn, |c| {
            webhooks::attempted(c, id, "pending", code, Some(&e.message), now)?;
            if status == "failed" {
                webhooks::give_up(c, id)?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
        Err(e)
    };
    let url = match check_url(&d.url, allow_local) {
        Ok(u) => u,
        Err(r) => {
            return fail(
                conn,
                None,
                JobError::permanent(format!("url refused: {}", r.code())),
            )
        }
    };
    let host = url.host_str().unwrap_or_default().to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = match (host.trim_matches(['[', ']']), port).to_socket_addrs() {
        Ok(a) => a.collect(),
        Err(e) => {
            return fail(
                conn,
                None,
                JobError::transient(error_text(&format!("dns: {e}"))),
            )
        }
    };
    if addrs.is_empty() {
        return fail(conn, None, JobError::transient("dns: no address"));
    }
    if !allow_local && addrs.iter().any(|a| is_internal(a.ip())) {
        return fail(
            conn,
            None,
            JobError::permanent("url resolves to an internal address"),
        );
    }
    let body = d.payload.to_string();
    let msg_id = id.to_string();
    // The receiver checks this against its own clock: wall time, not business time.
    let ts = chrono::Utc::now().timestamp();
    let sig = signature(&d.secret, &msg_id, ts, &body);
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(ctx.settings.webhooks.timeout)
        .connect_timeout(ctx.settings.webhooks.timeout)
        .user_agent("SAS-webhooks/1")
        .resolve_to_addrs(&host, &addrs)
        .build()
        .map_err(|e| JobError::transient(format!("client: {e}")))?;
    let res = client
        .post(url.as_str())
        .header("content-type", "application/json")
        .header("webhook-id", &msg_id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", sig)
        .body(body)
        .send();
    match res {
        Ok(r) if r.status().is_success() => {
            let code = i32::from(r.status().as_u16());
            drop(r); // the body is never read
            webhooks::attempted(conn, id, "delivered", Some(code), None, ctx.clock.now())?;
            Ok(())
        }
        Ok(r) => {
            let code = i32::from(r.status().as_u16());
            drop(r);
            fail(
                conn,
                Some(code),
                JobError::transient(format!("HTTP {code}")),
            )
        }
        Err(e) => {
            let what = if e.is_timeout() {
                "timeout"
            } else if e.is_connect() {
                "connection refused or failed"
            } else {
                "request failed"
            };
            fail(conn, None, JobError::transient(what))
        }
    }
}
