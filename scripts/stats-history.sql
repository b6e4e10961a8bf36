-- A synthetic history for the statistics (issue 14, requirement 5), set-based: __N__
-- referrals submitted from 1 January 2025 to 30 November 2026 over __T__ territories, with
-- their events shaped as the API writes them and as api/src/db/stats.rs reads them:
-- contact attempts (no answer, then reached or appointment set), the unreachable status,
-- holds and back, diagnostics, closures (duplicates and entered in error included), relays
-- through SAS (refused, accepted, started, completed or failed) and off-platform, the J+30,
-- J+90 and J+180 checkpoints answered or not; half of the referrals closed unreachable are
-- resumed ten days later (issue 11: a new referral linked by `previous_referral_id`, with a
-- `resumed` event and no `submitted` one), then reached, diagnosed and maybe relayed. Nothing
-- happens after 1 December 2026.
--
-- Ids are fixed: territory k is 00000000-0000-4000-b000-<k in hex>, its prescriber
-- structures 00000000-0000-4000-c000-<100 k + p>, its receivers -d000-<100 k + i>.
-- Referral n and its youth are -8000-<n> and -9000-<n> (as in scripts/bench-referrals.py);
-- the referral resuming it is -a000-<n>, their relay -f000-<n>.
-- Used by scripts/bench-stats.py (1,000,000 referrals) and tests/api/stats_generated.rs
-- (1,000 at most), which write __N__ and __T__ in. Needs the communes (migrations).
CREATE TEMP TABLE gen_t AS
SELECT k, ('00000000-0000-4000-b000-' || lpad(to_hex(k), 12, '0'))::uuid AS id
FROM generate_series(1, __T__) k;
INSERT INTO territories (id, name, time_zone, created_at, updated_at)
SELECT id, 'Territoire synthétique ' || k, 'Europe/Paris', '2024-12-01', '2024-12-01' FROM gen_t;
INSERT INTO structures (id, name, kind, prescriber, territory_id, created_at, updated_at)
SELECT ('00000000-0000-4000-c000-' || lpad(to_hex(100 * k + p), 12, '0'))::uuid,
       'Prescripteur ' || k || '-' || p,
       (ARRAY['ase', 'pjj', 'school', 'mission_locale', 'france_travail', 'association', 'health', 'other'])[p],
       true, id, '2024-12-01', '2024-12-01'
FROM gen_t, generate_series(1, 8) p;
INSERT INTO structures (id, name, kind, receiver, territory_id, created_at, updated_at)
SELECT ('00000000-0000-4000-d000-' || lpad(to_hex(100 * k + i), 12, '0'))::uuid,
       'Accueil ' || k || '-' || i, 'association', true, id, '2024-12-01', '2024-12-01'
FROM gen_t, generate_series(1, 3) i;
INSERT INTO services (id, structure_id, nom, description, status, date_maj, created_at, updated_at)
SELECT ('00000000-0000-4000-e000-' || lpad(to_hex(100 * k + i), 12, '0'))::uuid,
       ('00000000-0000-4000-d000-' || lpad(to_hex(100 * k + i), 12, '0'))::uuid,
       'Accompagnement ' || k || '-' || i, 'Accompagnement vers l''emploi', 'published',
       '2024-12-01', '2024-12-01', '2024-12-01'
FROM gen_t, generate_series(1, 3) i;

-- One row a referral: its fate drawn from a hash of n, its instants.
CREATE TEMP TABLE gen_j AS
SELECT n, t.id AS territory, s.*, x.*,
       ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid AS referral,
       ('00000000-0000-4000-c000-' || lpad(to_hex(100 * t.k + s.p), 12, '0'))::uuid AS prescriber,
       (ARRAY['ase', 'pjj', 'school', 'mission_locale', 'france_travail', 'association', 'health', 'other'])[s.p] AS pkind,
       CASE WHEN x.r1 < 10 THEN NULL ELSE (x.sub AT TIME ZONE 'Europe/Paris')::date + (x.r1 % 120)::int - 30 END AS exit_date,
       x.r2 < 2 AS dup, x.r2 = 2 AS err,
       x.r2 >= 3 AND x.r3 < 75 AS reached,
       x.r2 >= 3 AND x.r3 >= 90 AS unreach,
       (1 + x.r3 % 4)::int AS attempts
