//! Keyset cursors: the last row's sort key, opaque to clients. A cursor is the base64url
//! (no padding) of the key's bytes, and decoding is total: every string of the declared
//! pattern (`^[A-Za-z0-9_-]*$`) is a position, so a schema-valid request never fails on its
//! cursor; a forged one is just another position inside the caller's scope. Out-of-range
//! values are clamped before they reach the database. Characters outside the pattern: 400.
use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::GeneralPurpose;
use base64::engine::{DecodePaddingMode, GeneralPurposeConfig};
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::domain::dates::{clamp_date, MAX_YEAR, MIN_YEAR};
use crate::error::ApiError;

/// What clients are told a cursor looks like (OpenAPI `pattern`).
pub const PATTERN: &str = "^[A-Za-z0-9_-]*$";
pub const MAX_LENGTH: usize = 512;

const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// A sort key that round-trips through bytes, and that any bytes decode to.
pub trait Key: Sized {
    fn to_bytes(&self) -> Vec<u8>;
    fn from_bytes(b: &[u8]) -> Self;
}

/// Reads `N` bytes from the front of `b` (zero-padded when short) and advances it.
fn take<const N: usize>(b: &mut &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let n = b.len().min(N);
    out[..n].copy_from_slice(&b[..n]);
    *b = &b[n..];
    out
}

pub fn uuid_from(b: &mut &[u8]) -> Uuid {
    Uuid::from_bytes(take::<16>(b))
}

pub fn time_to(t: &DateTime<Utc>, out: &mut Vec<u8>) {
    out.extend_from_slice(&t.timestamp_micros().to_be_bytes());
}

pub fn time_from(b: &mut &[u8]) -> DateTime<Utc> {
    let lo = NaiveDate::from_ymd_opt(MIN_YEAR, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp_micros())
        .unwrap_or(0);
    let hi = NaiveDate::from_ymd_opt(MAX_YEAR, 12, 31)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .map(|d| d.and_utc().timestamp_micros())
        .unwrap_or(0);
    let micros = i64::from_be_bytes(take::<8>(b)).clamp(lo, hi);
    DateTime::from_timestamp_micros(micros).unwrap_or_default()
}

/// A date, or none (`exit_date` sorts nulls last).
pub fn opt_date_to(d: &Option<NaiveDate>, out: &mut Vec<u8>) {
    match d {
        Some(d) => {
            out.push(1);
            out.extend_from_slice(&d.to_epoch_days().to_be_bytes());
        }
        None => out.extend_from_slice(&[0; 5]),
    }
}

pub fn opt_date_from(b: &mut &[u8]) -> Option<NaiveDate> {
    let [flag] = take::<1>(b);
    let days = i32::from_be_bytes(take::<4>(b));
    (flag != 0).then(|| {
        clamp_date(NaiveDate::from_epoch_days(days).unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        }))
    })
}

fn text_from(b: &[u8]) -> String {
    String::from_utf8_lossy(b).replace('\0', "")
}

impl Key for String {
    fn to_bytes(&self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }
    fn from_bytes(b: &[u8]) -> String {
        text_from(b)
    }
}

impl Key for (String, Uuid) {
    fn to_bytes(&self) -> Vec<u8> {
        let mut v = self.1.as_bytes().to_vec();
        v.extend_from_slice(self.0.as_bytes());
        v
    }
    fn from_bytes(mut b: &[u8]) -> (String, Uuid) {
        let id = uuid_from(&mut b);
        (text_from(b), id)
    }
}

impl Key for (DateTime<Utc>, Uuid) {
    fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(24);
        time_to(&self.0, &mut v);
        v.extend_from_slice(self.1.as_bytes());
        v
    }
    fn from_bytes(mut b: &[u8]) -> (DateTime<Utc>, Uuid) {
        let t = time_from(&mut b);
        (t, uuid_from(&mut b))
    }
}

