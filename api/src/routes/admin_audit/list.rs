use actix_web::{get, web, HttpResponse};
use api_types::{AdminAuditEntry, AdminAuditPage, AuditActor, AuditTarget};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::AdminOnly;
use crate::db::{self, admin_audit, cursor};
use crate::error::ApiResult;
use crate::routes::support::{limit, opt_text};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Actions of this administrator.
    pub actor_id: Option<Uuid>,
    /// One action, such as `user.update`.
    pub action: Option<String>,
    /// `user`, `api_client`, `territory`, `structure`, `import`, `job`, `youth` or `referral`.
    pub target_type: Option<String>,
    /// Actions on this resource.
    pub target_id: Option<Uuid>,
    /// From this time on (inclusive).
    pub since: Option<DateTime<Utc>>,
    /// Before this time (exclusive).
    pub until: Option<DateTime<Utc>>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The administrative audit (admin): every administrative action with its actor, time,
/// target, changes and reason, newest first. Append-only: nobody can change or delete it.
#[utoipa::path(
    tag = "administration",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of audit entries, newest first.", body = AdminAuditPage),
    )
)]
#[get("/admin-audit")]
pub async fn list(
    state: web::Data<AppState>,
    _admin: AdminOnly,
    query: web::Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let filter = admin_audit::Filter {
        actor_user_id: q.actor_id,
        action: opt_text(q.action),
        target_type: opt_text(q.target_type),
        target_id: q.target_id,
        since: q.since,
        until: q.until,
        before: q
            .cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(cursor::decode::<(DateTime<Utc>, Uuid)>)
            .transpose()?,
    };
    let rows = db::run(&state.pool, move |conn| {
        Ok(admin_audit::list(conn, &filter, limit + 1)?)
    })
    .await?;
    let (rows, next) = cursor::page(rows, limit, |(r, _)| (r.occurred_at, r.id));
    let items = rows
        .into_iter()
        .map(|(r, who)| AdminAuditEntry {
            id: r.id,
            occurred_at: r.occurred_at,
            actor: AuditActor {
                type_: if r.actor_user_id.is_some() {
                    "user".into()
                } else {
                    "system".into()
                },
                id: r.actor_user_id,
                email: who.as_ref().map(|w| w.0.clone()),
                name: who.map(|w| format!("{} {}", w.1, w.2)),
            },
            action: r.action,
            target: AuditTarget {
                type_: r.target_type,
                id: r.target_id,
            },
            changes: r.changes,
            reason: r.reason,
        })
        .collect();
    Ok(HttpResponse::Ok().json(AdminAuditPage {
        items,
        next_cursor: next,
    }))
}
