//! `GET /referrals`: a prescriber's structure's referrals, or a counsellor's territory queue,
//! in queue order; one statement reads the page and logs it.
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, ReferralPage, Status};
use chrono::NaiveDate;
use serde::Deserialize;

use super::{journal, reading, view, viewer, Staff};
use crate::auth::Authorized;
use crate::db::referrals::{self, QueueKey, Search};
use crate::db::{self, cursor};
use crate::domain::dates::date_in_range;
use crate::domain::youth::normalize_phone;
use crate::error::{ApiError, ApiResult};
use crate::ids::UserId;
use crate::routes::support::limit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReferralQuery {
    /// Only this status.
    pub status: Option<Status>,
    /// `true`: open referrals only (not `closed`), what the counsellors' queue shows by
    /// default; `false`: closed ones only.
    pub open: Option<bool>,
    /// `true`: urgent only (exit within 30 days or past, not yet in diagnosis, counted in each
    /// referral's territory's time zone); `false`: the others.
    pub urgent: Option<bool>,
    /// Counsellors: only the referrals they took.
    pub assigned_to_me: Option<bool>,
    /// `true`: only the referrals whose planned next try is today or past (territory
    /// calendar).
    pub next_try_due: Option<bool>,
    /// `true`: only the referrals in `contacting` without an attempt (nor a new entry into
    /// `contacting`) for 7 calendar days.
    pub no_recent_attempt: Option<bool>,
    /// `true`: only the referrals whose territory's unreachable rule is met; `false`: the
    /// others.
    pub unreachable_rule_met: Option<bool>,
    /// A name (part of it, accents ignored), a birth date (`2007-05-01` or `01/05/2007`) or a phone number.
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Polling: only referrals changed at or after this time (RFC 3339), in the order of their
    /// last change then id, so that a partner can page through changes; poll again from the
    /// last `updated_at` seen (minus a few seconds: concurrent changes commit out of order).
    pub updated_since: Option<chrono::DateTime<chrono::Utc>>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Opaque: the `next_cursor` of the previous page (empty: the first page).
    pub cursor: Option<String>,
}

fn parse_search(q: &str) -> Option<Search> {
    let q = q.trim();
    if q.is_empty() {
        return None;
    }
    if let Ok(d) = NaiveDate::parse_from_str(q, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(q, "%d/%m/%Y"))
    {
        // A date outside the bounds is nobody's birth date: searched as text, it finds none.
        if date_in_range(d) {
            return Some(Search::BirthDate(d));
        }
    }
    if q.chars().filter(char::is_ascii_digit).count() >= 8 {
        if let Some(p) = normalize_phone(q) {
            return Some(Search::Phone(p));
        }
    }
    let words: Vec<String> = crate::domain::text::search_key(q)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    (!words.is_empty()).then_some(Search::Name(words))
}

/// List referrals: a prescriber's structure's, or a counsellor's territory queue — exit date
/// first (nulls last), then creation: urgent ones come first by construction, and the cursor
/// stays stable when new referrals arrive. With `updated_since` (partners polling for
/// changes), in the order of the last change instead.
#[utoipa::path(
    tag = "referrals",
    params(ReferralQuery),
    responses(
        (status = 200, description = "A page of referrals in queue order.", body = api_types::ReferralPage),
    )
)]
#[get("/referrals")]
pub async fn list(
    state: web::Data<AppState>,
    Authorized(caller): Staff,
    req: HttpRequest,
    query: web::Query<ReferralQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    if q.q.as_deref().is_some_and(|s| s.chars().count() > 100) {
        return Err(ApiError::bad_request(
            "invalid_query",
            "q is limited to 100 characters.",
        ));
    }
    let filter = referrals::Filter {
        status: q.status,
        open: q.open == Some(true),
        assigned_to: (q.assigned_to_me == Some(true)).then(|| {
            caller
                .actor
                .user_id()
                .map(UserId)
                .unwrap_or(UserId(uuid::Uuid::nil()))
        }),
        urgent: q.urgent,
        search: q.q.as_deref().and_then(parse_search),
        after: cursor::after::<QueueKey>(q.cursor.as_deref())?,
        next_try_due: q.next_try_due == Some(true),
        quiet: q.no_recent_attempt == Some(true),
        unreachable_rule_met: q.unreachable_rule_met,
        updated_since: q.updated_since,
    };
    let polling = q.updated_since.is_some();
    let closed_only = q.open == Some(false);
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let page = db::run(&state.pool, move |conn| {
        let mut filter = filter;
        if closed_only {
            filter.status = match filter.status {
                None | Some(Status::Closed) => Some(Status::Closed),
                // open=false with another status: nothing can match.
                Some(_) => {
                    return Ok(ReferralPage {
                        items: vec![],
                        next_cursor: None,
                    })
                }
            };
        }
        let rows = referrals::list(
            conn,
            &filter,
            limit,
            &reading(&caller, &j, Some(AccessAction::List)),
        )?;
        let (rows, next) =
            cursor::page(
                rows,
                limit,
                |v| {
                    if polling {
                        v.updated_key()
                    } else {
                        v.key()
                    }
                },
            );
        let items = rows
            .into_iter()
            .map(|v| {
                let territory = v.territory_id;
                view::referral(v, viewer(&caller, territory), now)
            })
            .collect::<ApiResult<Vec<_>>>()?;
        Ok(ReferralPage {
            items,
            next_cursor: next,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}