/// A version number (diagnostic versions, latest first).
impl Key for i32 {
    fn to_bytes(&self) -> Vec<u8> {
        self.to_be_bytes().to_vec()
    }
    fn from_bytes(mut b: &[u8]) -> i32 {
        i32::from_be_bytes(take::<4>(&mut b))
    }
}

pub fn encode<K: Key>(key: &K) -> String {
    ENGINE.encode(key.to_bytes())
}

pub fn decode<K: Key>(s: &str) -> Result<K, ApiError> {
    let invalid = || {
        ApiError::bad_request(
            "invalid_cursor",
            "A cursor is base64url text (A-Z a-z 0-9 - _).",
        )
    };
    if s.len() > MAX_LENGTH
        || !s
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    {
        return Err(invalid());
    }
    // A length of 4n + 1 carries 6 bits that make no byte: ignore the last character.
    let s = if s.len() % 4 == 1 {
        &s[..s.len() - 1]
    } else {
        s
    };
    let bytes = ENGINE.decode(s).map_err(|_| invalid())?;
    Ok(K::from_bytes(&bytes))
}

/// The `cursor` query parameter: none or empty is the first page.
pub fn after<K: Key>(cursor: Option<&str>) -> Result<Option<K>, ApiError> {
    cursor.filter(|c| !c.is_empty()).map(decode).transpose()
}

/// Splits one extra fetched row off `rows` and turns the last kept one into the next cursor.
pub fn page<T, K: Key>(
    mut rows: Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> K,
) -> (Vec<T>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(0);
    if rows.len() > limit {
        rows.truncate(limit);
        let next = rows.last().map(|r| encode(&key(r)));
        (rows, next)
    } else {
        (rows, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        let id = Uuid::now_v7();
        let t: DateTime<Utc> = "2026-03-02T09:00:00.123456Z".parse().expect("time");
        let k = (t, id);
        assert_eq!(decode::<(DateTime<Utc>, Uuid)>(&encode(&k)).ok(), Some(k));
        let k = ("lyon 3e arrondissement".to_string(), id);
        assert_eq!(decode::<(String, Uuid)>(&encode(&k)).ok(), Some(k));
        let k = "69123".to_string();
        assert_eq!(decode::<String>(&encode(&k)).ok(), Some(k));
        for d in [
            None,
            Some(NaiveDate::from_ymd_opt(2026, 5, 30).expect("date")),
        ] {
            let mut v = Vec::new();
            opt_date_to(&d, &mut v);
            assert_eq!(opt_date_from(&mut v.as_slice()), d);
        }
    }

    #[test]
    fn every_string_of_the_pattern_is_a_position() {
        for s in [
            "",
            "A",
            "garbage",
            "____",
            "-",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "zz-_09",
        ] {
            assert!(decode::<(DateTime<Utc>, Uuid)>(s).is_ok(), "{s:?}");
            assert!(decode::<(String, Uuid)>(s).is_ok(), "{s:?}");
            assert!(decode::<String>(s).is_ok(), "{s:?}");
        }
        // Extreme values are clamped to what the database stores.
        let (t, _) =
            decode::<(DateTime<Utc>, Uuid)>("__________________________").expect("decodes");
        assert!(crate::domain::dates::time_in_range(t));
        let mut b: &[u8] = &[1, 0x7f, 0xff, 0xff, 0xff];
        let d = opt_date_from(&mut b).expect("a date");
        assert!(crate::domain::dates::date_in_range(d));
        // No NUL reaches a text key.
        assert!(!decode::<String>("AAA").expect("decodes").contains('\0'));
    }

    #[test]
    fn characters_outside_the_pattern_are_refused() {
        for s in [
            "not base64!",
            "a=b",
            "é",
            "a b",
            &"A".repeat(MAX_LENGTH + 1),
        ] {
            assert!(decode::<String>(s).is_err(), "{s:?}");
        }
    }
}