FROM generate_series(1, __N__) n
JOIN gen_t t ON t.k = 1 + n % __T__,
LATERAL (SELECT 1 + (n / __T__) % 8 AS p, (n::bigint * 2654435761) % 4294967296 AS h) s,
LATERAL (SELECT s.h % 100 AS r1, (s.h / 100) % 100 AS r2, (s.h / 10000) % 100 AS r3,
                (s.h / 1000000) % 100 AS r4,
                timestamptz '2025-01-01 07:00:00+00'
                  + make_interval(secs => (n::bigint * 7919 * 61) % (698 * 86400)) AS sub) x;
ALTER TABLE gen_j ADD COLUMN contacting timestamptz, ADD COLUMN contact timestamptz,
  ADD COLUMN diag timestamptz, ADD COLUMN relay uuid, ADD COLUMN off boolean,
  ADD COLUMN receiver integer, ADD COLUMN prev uuid;
UPDATE gen_j SET
  contacting = CASE WHEN r2 >= 3 THEN sub + interval '1 day' END,
  contact = CASE WHEN reached THEN sub + interval '1 day' + make_interval(days => 2 * (attempts - 1), hours => 2) END;
UPDATE gen_j SET diag = contact + interval '4 days' WHERE reached;
-- The resumed referrals: the same youth, prescriber and fate's draws, reached at the first try.
INSERT INTO gen_j (n, territory, p, h, r1, r2, r3, r4, sub, referral, prescriber, pkind, exit_date,
                   dup, err, reached, unreach, attempts, contacting, contact, diag, prev)
SELECT n, territory, p, h, r1, r2, r3, r4, x.at,
       ('00000000-0000-4000-a000-' || lpad(to_hex(n), 12, '0'))::uuid, prescriber, pkind, exit_date,
       false, false, true, false, 1, x.at + interval '1 day', x.at + interval '1 day 2 hours',
       x.at + interval '5 days 2 hours', referral
FROM gen_j, LATERAL (SELECT contacting + make_interval(days => 2 * attempts + 11) AS at) x
WHERE unreach AND r4 % 2 = 0 AND x.at < timestamptz '2026-12-01 00:00:00+00';
UPDATE gen_j SET relay = ('00000000-0000-4000-f000-' || lpad(to_hex(n), 12, '0'))::uuid,
                 off = r2 >= 90, receiver = 1 + n % 3
WHERE reached AND r1 >= 30;

INSERT INTO youths (id, first_name, last_name, birth_date, name_key, commune_insee, created_at, updated_at)
SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(n), 12, '0'))::uuid, 'Jeune', 'Synthétique' || n,
       date '2000-01-01' + n % 3000, 'synthetique' || n || ' jeune',
       (SELECT insee FROM communes ORDER BY insee LIMIT 1), sub, sub
FROM gen_j WHERE prev IS NULL;
-- Statuses are set from the last status event below.
INSERT INTO referrals (id, youth_id, channel, territory_id, prescriber_structure_id, reason_code,
                       exit_date, status, submitted_at, created_at, updated_at,
                       previous_referral_id)
SELECT referral, ('00000000-0000-4000-9000-' || lpad(to_hex(n), 12, '0'))::uuid, 'institutional',
       territory, prescriber, 'ase_exit', exit_date, 'submitted', sub, sub, sub, prev
FROM gen_j;

-- The relays: one for 70 % of the diagnosed, 10 % of them off-platform. Of those through SAS,
-- 20 % refused, the others accepted three days later, 90 % of which started a week after;
-- a third completed (positive exit) at J+120, a third failed (dropped out) at J+100.
CREATE TEMP TABLE gen_r AS
SELECT j.*, ('00000000-0000-4000-d000-' || lpad(to_hex(100 * t.k + receiver), 12, '0'))::uuid AS structure,
       ('00000000-0000-4000-e000-' || lpad(to_hex(100 * t.k + receiver), 12, '0'))::uuid AS service,
       diag + interval '2 days' AS requested,
       CASE WHEN NOT off THEN diag + interval '5 days' END AS answered,
       NOT off AND r3 % 5 = 0 AS refused,
       CASE WHEN off AND r4 % 10 <> 0 THEN diag + interval '6 days'
            WHEN NOT off AND r3 % 5 <> 0 AND r4 % 10 <> 0 THEN diag + interval '12 days' END AS started
