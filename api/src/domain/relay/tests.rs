//! DOMAIN.md's relay tables written out by hand.
use super::*;
use api_types::CheckpointAnswer as A;
use Capacity::{Counsellor as C, Receiver as R, System as S};

/// (from, action, who) allowed for a relay through SAS; anything else is refused.
const EXPECTED: &[(RelayStatus, Action, Capacity)] = &[
    (Requested, Action::Accept, R),
    (Requested, Action::Refuse, R),
    (Requested, Action::Expire, S),
    (Requested, Action::Cancel, C),
    (Requested, Action::Cancel, S),
    (Accepted, Action::Start, R),
    (Accepted, Action::Fail, R),
    (Accepted, Action::Cancel, C),
    (Accepted, Action::Cancel, S),
    (Started, Action::Complete, R),
    (Started, Action::Fail, R),
];

/// For an off-platform relay: the counsellor records the receiver's answers.
const EXPECTED_OFF: &[(RelayStatus, Action, Capacity)] = &[
    (Requested, Action::Accept, C),
    (Requested, Action::Refuse, C),
    (Requested, Action::Expire, S),
    (Requested, Action::Cancel, C),
    (Requested, Action::Cancel, S),
    (Accepted, Action::Start, C),
    (Accepted, Action::Fail, C),
    (Accepted, Action::Cancel, C),
    (Accepted, Action::Cancel, S),
    (Started, Action::Complete, C),
    (Started, Action::Fail, C),
];

fn details() -> Details {
    Details {
        reason: Some(RelayReason::NoCapacity),
        reason_text: None,
        outcome: Some(RelayOutcome::PositiveExit),
        cause: None,
    }
}

#[test]
fn the_allow_list_is_exactly_domain_md_s() {
    for off in [false, true] {
        let table = if off { EXPECTED_OFF } else { EXPECTED };
        for from in RelayStatus::ALL {
            for action in Action::ALL {
                for who in Capacity::ALL {
                    let expected = table.contains(&(*from, action, who));
                    assert_eq!(
                        may(*from, action, who, off),
                        expected,
                        "{from} {action:?} by {who:?} (off platform: {off})"
                    );
                    let got = apply(*from, action, who, off, &details());
                    if expected {
                        assert_eq!(got.expect("allowed").to, action.target());
                    } else {
                        let Err(Refusal::Illegal {
                            from: f,
                            allowed: a,
                        }) = got
                        else {
                            panic!("{from} {action:?} by {who:?}: {got:?}");
                        };
                        assert_eq!(f, *from);
                        let named: Vec<Action> = Action::ALL
                            .iter()
                            .copied()
                            .filter(|x| table.contains(&(*from, *x, who)))
                            .collect();
                        assert_eq!(a, named);
                    }
                }
            }
        }
    }
}

#[test]
fn final_states_allow_nothing() {
    for s in [Refused, Expired, Cancelled, Completed, Failed] {
        for who in Capacity::ALL {
            assert!(allowed(s, who, false).is_empty(), "{s} {who:?}");
            assert!(allowed(s, who, true).is_empty(), "{s} {who:?} off");
        }
        assert!(!is_active(s));
        assert!(!is_pending(s));
    }
    assert!(is_active(Started) && !is_pending(Started));
    assert!(is_pending(Requested) && is_pending(Accepted));
}

#[test]
fn refusals_and_failures_need_a_reason_and_other_a_text() {
    for (from, action) in [
        (Requested, Action::Refuse),
        (Accepted, Action::Fail),
        (Started, Action::Fail),
    ] {
        let none = Details::default();
        assert_eq!(
            apply(from, action, R, false, &none),
            Err(Refusal::ReasonRequired)
        );
        let other = Details {
            reason: Some(RelayReason::Other),
            reason_text: Some("   ".into()),
            ..Details::default()
        };
        assert_eq!(
            apply(from, action, R, false, &other),
            Err(Refusal::ReasonTextRequired)
        );
        let long = Details {
            reason: Some(RelayReason::Other),
            reason_text: Some("x".repeat(MAX_REASON_CHARS + 1)),
            ..Details::default()
        };
        assert_eq!(
            apply(from, action, R, false, &long),
            Err(Refusal::ReasonTooLong)
        );
        let ok = Details {
            reason: Some(RelayReason::Other),
            reason_text: Some(" Déménagement ".into()),
            ..Details::default()
        };
        let a = apply(from, action, R, false, &ok).expect("other with text");
        assert_eq!(a.reason_text.as_deref(), Some("Déménagement"));
        assert_eq!(a.code.as_deref(), Some("other"));
        for reason in RelayReason::ALL
            .iter()
            .filter(|r| **r != RelayReason::Other)
        {
            let d = Details {
                reason: Some(*reason),
                ..Details::default()
            };
            let a = apply(from, action, R, false, &d).expect("coded reason");
            assert_eq!(a.reason, Some(*reason));
            assert_eq!(a.code.as_deref(), Some(reason.as_str()));
        }
    }
}

