//! The pre-aggregated facts of the statistics (`stat_referral_facts`, migration 000290, read by
//! `db::stats::cohort`) against the oracle they replace: the same facts computed from the
//! events at each request (the query `db::stats::cohort` ran before, kept here only). On the
//! generated history of `scripts/stats-history.sql` (resumed referrals included), for every
//! quarter and month, several `as_of`, both territories and a prescriber's scope, the two give
//! the same facts; so the same figures and the same suppressed cells.
use chrono::{DateTime, NaiveDate, Utc};
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::result::QueryResult;
use diesel::sql_types::BigInt;
use diesel::{QueryableByName, RunQueryDsl};
use uuid::Uuid;

use crate::support::*;
use sas_api::db::sql::Sql;
use sas_api::db::stats::{cohort, CohortFact, CohortOf};
use sas_api::domain::stats::period::{local_midnight, Period};

const HISTORY: &str = include_str!("../../scripts/stats-history.sql");
const TERRITORIES: [&str; 2] = [
    "00000000-0000-4000-b000-000000000001",
    "00000000-0000-4000-b000-000000000002",
];
/// A prescriber of territory 1.
const PRESCRIBER: &str = "00000000-0000-4000-c000-000000000065";
/// The generator's last statement: its events in one INSERT (the trigger's bulk path).
const BULK_INSERT: &str = "FROM gen_e ORDER BY at;";
/// The same events one statement each, in a random order (occurred_at out of order): the
/// trigger's path of the API, which writes an event or two a transaction.
const ONE_BY_ONE: &str = "FROM gen_e WHERE false; \
    DO $$ DECLARE g record; BEGIN \
      FOR g IN SELECT * FROM gen_e ORDER BY md5(referral::text || at::text) LOOP \
        INSERT INTO events (id, referral_id, kind, from_status, to_status, code, relay_id, \
          occurred_at, recorded_at, territory_id, prescriber_kind, prescriber_structure_id, \
          channel, exit_date, fields, attempt_channel) \
        VALUES (gen_random_uuid(), g.referral, g.kind, g.from_status, g.to_status, g.code, \
          g.relay_id, g.at, g.at, g.territory, g.pkind, g.prescriber, 'institutional', \
          g.exit_date, g.fields, CASE WHEN g.kind = 'contact_attempt' THEN 'phone' END); \
      END LOOP; END $$;";

fn sorted(mut v: Vec<CohortFact>) -> Vec<CohortFact> {
    v.sort_by_key(|f| format!("{f:?}"));
    v
}

fn count(conn: &mut PgConnection, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let rows: Vec<N> = diesel::sql_query(sql).load(conn).unwrap();
    rows[0].n
}

/// Every quarter and month of the history, as of several month ends and the history's end:
/// the facts of each territory (and of a prescriber) are the oracle's. Returns how many
/// cohorts were compared.
fn compare(conn: &mut PgConnection) -> usize {
    let tz = chrono_tz::Europe::Paris;
    let ends = [
        (2025, 3, 31),
        (2025, 8, 31),
        (2026, 2, 28),
        (2026, 6, 30),
        (2026, 11, 30),
    ];
    let mut compared = 0;
    for year in [2025, 2026] {
        for q in 1..=4 {
            let quarter = Period::parse(&format!("{year}-Q{q}")).unwrap();
            let months = quarter.months();
            let mut periods = vec![quarter];
            periods.extend(months.iter().map(|m| Period::parse(&m.code()).unwrap()));
            for period in periods {
                let (start, end) = period.bounds(tz);
                for (y, m, d) in ends {
                    let as_of = NaiveDate::from_ymd_opt(y, m, d).unwrap();
                    if as_of < months[0].first_day() {
                        continue;
                    }
                    let until = local_midnight(as_of.succ_opt().unwrap(), tz);
                    let mut scopes: Vec<CohortOf> = TERRITORIES
                        .iter()
                        .map(|t| CohortOf::Territory(Uuid::parse_str(t).unwrap()))
                        .collect();
                    scopes.push(CohortOf::Prescriber(
                        Uuid::parse_str(PRESCRIBER).unwrap(),
                        Uuid::parse_str(TERRITORIES[0]).unwrap(),
                    ));
                    for of in scopes {
                        let facts = cohort(conn, of, "Europe/Paris", start, end, until).unwrap();
                        let oracle =
                            events_cohort(conn, of, "Europe/Paris", start, end, until).unwrap();
                        assert_eq!(
                            sorted(facts),
                            sorted(oracle),
                            "{} as of {as_of}, {of:?}",
                            period.code()
                        );
                        compared += 1;
                    }
                }
            }
        }
    }
    compared
}

