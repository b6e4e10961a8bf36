//! Webhooks (Standard Webhooks, <https://www.standardwebhooks.com/>): which URLs may be
//! subscribed, how a delivery is signed, and what a payload says to whom. Payloads carry codes
//! and ids only; a partner reads the rest through the API, under its own scope.
use std::net::IpAddr;

use api_types::{Outcome, Status};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use crate::domain::referral::visibility::{self, Viewer};

/// Prefix of a signing secret as shown to its owner.
pub const SECRET_PREFIX: &str = "whsec_";
/// Bytes of a signing key.
pub const KEY_BYTES: usize = 32;
/// Longest URL accepted.
pub const MAX_URL_CHARS: usize = 2000;
/// The event type of a referral's status change.
pub const REFERRAL_STATUS_CHANGED: &str = "referral.status_changed";
/// The event type of a relay's status change (or a checkpoint answered).
pub const RELAY_STATUS_CHANGED: &str = "relay.status_changed";

/// Why a URL cannot be subscribed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlRefusal {
    Invalid,
    TooLong,
    /// `http://` outside dev.
    NotHttps,
    /// Credentials in the URL (`https://user:pw@…`).
    Credentials,
    /// A loopback, private, link-local or otherwise internal address, or `localhost`, outside
    /// dev (the server must not be turned against its own network).
    InternalAddress,
}

impl UrlRefusal {
    pub fn code(self) -> &'static str {
        match self {
            UrlRefusal::Invalid => "invalid_url",
            UrlRefusal::TooLong => "too_long",
            UrlRefusal::NotHttps => "https_required",
            UrlRefusal::Credentials => "credentials_in_url",
            UrlRefusal::InternalAddress => "internal_address",
        }
    }
}

/// Whether an address is one a partner's public endpoint can never have.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1])) // carrier-grade NAT
                || o[0] >= 240
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal(IpAddr::V4(v4));
            }
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
        }
    }
}

/// Checks a URL to subscribe; `allow_local` (dev, tests) lets `http://` and internal
/// addresses through. Returns the normalised URL.
pub fn check_url(raw: &str, allow_local: bool) -> Result<url::Url, UrlRefusal> {
    let raw = raw.trim();
    if raw.chars().count() > MAX_URL_CHARS {
        return Err(UrlRefusal::TooLong);
    }
    let u = url::Url::parse(raw).map_err(|_| UrlRefusal::Invalid)?;
    match (u.scheme(), allow_local) {
        ("https", _) | ("http", true) => {}
        ("http", false) => return Err(UrlRefusal::NotHttps),
        _ => return Err(UrlRefusal::Invalid),
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err(UrlRefusal::Credentials);
    }
    let internal = match u.host() {
        None => return Err(UrlRefusal::Invalid),
        Some(url::Host::Ipv4(ip)) => is_internal(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_internal(IpAddr::V6(ip)),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost") || d.ends_with(".internal")
        }
    };
    if internal && !allow_local {
        return Err(UrlRefusal::InternalAddress);
    }
    Ok(u)
}

/// The secret as its owner sees it.
pub fn secret_text(key: &[u8]) -> String {
    format!(
        "{SECRET_PREFIX}{}",
        base64::engine::general_purpose::STANDARD.encode(key)
    )
}

/// `webhook-signature` of a delivery: `v1,` + base64(HMAC-SHA256(key, "id.timestamp.body")).
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes keys of any length: new_from_slice cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    )
}

/// The payload of a referral's status change, as `viewer` may read it: ids and codes only
/// (a prescriber reads `duplicate` as `closed_by_sas`; hold reasons never go out).
pub fn referral_payload(
    viewer: Viewer,
    referral: Uuid,
    event: Uuid,
    status: Status,
    previous: Option<Status>,
    outcome: Option<Outcome>,
    occurred_at: chrono::DateTime<chrono::Utc>,
) -> serde_json::Value {
    serde_json::json!({
        "type": REFERRAL_STATUS_CHANGED,
        "timestamp": occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": {
            "referral_id": referral,
            "event_id": event,
            "status": status,
            "previous_status": previous,
            "outcome": outcome.map(|o| visibility::outcome(viewer, o)),
        }
    })
}