FROM gen_j j JOIN gen_t t ON t.id = j.territory WHERE relay IS NOT NULL;
ALTER TABLE gen_r ADD COLUMN ended timestamptz, ADD COLUMN end_kind text;
UPDATE gen_r SET ended = started + interval '120 days', end_kind = 'relay_completed'
WHERE started IS NOT NULL AND NOT off AND r3 % 3 = 0;
UPDATE gen_r SET ended = started + interval '100 days', end_kind = 'relay_failed'
WHERE started IS NOT NULL AND NOT off AND r3 % 3 = 1;

-- Every event, then those after the history's end dropped.
CREATE TEMP TABLE gen_e AS
SELECT j.referral, j.territory, j.prescriber, j.pkind, j.exit_date, v.*
FROM gen_j j CROSS JOIN LATERAL (VALUES
  ('created', NULL, 'submitted', NULL, CASE WHEN j.prev IS NULL THEN j.sub END, NULL::uuid, '{}'::text[]),
  ('resumed', NULL, 'contacting', 'ase_exit', CASE WHEN j.prev IS NOT NULL THEN j.sub END, NULL, '{}'),
  ('status_changed', 'submitted', 'closed', 'duplicate', CASE WHEN j.dup THEN j.sub + interval '2 hours' END, NULL, '{}'),
  ('status_changed', 'submitted', 'closed', 'entered_in_error', CASE WHEN j.err THEN j.sub + interval '3 hours' END, NULL, '{}'),
  ('status_changed', 'submitted', 'contacting', NULL, CASE WHEN j.prev IS NULL THEN j.contacting END, NULL, '{}'),
  ('status_changed', 'contacting', 'unreachable', NULL,
     CASE WHEN j.unreach THEN j.contacting + make_interval(days => 2 * j.attempts) END, NULL, '{}'),
  ('status_changed', 'unreachable', 'closed', 'unreachable',
     CASE WHEN j.unreach THEN j.contacting + make_interval(days => 2 * j.attempts + 1) END, NULL, '{}'),
  ('status_changed', 'contacting', 'on_hold', 'waiting_list',
     CASE WHEN j.reached AND j.r4 < 5 THEN j.contact + interval '1 hour' END, NULL, '{}'),
  ('status_changed', 'on_hold', 'contacting', NULL,
     CASE WHEN j.reached AND j.r4 < 5 THEN j.contact + interval '3 days' END, NULL, '{}'),
  ('status_changed', 'contacting', 'diagnosis', NULL, j.diag, NULL, '{}'),
  ('diagnostic_saved', NULL, NULL, NULL, CASE WHEN j.r4 >= 10 THEN j.diag + interval '1 hour' END, NULL, '{}')
) v(kind, from_status, to_status, code, at, relay_id, fields)
WHERE v.at IS NOT NULL;
-- Contact attempts: no answer, the last reached (or an appointment set) if it was.
INSERT INTO gen_e
SELECT j.referral, j.territory, j.prescriber, j.pkind, j.exit_date, 'contact_attempt', NULL, NULL,
       CASE WHEN j.reached AND i = j.attempts - 1
            THEN CASE WHEN j.r3 % 2 = 0 THEN 'reached' ELSE 'appointment_set' END
            ELSE 'no_answer' END,
       j.contacting + make_interval(days => 2 * i, hours => 2), NULL, '{}'
FROM gen_j j, generate_series(0, j.attempts - 1) i WHERE j.contacting IS NOT NULL;
INSERT INTO gen_e
SELECT r.referral, r.territory, r.prescriber, r.pkind, r.exit_date, v.*
FROM gen_r r CROSS JOIN LATERAL (VALUES
  ('relay_requested', NULL, NULL, CASE WHEN r.off THEN 'off_platform' END, r.requested, r.relay, '{}'::text[]),
  ('status_changed', 'diagnosis', 'relaying', NULL, r.requested + interval '1 minute', NULL, '{}'),
  ('relay_refused', NULL, NULL, 'no_capacity', CASE WHEN r.refused THEN r.answered END, r.relay, '{}'),
  ('status_changed', 'relaying', 'diagnosis', NULL, CASE WHEN r.refused THEN r.answered + interval '1 minute' END, NULL, '{}'),
  ('relay_accepted', NULL, NULL, NULL, CASE WHEN NOT r.off AND NOT r.refused THEN r.answered END, r.relay, '{}'),
  ('relay_started', NULL, NULL, NULL, r.started, r.relay, '{}'),
  ('status_changed', 'relaying', 'followed', NULL, r.started + interval '1 minute', NULL, '{}'),
  ('checkpoint_answered', NULL, NULL, 'still_accompanied',
     CASE WHEN NOT r.off AND r.r1 % 4 <> 0 THEN r.started + interval '31 days' END, r.relay, '{j30}'),
  ('checkpoint_answered', NULL, NULL, CASE WHEN r.r3 % 3 = 0 THEN 'positive_exit' ELSE 'still_accompanied' END,
     CASE WHEN NOT r.off AND r.r2 % 4 <> 0 THEN r.started + interval '91 days' END, r.relay, '{j90}'),
  (r.end_kind, NULL, NULL, CASE WHEN r.end_kind = 'relay_completed' THEN 'positive_exit' ELSE 'dropped_out' END,
     r.ended, r.relay, '{}'),
  ('checkpoint_answered', NULL, NULL, 'positive_exit',
     CASE WHEN r.end_kind = 'relay_completed' AND r.r4 % 4 <> 0 THEN r.started + interval '181 days' END, r.relay, '{j180}'),
  ('status_changed', 'followed', 'closed', CASE WHEN r.end_kind = 'relay_completed' THEN 'positive_exit' ELSE 'declined' END,
     r.ended + interval '1 day', NULL, '{}')
) v(kind, from_status, to_status, code, at, relay_id, fields)
WHERE v.at IS NOT NULL AND v.kind IS NOT NULL;
DELETE FROM gen_e WHERE at >= timestamptz '2026-12-01 00:00:00+00';

