-- Steering at scale (issue 14, docs/PERFORMANCE.md): the cohort query's two tests over the
-- events of a referral, a first `submitted` and an `entered_in_error` closure, read these
-- small partial indexes instead of scanning `events` (measured at 200,000 referrals in a
-- territory: the quarter's cohort 3.3 s -> 1.8 s).
CREATE INDEX events_submitted ON events (referral_id, occurred_at)
  WHERE to_status = 'submitted' AND kind IN ('created', 'status_changed');
CREATE INDEX events_entered_in_error ON events (referral_id)
  WHERE to_status = 'closed' AND code = 'entered_in_error';