/// The generator's resumed referrals are there and change figures: roots reached, diagnosed
/// or relayed only through the referral that resumed them.
fn assert_resumed(conn: &mut PgConnection) {
    let resumed = count(
        conn,
        "SELECT count(*) AS n FROM referrals WHERE previous_referral_id IS NOT NULL",
    );
    assert!(resumed >= 8, "{resumed} resumed referrals");
    let through_chain = count(
        conn,
        "SELECT count(*) AS n FROM stat_referral_facts f WHERE f.unreachable_at IS NOT NULL \
         AND f.contact_at > f.unreachable_at AND f.diagnosed_at IS NOT NULL",
    );
    assert!(
        through_chain >= 3,
        "{through_chain} roots reached by a resumption"
    );
}

#[actix_web::test]
async fn the_facts_table_gives_the_events_figures_for_every_period_and_as_of() {
    let app = TestApp::spawn().await;
    let sql = HISTORY.replace("__N__", "1000").replace("__T__", "2");
    let mut conn = app.db();
    conn.batch_execute(&sql).unwrap();
    assert_resumed(&mut conn);
    let n = compare(&mut conn);
    assert!(n > 200, "{n}");
    // The facts a quarter reads hold about a month per month: nothing left out.
    let facts = count(&mut conn, "SELECT count(*) AS n FROM stat_referral_facts");
    let roots = count(
        &mut conn,
        "SELECT count(DISTINCT referral_id) AS n FROM events \
         WHERE kind = 'created' AND to_status = 'submitted'",
    );
    assert_eq!(facts, roots);
}

#[actix_web::test]
async fn facts_written_event_by_event_in_any_order_are_the_same() {
    let app = TestApp::spawn().await;
    assert!(HISTORY.contains(BULK_INSERT));
    let sql = HISTORY
        .replace("__N__", "400")
        .replace("__T__", "2")
        .replace(BULK_INSERT, ONE_BY_ONE);
    let mut conn = app.db();
    conn.batch_execute(&sql).unwrap();
    assert_resumed(&mut conn);
    assert!(compare(&mut conn) > 200);
}