#[test]
fn completing_needs_an_outcome() {
    assert_eq!(
        apply(Started, Action::Complete, R, false, &Details::default()),
        Err(Refusal::OutcomeRequired)
    );
    for o in RelayOutcome::ALL {
        let d = Details {
            outcome: Some(*o),
            ..Details::default()
        };
        let a = apply(Started, Action::Complete, R, false, &d).expect("complete");
        assert_eq!((a.to, a.outcome), (Completed, Some(*o)));
    }
}

#[test]
fn the_system_s_cancellations_carry_their_cause() {
    let d = Details {
        cause: Some(REFERRAL_CLOSED),
        ..Details::default()
    };
    let a = apply(Accepted, Action::Cancel, S, false, &d).expect("cancel");
    assert_eq!(a.code.as_deref(), Some(REFERRAL_CLOSED));
    let by_person = apply(Accepted, Action::Cancel, C, false, &d).expect("cancel");
    assert_eq!(by_person.code, None, "people give no cause");
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("time")
}

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

const PARIS: Tz = chrono_tz::Europe::Paris;
const REUNION: Tz = chrono_tz::Indian::Reunion;

#[test]
fn reminders_at_10_and_20_days_then_expiry_at_30_in_calendar_days() {
    // Requested at 23:30 in Paris on 1 March (22:30 UTC).
    let req = at("2026-03-01T22:30:00Z");
    let cases = [
        ("2026-03-10T22:00:00Z", None, false, false), // 9 days
        ("2026-03-10T23:30:00Z", Some(10), true, false), // 11 March in Paris: 10 days
        ("2026-03-20T22:59:00Z", Some(10), true, false),
        ("2026-03-20T23:00:00Z", Some(20), true, false),
        ("2026-03-30T21:59:00Z", Some(20), true, false), // 30 March 23:59: 29 days
        ("2026-03-30T22:00:00Z", None, true, true),      // 31 March: 30 days
    ];
    for (now, reminder, overdue, expired) in cases {
        let now = at(now);
        assert_eq!(reminder_due(Requested, req, PARIS, now), reminder, "{now}");
        assert_eq!(
            request_overdue(Requested, req, PARIS, now),
            overdue,
            "{now}"
        );
        assert_eq!(is_expired(Requested, req, PARIS, now), expired, "{now}");
        for s in RelayStatus::ALL.iter().filter(|s| **s != Requested) {
            assert_eq!(reminder_due(*s, req, PARIS, now), None);
            assert!(!is_expired(*s, req, PARIS, now));
            assert!(!request_overdue(*s, req, PARIS, now));
        }
    }
    assert_eq!(expires_on(req, PARIS), d("2026-03-30"));
    // The same instant is already 2 March in Réunion.
    assert_eq!(expires_on(req, REUNION), d("2026-03-31"));
    assert_eq!(age_days(req, REUNION, at("2026-03-11T20:30:00Z")), 10);
}

