//! The one journal: every event of a referral's timeline and every access-log row is written
//! here. Events take their snapshots (territory, prescriber structure and kind, channel, exit
//! date) from the referral row at the moment they are written, in the same statement, so
//! statistics never join mutable rows; free text goes to `event_notes`, which anonymisation
//! can blank. Access logs: one row per youth per request.
//!
//! Any module records through a [`Journal`]: a handler builds one from its caller
//! (`Journal::new(who, structure, route, now)`), a job uses [`Journal::system`].
use api_types::AccessAction;
use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::schema::event_notes;
use crate::db::sql::Sql;
use crate::domain::referral::lifecycle::EventDraft;
use crate::ids::{ClientId, EventId, ReferralId, StructureId, UserId, YouthId};

/// Who acted: a person, a partner system, or SAS itself (jobs and consequences of other
/// actions). Events of the system have no actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    User(UserId),
    Client(ClientId),
    System,
}

impl Who {
    pub fn user(self) -> Option<UserId> {
        match self {
            Who::User(u) => Some(u),
            _ => None,
        }
    }

    pub fn client(self) -> Option<ClientId> {
        match self {
            Who::Client(c) => Some(c),
            _ => None,
        }
    }
}

/// The context in which things are recorded.
#[derive(Debug, Clone)]
pub struct Journal {
    pub who: Who,
    /// The actor's structure (access logs say on behalf of which structure data was read).
    pub structure: Option<StructureId>,
    /// The route (or job) that read or changed the data.
    pub route: String,
    /// Business time, from the injected clock.
    pub now: DateTime<Utc>,
}

impl Journal {
    pub fn new(
        who: Who,
        structure: Option<StructureId>,
        route: impl Into<String>,
        now: DateTime<Utc>,
    ) -> Journal {
        Journal {
            who,
            structure,
            route: route.into(),
            now,
        }
    }

    /// What a job or a consequence of another action records.
    pub fn system(job: &str, now: DateTime<Utc>) -> Journal {
        Journal::new(Who::System, None, job, now)
    }

    /// Appends an event to `referral`'s timeline (and its note, if any).
    pub fn event(
        &self,
        conn: &mut PgConnection,
        referral: ReferralId,
        e: &EventDraft,
    ) -> QueryResult<EventId> {
        let id = EventId::new();
        let mut q = Sql::default();
        let opt_text = |q: &mut Sql, v: Option<&str>| match v {
            Some(v) => q.text(v),
            None => "NULL".to_string(),
        };
        let (eid, rid, kind) = (q.uuid(id), q.uuid(referral), q.text(e.kind.as_str()));
        let from = opt_text(&mut q, e.from_status.map(|s| s.as_str()));
        let to = opt_text(&mut q, e.to_status.map(|s| s.as_str()));
        let code = opt_text(&mut q, e.code.as_deref());
        let user = q.opt_uuid(self.who.user().map(Into::into));
        let client = q.opt_uuid(self.who.client().map(Into::into));
        let now = q.time(self.now);
        let counsellor = q.opt_uuid(e.counsellor.map(Into::into));
        let fields = q.texts(e.fields.clone());
        let attempt_channel = opt_text(&mut q, e.attempt_channel.map(|c| c.as_str()));
        let to_territory = q.opt_uuid(e.to_territory);
        let relay = q.opt_uuid(e.relay);
        q.push(&format!(
            "INSERT INTO events (id, referral_id, kind, from_status, to_status, code, \
             actor_user_id, actor_client_id, occurred_at, recorded_at, counsellor_id, fields, \
             attempt_channel, to_territory_id, relay_id, \
             territory_id, prescriber_structure_id, prescriber_kind, channel, exit_date) \
             SELECT {eid}, r.id, {kind}, {from}, {to}, {code}, {user}, {client}, {now}, now(), \
             {counsellor}, {fields}, {attempt_channel}, {to_territory}, {relay}, \
             r.territory_id, r.prescriber_structure_id, s.kind, \
             r.channel, r.exit_date \
             FROM referrals r LEFT JOIN structures s ON s.id = r.prescriber_structure_id \
             WHERE r.id = {rid}"
        ));
        if q.execute(conn)? != 1 {
            return Err(diesel::result::Error::NotFound);
        }
        if let Some(note) = &e.note {
            diesel::insert_into(event_notes::table)
                .values((
                    event_notes::event_id.eq(id.uuid()),
                    event_notes::referral_id.eq(referral.uuid()),
                    event_notes::note.eq(note),
                ))
                .execute(conn)?;
        }
        // A status change goes out to the webhooks that may see the referral, and a closing
        // tells the person who sent it (both queued in this transaction: nothing is sent for
        // a change that is rolled back).
        if let Some(to) = e.to_status.filter(|to| Some(*to) != e.from_status) {
            crate::db::webhooks::emit_referral_change(
                conn,
                referral.uuid(),
                id.uuid(),
                e.from_status,
                to,
                self.now,
            )?;
            if to == api_types::Status::Closed {
                crate::db::notifications::referral_closed(
                    conn,
                    referral.uuid(),
                    id.uuid(),
                    self.who.user().map(|u| u.uuid()),
                    self.now,
                )?;
            }
        }
        Ok(id)
    }