/// The oracle: the facts from the events, at each request (the query `db::stats::cohort` ran
/// before migration 000290).
fn events_cohort(
    conn: &mut PgConnection,
    of: CohortOf,
    tz: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<Vec<CohortFact>> {
    let mut q = Sql::default();
    let filter = match of {
        CohortOf::Territory(t) => format!("e.territory_id = {}", q.uuid(t)),
        CohortOf::Prescriber(p, t) => format!(
            "e.prescriber_structure_id = {} AND e.territory_id = {}",
            q.uuid(p),
            q.uuid(t)
        ),
    };
    let z = q.text(tz);
    let s = q.time(start);
    let e = q.time(end);
    let u = q.time(until);
    let text = format!(
        "WITH RECURSIVE sub AS ( \
           SELECT DISTINCT ON (e.referral_id) e.referral_id AS root, e.occurred_at, \
                  e.prescriber_structure_id, e.prescriber_kind, e.exit_date \
           FROM events e \
           WHERE {filter} AND e.kind IN ('created', 'status_changed') \
             AND e.to_status = 'submitted' AND e.occurred_at >= {s} AND e.occurred_at < {e} \
             AND e.occurred_at < {u} \
           ORDER BY e.referral_id, e.occurred_at, e.id), \
         first AS ( \
           SELECT sub.* FROM sub WHERE NOT EXISTS ( \
             SELECT 1 FROM events x WHERE x.referral_id = sub.root AND x.to_status = 'submitted' \
               AND x.kind IN ('created', 'status_changed') AND x.occurred_at < sub.occurred_at)), \
         chain AS ( \
           SELECT root, root AS id FROM first \
           UNION ALL \
           SELECT c.root, r.id FROM chain c JOIN referrals r ON r.previous_referral_id = c.id), \
         ev AS ( \
           SELECT c.root, c.id, x.kind, x.to_status, x.code, x.occurred_at, x.relay_id, x.fields \
           FROM chain c JOIN events x ON x.referral_id = c.id WHERE x.occurred_at < {u}), \
         agg AS ( \
           SELECT root, \
                  count(*) FILTER (WHERE id = root AND to_status = 'closed' AND code = 'duplicate') > 0 \
                    AS duplicate, \
                  min(occurred_at) FILTER (WHERE kind = 'contact_attempt' \
                    AND code IN ('reached', 'appointment_set')) AS contact_at, \
                  count(*) FILTER (WHERE to_status = 'unreachable') > 0 AS unreachable, \
                  count(*) FILTER (WHERE kind = 'diagnostic_saved') > 0 AS diagnosed, \
                  min(occurred_at) FILTER (WHERE kind = 'status_changed' AND to_status = 'diagnosis') \
                    AS reached_at \
           FROM ev GROUP BY root), \
         att AS ( \
           SELECT ev.root, count(*) AS n FROM ev JOIN agg ON agg.root = ev.root \
           WHERE ev.kind = 'contact_attempt' AND ev.occurred_at <= agg.contact_at GROUP BY ev.root), \
         rel AS ( \
           SELECT root, relay_id, \
                  bool_or(kind = 'relay_requested' AND code IS NOT DISTINCT FROM 'off_platform') AS off, \
                  bool_or(kind = 'relay_requested') AS requested, \
                  bool_or(kind = 'relay_accepted') AS accepted, \
                  min(occurred_at) FILTER (WHERE kind = 'relay_started') AS started_at, \
                  min(code) FILTER (WHERE kind = 'checkpoint_answered' AND 'j90' = ANY(fields)) AS j90, \
                  min(occurred_at) FILTER (WHERE kind IN ('relay_completed', 'relay_failed')) AS ended_at, \
                  min(CASE WHEN kind = 'relay_completed' THEN code WHEN kind = 'relay_failed' \
                    THEN 'failed' END) AS end_code \
           FROM ev WHERE relay_id IS NOT NULL GROUP BY root, relay_id), \
         rr AS ( \
           SELECT root, count(*) FILTER (WHERE requested AND NOT off) > 0 AS relayed, \
                  count(*) FILTER (WHERE accepted AND NOT off) > 0 AS accepted, \
                  count(*) FILTER (WHERE off) > 0 AS off_relayed, \
                  min(started_at) FILTER (WHERE off) AS off_started_at \
           FROM rel GROUP BY root), \
         fs AS ( \
           SELECT DISTINCT ON (root) * FROM rel WHERE NOT off AND started_at IS NOT NULL \
           ORDER BY root, started_at, relay_id) \
         SELECT f.prescriber_structure_id AS structure_id, f.prescriber_kind, \
                (f.occurred_at AT TIME ZONE {z})::date AS submitted_on, f.exit_date, \
                coalesce(a.duplicate, false) AS duplicate, \
                (a.contact_at AT TIME ZONE {z})::date AS first_contact_on, \
                coalesce(att.n, 0) AS attempts_to_contact, \
                coalesce(a.unreachable, false) AS unreachable, \
                coalesce(a.diagnosed, false) AS diagnosed, \
                (a.reached_at AT TIME ZONE {z})::date AS reached_on, \
                coalesce(rr.relayed, false) AS relayed, coalesce(rr.accepted, false) AS accepted, \
                (fs.started_at AT TIME ZONE {z})::date AS started_on, fs.j90 AS j90_answer, \
                fs.end_code AS relay_end, (fs.ended_at AT TIME ZONE {z})::date AS relay_end_on, \
                coalesce(rr.off_relayed, false) AS off_relayed, \
                (rr.off_started_at AT TIME ZONE {z})::date AS off_started_on \
         FROM first f LEFT JOIN agg a ON a.root = f.root LEFT JOIN att ON att.root = f.root \
         LEFT JOIN rr ON rr.root = f.root LEFT JOIN fs ON fs.root = f.root \
         WHERE NOT EXISTS (SELECT 1 FROM events x WHERE x.referral_id = f.root \
           AND x.to_status = 'closed' AND x.code = 'entered_in_error') \
         ORDER BY submitted_on, structure_id"
    );
    q.push(&text);
    q.load(conn)
}