/// Every day from the request to well past its expiry, at both ends of the day in Paris,
/// for both kinds of relay and every status: what the sweep is to do, written out by hand.
#[test]
fn a_waiting_request_is_reminded_and_expires_by_kind_of_relay() {
    use chrono::TimeZone;
    use Reminded::{Counsellor as Co, ReceivingStructure as Rs};
    // Requested at 23:30 in Paris on 1 March (22:30 UTC): day 0 is 1 March.
    let req = at("2026-03-01T22:30:00Z");
    let expected = |day: i64, off_platform: bool| -> Option<Waiting> {
        let to = if off_platform { Co } else { Rs };
        match day {
            0..=9 => None,
            10..=19 => Some(Waiting::Remind { day: 10, to }),
            20..=29 => Some(Waiting::Remind { day: 20, to }),
            _ if off_platform => None,
            _ => Some(Waiting::Expire),
        }
    };
    for day in 0..=60 {
        let date = d("2026-03-01") + Duration::days(day);
        // 00:00 and 23:59 that day in Paris.
        for (h, m) in [(0, 0), (23, 59)] {
            let local = date.and_hms_opt(h, m, 0).expect("time");
            let now = PARIS
                .from_local_datetime(&local)
                .single()
                .expect("unambiguous")
                .with_timezone(&Utc);
            assert_eq!(age_days(req, PARIS, now), day);
            for off_platform in [false, true] {
                assert_eq!(
                    waiting(Requested, off_platform, req, PARIS, now),
                    expected(day, off_platform),
                    "day {day} {h}:{m}, off_platform {off_platform}"
                );
                for s in RelayStatus::ALL.iter().filter(|s| **s != Requested) {
                    assert_eq!(waiting(*s, off_platform, req, PARIS, now), None, "{s:?}");
                }
            }
        }
    }
    assert!(expires(false));
    assert!(!expires(true));
    assert_eq!(expiry_date(false, req, PARIS), Some(d("2026-03-30")));
    assert_eq!(expiry_date(true, req, PARIS), None);
    // Réunion's calendar: the same instant is 2 March there, so everything is a day later.
    let later = at("2026-03-31T21:00:00Z"); // 1 April 01:00 in Réunion: day 30
    assert_eq!(
        waiting(Requested, false, req, REUNION, later),
        Some(Waiting::Expire)
    );
    assert_eq!(waiting(Requested, true, req, REUNION, later), None);
    let before = at("2026-03-31T19:00:00Z"); // 31 March 23:00 in Réunion: day 29
    assert_eq!(
        waiting(Requested, true, req, REUNION, before),
        Some(Waiting::Remind { day: 20, to: Co })
    );
}

#[test]
fn checkpoints_fall_on_calendar_days_after_the_start() {
    let started = at("2026-03-01T23:30:00Z"); // 2 March in Paris
    assert_eq!(checkpoint_due(started, PARIS, 30), d("2026-04-01"));
    assert_eq!(checkpoint_due(started, PARIS, 90), d("2026-05-31"));
    assert_eq!(checkpoint_due(started, PARIS, 180), d("2026-08-29"));
    assert_eq!(
        checkpoint_due(at("2026-03-01T12:00:00Z"), PARIS, 30),
        d("2026-03-31")
    );
    let due = d("2026-04-01");
    assert!(!checkpoint_overdue(Started, due, false, d("2026-03-31")));
    assert!(checkpoint_overdue(Started, due, false, due));
    assert!(!checkpoint_overdue(Started, due, true, d("2026-05-01")));
    for s in RelayStatus::ALL.iter().filter(|s| **s != Started) {
        assert!(!checkpoint_overdue(*s, due, false, d("2026-05-01")), "{s}");
    }
}

#[test]
fn checkpoints_are_answered_once_in_order_when_due_on_a_started_relay() {
    let cps = [
        (30, d("2026-04-01"), false),
        (90, d("2026-05-31"), false),
        (180, d("2026-08-29"), false),
    ];
    let today = d("2026-06-01");
    assert_eq!(may_answer(Started, 30, &cps, today), Ok(()));
    assert_eq!(
        may_answer(Started, 90, &cps, today),
        Err(CheckpointRefusal::EarlierOpen)
    );
    assert_eq!(
        may_answer(Started, 180, &cps, today),
        Err(CheckpointRefusal::NotDue)
    );
    assert_eq!(
        may_answer(Started, 30, &cps, d("2026-03-31")),
        Err(CheckpointRefusal::NotDue)
    );
    assert_eq!(
        may_answer(Started, 45, &cps, today),
        Err(CheckpointRefusal::Unknown)
    );
    let answered = [(30, d("2026-04-01"), true), cps[1], cps[2]];
    assert_eq!(
        may_answer(Started, 30, &answered, today),
        Err(CheckpointRefusal::AlreadyAnswered)
    );
    assert_eq!(may_answer(Started, 90, &answered, today), Ok(()));
    for s in RelayStatus::ALL.iter().filter(|s| **s != Started) {
        assert_eq!(
            may_answer(*s, 30, &cps, today),
            Err(CheckpointRefusal::NotStarted),
            "{s}"
        );
    }
}

