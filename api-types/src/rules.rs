//! Numbers of the rules that both the server and the SPA apply (the SPA checks them before
//! sending, the server is the authority). Change a rule here and both sides follow.

/// Youngest age SAS accompanies, in whole years on the day of the referral.
pub const MIN_AGE: i32 = 15;
/// Oldest age SAS accompanies.
pub const MAX_AGE: i32 = 29;
/// Age of majority: below it a legal representative is required.
pub const ADULT_AGE: i32 = 18;
/// How far (in days, before or after today) the end of the current accompaniment may lie.
pub const EXIT_DATE_WINDOW_DAYS: i64 = 366;
/// Longest first or last name, in characters.
pub const NAME_MAX_CHARS: usize = 100;
/// Longest free-text precision of the end-of-accompaniment reason.
pub const REASON_TEXT_MAX_CHARS: usize = 500;
/// Longest "informed by" text of the consent.
pub const INFORMED_BY_MAX_CHARS: usize = 200;
/// Shortest password.
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longest note of a contact attempt, and of a request to the prescriber.
pub const ATTEMPT_NOTE_MAX_CHARS: usize = 500;
/// Longest answer of a prescriber to a request.
pub const REQUEST_ANSWER_MAX_CHARS: usize = 1000;
/// Longest wishes and skills texts of a diagnostic.
pub const DIAGNOSTIC_TEXT_MAX_CHARS: usize = 1000;
/// Longest availability text of a diagnostic.
pub const AVAILABILITY_MAX_CHARS: usize = 500;
/// Longest "own words" and shared summary of a diagnostic.
pub const DIAGNOSTIC_LONG_TEXT_MAX_CHARS: usize = 2000;
/// Most prioritised needs (and codes of any list) in a diagnostic.
pub const DIAGNOSTIC_LIST_MAX: usize = 10;
