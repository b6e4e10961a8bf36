//! Prints the statement `GET /api/v1/referrals/{id}` sends, as a pgbench script: the same
//! text, the caller's values written in, the referral id drawn at random among the ids the
//! benchmark loaded. `scripts/bench-referrals.py` replays it to measure the floor the API is
//! compared with (docs/PERFORMANCE.md).
//!
//! Usage: bench_sql USER_ID TERRITORY_ID STRUCTURE_ID ROUTE_PREFIX IDS
use sas_api::db::journal::{Journal, Who};
use sas_api::db::referrals::{read_query, Reading, Scope};
use sas_api::ids::{ReferralId, StructureId, TerritoryId, UserId};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = (|| {
        let uuid = |i: usize| args.get(i)?.parse::<uuid::Uuid>().ok();
        Some((
            UserId(uuid(0)?),
            TerritoryId(uuid(1)?),
            StructureId(uuid(2)?),
            args.get(3)?.clone(),
            args.get(4)?.parse::<u64>().ok()?,
        ))
    })();
    let Some((user, territory, structure, route, ids)) = parsed else {
        eprintln!("usage: bench_sql USER_ID TERRITORY_ID STRUCTURE_ID ROUTE_PREFIX IDS");
        std::process::exit(2);
    };
    // The counsellor reading a referral of its territory: the view computes duplicates.
    let journal = Journal::new(Who::User(user), Some(structure), route, chrono::Utc::now());
    let how = Reading {
        scope: Scope {
            territory: Some(territory),
            ..Scope::default()
        },
        duplicates: true,
        journal: &journal,
        log: Some(api_types::AccessAction::Read),
    };
    let (sql, id_bind) = read_query(ReferralId(uuid::Uuid::nil()), &how);
    // Ids of the load are 00000000-0000-4000-8000-<n in hex>, as in the HTTP load.
    let text = sql.inline(|n| {
        (n == id_bind).then(|| {
            "('00000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'))".to_string()
        })
    });
    // The route of the access log is the request's path.
    let text = text.replace(
        &format!("'{}'::text", journal.route),
        &format!(
            "('{}' || '00000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'))::text",
            journal.route
        ),
    );
    println!("\\set n random(1, {ids})");
    println!("{};", text.split_whitespace().collect::<Vec<_>>().join(" "));
}