#[test]
fn answers_complete_fail_or_keep_the_relay() {
    assert_eq!(answer_effect(A::StillAccompanied), None);
    let (a, dt) = answer_effect(A::PositiveExit).expect("completes");
    assert_eq!(
        (a, dt.outcome),
        (Action::Complete, Some(RelayOutcome::PositiveExit))
    );
    let (a, dt) = answer_effect(A::DroppedOut).expect("fails");
    assert_eq!(
        (a, dt.reason),
        (Action::Fail, Some(RelayReason::DroppedOut))
    );
    let (a, dt) = answer_effect(A::LostContact).expect("fails");
    assert_eq!(
        (a, dt.reason),
        (Action::Fail, Some(RelayReason::Unreachable))
    );
    // Each effect is a move the receiver may make on a started relay.
    for ans in A::ALL {
        if let Some((a, dt)) = answer_effect(*ans) {
            assert!(apply(Started, a, R, false, &dt).is_ok(), "{ans}");
        }
    }
}

fn rs(status: RelayStatus) -> RelayState {
    RelayState {
        status,
        outcome: None,
        last_answer: None,
    }
}

#[test]
fn the_referral_follows_its_relays() {
    use Status::{Diagnosis, Followed, Relaying};
    let done = |outcome| RelayState {
        outcome: Some(outcome),
        ..rs(Completed)
    };
    let answered = |a| RelayState {
        last_answer: Some(a),
        ..rs(Started)
    };
    let cases: Vec<(Status, Vec<RelayState>, Follow)> = vec![
        (Diagnosis, vec![], Follow::Stay),
        (Diagnosis, vec![rs(Requested)], Follow::MoveTo(Relaying)),
        (Diagnosis, vec![rs(Refused)], Follow::Stay),
        (Relaying, vec![rs(Requested)], Follow::Stay),
        (Relaying, vec![rs(Accepted), rs(Refused)], Follow::Stay),
        (Relaying, vec![rs(Started)], Follow::MoveTo(Followed)),
        (
            Relaying,
            vec![rs(Refused), rs(Expired), rs(Cancelled)],
            Follow::Stay,
        ),
        (Followed, vec![rs(Started), rs(Requested)], Follow::Stay),
        (Followed, vec![rs(Failed)], Follow::MoveTo(Relaying)),
        (
            Followed,
            vec![rs(Failed), rs(Accepted)],
            Follow::MoveTo(Relaying),
        ),
        (Followed, vec![rs(Failed), rs(Started)], Follow::Stay),
        (
            Followed,
            vec![done(RelayOutcome::PositiveExit)],
            Follow::Close(Outcome::PositiveExit),
        ),
        (
            Followed,
            vec![done(RelayOutcome::ProgrammeEnded)],
            Follow::Close(Outcome::TakenInCharge),
        ),
        (
            Followed,
            vec![answered(A::StillAccompanied)],
            Follow::Close(Outcome::TakenInCharge),
        ),
        (
            Followed,
            vec![
                answered(A::StillAccompanied),
                done(RelayOutcome::PositiveExit),
            ],
            Follow::Close(Outcome::PositiveExit),
        ),
        // Still followed elsewhere: no close yet.
        (
            Followed,
            vec![answered(A::StillAccompanied), rs(Started)],
            Follow::Stay,
        ),
        // A relay still requested keeps it relaying.
        (
            Followed,
            vec![done(RelayOutcome::PositiveExit), rs(Requested)],
            Follow::MoveTo(Relaying),
        ),
    ];
    for (base, relays, expected) in cases {
        assert_eq!(follow(base, &relays), expected, "{base} {relays:?}");
    }
    for s in Status::ALL
        .iter()
        .filter(|s| !matches!(s, Diagnosis | Relaying | Followed))
    {
        assert_eq!(follow(*s, &[rs(Started)]), Follow::Stay, "{s}");
    }
}

#[test]
fn relays_are_sent_from_diagnosis_relaying_and_followed_on_hold_included() {
    for s in Status::ALL {
        let expected = matches!(s, Status::Diagnosis | Status::Relaying | Status::Followed);
        assert_eq!(
            may_request(*s, None),
            expected && *s != Status::OnHold,
            "{s}"
        );
        assert_eq!(
            may_request(Status::OnHold, Some(*s)),
            expected,
            "on hold from {s}"
        );
    }
}