    /// The values of an access-log row but the youth and the referral, as placeholders of `q`
    /// (occurred_at, actor_user_id, actor_client_id, structure_id, action, route, reason).
    fn log_values(&self, q: &mut Sql, action: AccessAction, reason: Option<&str>) -> String {
        let cols = [
            q.time(self.now),
            q.opt_uuid(self.who.user().map(Into::into)),
            q.opt_uuid(self.who.client().map(Into::into)),
            q.opt_uuid(self.structure.map(Into::into)),
            q.text(action.as_str()),
            q.text(&self.route),
            match reason {
                Some(r) => q.text(r),
                None => "NULL::text".to_string(),
            },
        ];
        cols.join(", ")
    }

    const LOG_COLUMNS: &'static str = "occurred_at, actor_user_id, actor_client_id, \
        structure_id, action, route, reason, youth_id, referral_id";

    /// Logs that the youth data of these referrals was read or changed. The system reading
    /// nobody's data on a person's behalf logs nothing.
    pub fn access(
        &self,
        conn: &mut PgConnection,
        action: AccessAction,
        rows: &[(YouthId, ReferralId)],
        reason: Option<&str>,
    ) -> QueryResult<()> {
        if rows.is_empty() || self.who == Who::System {
            return Ok(());
        }
        let mut q = Sql::default();
        let values = self.log_values(&mut q, action, reason);
        let youths = q.texts(rows.iter().map(|(y, _)| y.to_string()).collect());
        let referrals = q.texts(rows.iter().map(|(_, r)| r.to_string()).collect());
        q.push(&format!(
            "INSERT INTO access_logs ({}) SELECT {values}, t.y::uuid, t.r::uuid \
             FROM unnest({youths}, {referrals}) AS t(y, r)",
            Self::LOG_COLUMNS
        ));
        q.execute(conn)?;
        Ok(())
    }

    /// Logs an access to a youth's data as a whole, about no one referral (the right of
    /// access's export): one row, `referral_id` NULL.
    pub fn access_youth(
        &self,
        conn: &mut PgConnection,
        action: AccessAction,
        youth: YouthId,
        reason: Option<&str>,
    ) -> QueryResult<()> {
        if self.who == Who::System {
            return Ok(());
        }
        let mut q = Sql::default();
        let values = self.log_values(&mut q, action, reason);
        let y = q.uuid(youth);
        q.push(&format!(
            "INSERT INTO access_logs ({}) VALUES ({values}, {y}, NULL)",
            Self::LOG_COLUMNS
        ));
        q.execute(conn)?;
        Ok(())
    }

    /// A CTE (`logged AS (…)`) that logs one access per row of the CTE `source` (which has
    /// `youth_id` and `id` columns), so a read and its log are one statement.
    pub fn access_cte(&self, q: &mut Sql, action: AccessAction, source: &str) -> String {
        let values = self.log_values(q, action, None);
        format!(
            "logged AS (INSERT INTO access_logs ({}) SELECT {values}, youth_id, id FROM {source})",
            Self::LOG_COLUMNS
        )
    }
}
