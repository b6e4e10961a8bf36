//! Business time comes from an injected clock, so day-based rules (exit-date alerts, reminders,
//! checkpoints, throttling windows) are tested without waiting. A running server reads the
//! wall clock ([`SystemClock`]); outside production, `SAS_TEST_CLOCK_FILE` moves it by an
//! offset read from a file ([`OffsetFileClock`]), so the browser tests reach J+30.
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to (tests, simulations).
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<RwLock<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> ManualClock {
        ManualClock(Arc::new(RwLock::new(start)))
    }

    pub fn set(&self, t: DateTime<Utc>) {
        match self.0.write() {
            Ok(mut g) => *g = t,
            Err(poisoned) => *poisoned.into_inner() = t,
        }
    }

    pub fn advance(&self, d: Duration) {
        let now = self.now();
        self.set(now + d);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        match self.0.read() {
            Ok(g) => *g,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }
}

pub type SharedClock = Arc<dyn Clock>;

/// The largest offset [`parse_offset`] takes: ten years either way.
pub const MAX_OFFSET_SECONDS: i64 = 10 * 366 * 86_400;

/// Test only (`SAS_TEST_CLOCK_FILE`, refused when `SAS_ENV=prod`): the wall clock moved by
/// the offset written in a file, read again on every call, so a test moves a running server
/// (its requests and its job runner) by writing the file. A missing or empty file is no
/// offset; unreadable content counts as none too (with a warning), so the server never fails
/// on it once started. Writers should replace the file at once (write a copy, then rename).
#[derive(Debug, Clone)]
pub struct OffsetFileClock {
    path: PathBuf,
}

impl OffsetFileClock {
    pub fn new(path: impl Into<PathBuf>) -> OffsetFileClock {
        OffsetFileClock { path: path.into() }
    }

    /// The offset the file holds now: `Ok(zero)` when there is no file, `Err` when its
    /// content is not an offset (see [`parse_offset`]).
    pub fn offset(&self) -> Result<Duration, String> {
        read_offset(&self.path)
    }
}

impl Clock for OffsetFileClock {
    fn now(&self) -> DateTime<Utc> {
        let real = Utc::now();
        let offset = self.offset().unwrap_or_else(|e| {
            log::warn!("SAS_TEST_CLOCK_FILE: {e}; no offset");
            Duration::zero()
        });
        real.checked_add_signed(offset).unwrap_or(real)
    }
}

/// The offset in the file at `path` (zero when there is none).
pub fn read_offset(path: &Path) -> Result<Duration, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse_offset(&text).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Duration::zero()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// An offset as a test writes it: a whole number of seconds, or of minutes, hours or days
/// with the suffix `m`, `h` or `d` (`2592000`, `30d`, `-2h`, `+90m`, `15s`); blank is none.
/// At most [`MAX_OFFSET_SECONDS`] either way.
pub fn parse_offset(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(Duration::zero());
    }
    let (number, unit) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&t[..i], c.to_ascii_lowercase()),
        _ => (t, 's'),
    };
    let per = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        other => return Err(format!("unknown unit {other:?} (s, m, h or d)")),
    };
    let n: i64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{t:?} is not an offset such as 2592000, 30d, -2h or 90m"))?;
    n.checked_mul(per)
        .filter(|s| s.abs() <= MAX_OFFSET_SECONDS)
        .and_then(Duration::try_seconds)
        .ok_or_else(|| format!("{t:?}: at most {MAX_OFFSET_SECONDS} seconds either way"))
}

/// The clock a server or a job runner uses: the wall clock, or, when the settings name a
/// test clock file (never in production: `Settings` refuses it), the wall clock moved by it.
pub fn for_settings(settings: &crate::config::Settings) -> Result<SharedClock, String> {
    match &settings.test_clock_file {
        None => Ok(Arc::new(SystemClock)),
        Some(path) => {
            let offset = read_offset(path).map_err(|e| format!("SAS_TEST_CLOCK_FILE: {e}"))?;
            log::warn!(
                "SAS_TEST_CLOCK_FILE={}: business time is the wall clock moved by this file \
                 (now {} s); tests only",
                path.display(),
                offset.num_seconds()
            );
            Ok(Arc::new(OffsetFileClock::new(path.clone())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let t0 = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .expect("date")
            .with_timezone(&Utc);
        let c = ManualClock::new(t0);
        assert_eq!(c.now(), t0);
        c.advance(Duration::days(10));
        assert_eq!(c.now(), t0 + Duration::days(10));
    }

    #[test]
    fn offsets_are_seconds_or_minutes_hours_days() {
        let ok: &[(&str, i64)] = &[
            ("", 0),
            ("  \n", 0),
            ("0", 0),
            ("2592000", 2_592_000),
            ("2592000\n", 2_592_000),
            ("+15", 15),
            ("-15", -15),
            ("15s", 15),
            ("90m", 5400),
            ("-2h", -7200),
            ("30d", 2_592_000),
            ("30D", 2_592_000),
            ("+30d", 2_592_000),
            ("-1d", -86_400),
            (" 30 d ", 2_592_000),
            ("3660d", 3660 * 86_400),
        ];
        for (text, seconds) in ok {
            assert_eq!(
                parse_offset(text),
                Ok(Duration::seconds(*seconds)),
                "{text:?}"
            );
        }
        for bad in [
            "d",
            "30 days",
            "30w",
            "1.5d",
            "trente",
            "2026-12-31T00:00:00Z",
            "3661d",
            "-3661d",
            "99999999999999999999",
            "9223372036854775807d",
            "--1",
        ] {
            assert!(parse_offset(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn the_offset_file_is_read_on_every_call() {
        let dir = std::env::temp_dir().join(format!("sas-clock-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("clock");
        let c = OffsetFileClock::new(&path);
        // No file: the wall clock.
        assert_eq!(c.offset(), Ok(Duration::zero()));
        let near = |a: DateTime<Utc>, b: DateTime<Utc>| (a - b).num_seconds().abs() <= 5;
        assert!(near(c.now(), Utc::now()));
        std::fs::write(&path, "30d").expect("write");
        assert!(near(c.now(), Utc::now() + Duration::days(30)));
        std::fs::write(&path, "-3600").expect("write");
        assert!(near(c.now(), Utc::now() - Duration::hours(1)));
        // Nonsense is no offset (the server keeps running), and says so.
        std::fs::write(&path, "soon").expect("write");
        assert!(c.offset().is_err());
        assert!(near(c.now(), Utc::now()));
        std::fs::remove_dir_all(&dir).expect("clean");
    }
}