/// The payload of a relay's change, as `reader` may read it: ids and codes only. The
/// receiving structure's id goes to the prescriber only when it is not sensitive; reasons
/// never go to the prescriber; the referral's id goes to the SAS team and the prescriber
/// (the receiver acts on relays, never on the referral).
#[allow(clippy::too_many_arguments)]
pub fn relay_payload(
    reader: crate::domain::relay::visibility::Reader,
    relay: Uuid,
    referral: Uuid,
    event: Uuid,
    structure: Uuid,
    structure_sensitive: bool,
    status: api_types::RelayStatus,
    previous: Option<api_types::RelayStatus>,
    reason: Option<api_types::RelayReason>,
    occurred_at: chrono::DateTime<chrono::Utc>,
) -> serde_json::Value {
    use crate::domain::relay::visibility::{self as rv, Reader};
    serde_json::json!({
        "type": RELAY_STATUS_CHANGED,
        "timestamp": occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": {
            "relay_id": relay,
            "referral_id": (reader != Reader::Receiver).then_some(referral),
            "event_id": event,
            "structure_id": rv::shows_structure(reader, structure_sensitive).then_some(structure),
            "status": status,
            "previous_status": previous,
            "reason": reason.filter(|_| rv::shows_reasons(reader)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_outside_dev_must_be_public_https_without_credentials() {
        let cases: &[(&str, Result<(), UrlRefusal>)] = &[
            ("https://partenaire.example.org/hooks/sas", Ok(())),
            ("https://partenaire.example.org:8443/h?x=1", Ok(())),
            ("http://partenaire.example.org/h", Err(UrlRefusal::NotHttps)),
            ("ftp://partenaire.example.org/h", Err(UrlRefusal::Invalid)),
            ("not a url", Err(UrlRefusal::Invalid)),
            (
                "https://user:pw@partenaire.example.org/",
                Err(UrlRefusal::Credentials),
            ),
            ("https://localhost/h", Err(UrlRefusal::InternalAddress)),
            ("https://api.localhost/h", Err(UrlRefusal::InternalAddress)),
            ("https://127.0.0.1/h", Err(UrlRefusal::InternalAddress)),
            ("https://10.1.2.3/h", Err(UrlRefusal::InternalAddress)),
            ("https://172.16.0.1/h", Err(UrlRefusal::InternalAddress)),
            ("https://192.168.1.1/h", Err(UrlRefusal::InternalAddress)),
            (
                "https://169.254.169.254/latest",
                Err(UrlRefusal::InternalAddress),
            ),
            ("https://100.64.0.1/h", Err(UrlRefusal::InternalAddress)),
            ("https://0.0.0.0/h", Err(UrlRefusal::InternalAddress)),
            ("https://[::1]/h", Err(UrlRefusal::InternalAddress)),
            ("https://[fd00::1]/h", Err(UrlRefusal::InternalAddress)),
            ("https://[fe80::1]/h", Err(UrlRefusal::InternalAddress)),
            (
                "https://[::ffff:127.0.0.1]/h",
                Err(UrlRefusal::InternalAddress),
            ),
            ("https://93.184.216.34/h", Ok(())),
        ];
        for (u, want) in cases {
            assert_eq!(check_url(u, false).map(|_| ()), *want, "{u}");
        }
        let long = format!("https://a.example.org/{}", "x".repeat(MAX_URL_CHARS));
        assert_eq!(
            check_url(&long, false).map(|_| ()),
            Err(UrlRefusal::TooLong)
        );
    }

    #[test]
    fn dev_lets_http_and_local_addresses_through_but_not_credentials() {
        assert!(check_url("http://127.0.0.1:9000/h", true).is_ok());
        assert!(check_url("https://localhost/h", true).is_ok());
        assert_eq!(
            check_url("http://u:p@127.0.0.1/", true).map(|_| ()),
            Err(UrlRefusal::Credentials)
        );
        assert_eq!(
            check_url("file:///etc/passwd", true).map(|_| ()),
            Err(UrlRefusal::Invalid)
        );
    }

    #[test]
    fn the_signature_is_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification.
        let key = base64::engine::general_purpose::STANDARD
            .decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .expect("base64");
        let sig = signature(
            &key,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn a_prescriber_reads_a_duplicate_as_closed_by_sas_in_payloads() {
        let (r, e) = (Uuid::nil(), Uuid::max());
        let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
            .expect("date")
            .with_timezone(&chrono::Utc);
        let p = referral_payload(
            Viewer::Prescriber { structure: None },
            r,
            e,
            Status::Closed,
            Some(Status::Contacting),
            Some(Outcome::Duplicate),
            at,
        );
        assert_eq!(p["data"]["outcome"], "closed_by_sas");
        assert_eq!(p["type"], REFERRAL_STATUS_CHANGED);
        assert_eq!(p["timestamp"], "2026-03-02T09:00:00Z");
        let c = referral_payload(
            Viewer::Counsellor,
            r,
            e,
            Status::Closed,
            None,
            Some(Outcome::Duplicate),
            at,
        );
        assert_eq!(c["data"]["outcome"], "duplicate");
        let keys: Vec<&String> = p["data"].as_object().expect("object").keys().collect();
        assert_eq!(
            keys,
            [
                "event_id",
                "outcome",
                "previous_status",
                "referral_id",
                "status"
            ]
        );
    }

    #[test]
    fn secrets_are_shown_with_the_whsec_prefix() {
        assert_eq!(secret_text(&[0u8; 3]), "whsec_AAAA");
    }

    #[test]
    fn relay_payloads_name_only_what_each_reader_may_see() {
        use crate::domain::relay::visibility::Reader;
        let (relay, referral, event, structure) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
        );
        let at = "2026-03-02T09:00:00Z".parse().expect("time");
        let p = |reader, sensitive| {
            relay_payload(
                reader,
                relay,
                referral,
                event,
                structure,
                sensitive,
                api_types::RelayStatus::Refused,
                Some(api_types::RelayStatus::Requested),
                Some(api_types::RelayReason::NoCapacity),
                at,
            )
        };
        let c = p(Reader::Counsellor, true);
        assert_eq!(c["type"], RELAY_STATUS_CHANGED);
        assert_eq!(c["data"]["referral_id"], referral.to_string());
        assert_eq!(c["data"]["structure_id"], structure.to_string());
        assert_eq!(c["data"]["reason"], "no_capacity");
        let r = p(Reader::Receiver, false);
        assert!(r["data"]["referral_id"].is_null());
        assert_eq!(r["data"]["reason"], "no_capacity");
        let ps = p(Reader::Prescriber, true);
        assert!(
            ps["data"]["structure_id"].is_null(),
            "a sensitive structure is not named"
        );
        assert!(
            ps["data"]["reason"].is_null(),
            "no reason for the prescriber"
        );
        assert_eq!(ps["data"]["status"], "refused");
        assert_eq!(
            p(Reader::Prescriber, false)["data"]["structure_id"],
            structure.to_string()
        );
    }
}