-- The relays as they stand at the end.
INSERT INTO relays (id, referral_id, service_id, structure_id, off_platform, status, reason, outcome,
                    requested_at, answered_at, started_at, ended_at, updated_at)
SELECT r.relay, r.referral, r.service, r.structure, r.off, s.status,
       CASE WHEN s.status = 'refused' THEN 'no_capacity' WHEN s.status = 'failed' THEN 'dropped_out' END,
       CASE WHEN s.status = 'completed' THEN 'positive_exit' END,
       r.requested, CASE WHEN r.answered < c.at THEN r.answered END,
       CASE WHEN r.started < c.at THEN r.started END, CASE WHEN r.ended < c.at THEN r.ended END,
       r.requested
FROM gen_r r, (SELECT timestamptz '2026-12-01 00:00:00+00' AS at) c,
LATERAL (SELECT CASE WHEN r.ended < c.at THEN CASE WHEN r.end_kind = 'relay_completed' THEN 'completed' ELSE 'failed' END
                     WHEN r.started < c.at THEN 'started'
                     WHEN r.refused AND r.answered < c.at THEN 'refused'
                     WHEN r.answered < c.at THEN 'accepted'
                     ELSE 'requested' END AS status) s
WHERE r.requested < c.at;
INSERT INTO relay_checkpoints (relay_id, n, due_on, answer, answered_at)
SELECT r.relay, d.n, (r.started + make_interval(days => d.n))::date, e.code, e.at
FROM gen_r r CROSS JOIN (VALUES (30), (90), (180)) d(n)
LEFT JOIN gen_e e ON e.relay_id = r.relay AND e.kind = 'checkpoint_answered' AND e.fields = ARRAY['j' || d.n]
WHERE r.started < timestamptz '2026-12-01 00:00:00+00';

INSERT INTO events (id, referral_id, kind, from_status, to_status, code, relay_id, occurred_at,
                    recorded_at, territory_id, prescriber_kind, prescriber_structure_id, channel,
                    exit_date, fields, attempt_channel)
SELECT gen_random_uuid(), referral, kind, from_status, to_status, code, relay_id, at, at, territory,
       pkind, prescriber, 'institutional', exit_date, fields,
       CASE WHEN kind = 'contact_attempt' THEN 'phone' END
FROM gen_e ORDER BY at;

-- Each referral's status: its last status event.
UPDATE referrals r SET status = l.to_status,
       outcome = CASE WHEN l.to_status = 'closed' THEN l.code END,
       closed_at = CASE WHEN l.to_status = 'closed' THEN l.at END,
       on_hold_from = CASE WHEN l.to_status = 'on_hold' THEN l.from_status END,
       on_hold_reason = CASE WHEN l.to_status = 'on_hold' THEN 'waiting_list' END,
       updated_at = l.at
FROM (SELECT DISTINCT ON (referral) referral, to_status, from_status, code, at FROM gen_e
      WHERE to_status IS NOT NULL ORDER BY referral, at DESC) l
WHERE r.id = l.referral AND l.to_status <> 'submitted';
DROP TABLE gen_t, gen_j, gen_r, gen_e;
