//! Access tokens: HS256 JWTs, algorithm pinned; `iss`, `aud`, `exp`, `nbf` all validated.
use chrono::{DateTime, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::JwtSettings;

pub const ACCESS_TYP: &str = "access";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    /// `user` or `api_client`.
    pub act: String,
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structure_id: Option<Uuid>,
    /// A counsellor's territory (its SAS team's): the scope of the referrals it works on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territory_id: Option<Uuid>,
    /// A pilot's territory: the scope of the figures it reads. Kept apart from
    /// `territory_id`, so a pilot who is also a counsellor never gets one for the other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pilot_territory_id: Option<Uuid>,
    /// Session version of the account when the token was issued; a token whose version is
    /// no longer the account's is refused (deactivation, roles or password changed).
    pub sv: i32,
    /// The password was set by an administrator: only `POST /api/v1/me/password` is open.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pwc: bool,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: Uuid,
    /// Token type: only `access` tokens are accepted by the API.
    pub typ: String,
}

/// What an access token says about its holder.
#[derive(Debug, Clone, Default)]
pub struct Subject {
    pub id: Uuid,
    /// `user` or `api_client`.
    pub act: &'static str,
    pub roles: Vec<String>,
    pub structure_id: Option<Uuid>,
    pub territory_id: Option<Uuid>,
    pub pilot_territory_id: Option<Uuid>,
    pub session_version: i32,
    pub password_change_required: bool,
}

pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub issuer: String,
    pub audience: String,
    pub access_ttl_secs: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Invalid,
    Expired,
    NotYetValid,
}

impl Keys {
    pub fn new(s: &JwtSettings) -> Keys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[&s.issuer]);
        validation.set_audience(&[&s.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        // Time claims are checked below against the injected clock (business time), with no
        // leeway, rather than against the system clock inside the library.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.leeway = 0;
        Keys {
            encoding: EncodingKey::from_secret(&s.secret),
            decoding: DecodingKey::from_secret(&s.secret),
            validation,
            issuer: s.issuer.clone(),
            audience: s.audience.clone(),
            access_ttl_secs: i64::try_from(s.access_ttl.as_secs()).unwrap_or(900),
        }
    }

    pub fn issue(
        &self,
        now: DateTime<Utc>,
        s: Subject,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let t = now.timestamp();
        let claims = Claims {
            sub: s.id,
            act: s.act.to_string(),
            roles: s.roles,
            structure_id: s.structure_id,
            territory_id: s.territory_id,
            pilot_territory_id: s.pilot_territory_id,
            sv: s.session_version,
            pwc: s.password_change_required,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: t,
            nbf: t,
            exp: t + self.access_ttl_secs,
            jti: Uuid::new_v4(),
            typ: ACCESS_TYP.to_string(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| TokenError::Invalid)?;
        let c = data.claims;
        if c.typ != ACCESS_TYP {
            return Err(TokenError::Invalid);
        }
        let t = now.timestamp();
        if c.exp <= t {
            return Err(TokenError::Expired);
        }
        if c.nbf > t {
            return Err(TokenError::NotYetValid);
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn settings(secret: &str, iss: &str, aud: &str) -> JwtSettings {
        JwtSettings {
            secret: secret.as_bytes().to_vec(),
            issuer: iss.into(),
            audience: aud.into(),
            access_ttl: Duration::from_secs(900),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z")
            .expect("date")
            .with_timezone(&Utc)
    }

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn a_token_round_trips_until_it_expires() {
        let k = Keys::new(&settings(SECRET, "sas", "sas-api"));
        let id = Uuid::new_v4();
        let tok = k
            .issue(
                now(),
                Subject {
                    id,
                    act: "user",
                    roles: vec!["admin".into()],
                    session_version: 3,
                    ..Subject::default()
                },
            )
            .expect("token");
        let c = k.verify(&tok, now()).expect("valid");
        assert_eq!(c.sub, id);
        assert_eq!(c.sv, 3);
        assert!(!c.pwc);
        assert_eq!(c.exp - c.iat, 900);
        assert_eq!(
            k.verify(&tok, now() + chrono::Duration::seconds(900)),
            Err(TokenError::Expired)
        );
        assert_eq!(
            k.verify(&tok, now() - chrono::Duration::seconds(1)),
            Err(TokenError::NotYetValid)
        );
    }

    #[test]
    fn issuer_audience_secret_and_algorithm_are_enforced() {
        let k = Keys::new(&settings(SECRET, "sas", "sas-api"));
        let tok = k
            .issue(
                now(),
                Subject {
                    id: Uuid::new_v4(),
                    act: "user",
                    ..Subject::default()
                },
            )
            .expect("token");
        let other_iss = Keys::new(&settings(SECRET, "other", "sas-api"));
        let other_aud = Keys::new(&settings(SECRET, "sas", "other"));
        let other_secret = Keys::new(&settings(
            "ffffffffffffffffffffffffffffffff",
            "sas",
            "sas-api",
        ));
        assert_eq!(other_iss.verify(&tok, now()), Err(TokenError::Invalid));
        assert_eq!(other_aud.verify(&tok, now()), Err(TokenError::Invalid));
        assert_eq!(other_secret.verify(&tok, now()), Err(TokenError::Invalid));
        // alg=none with the same claims is refused.
        let parts: Vec<&str> = tok.split('.').collect();
        use base64::Engine;
        let none_header = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"alg":"none","typ":"JWT"}"#);
        let forged = format!("{none_header}.{}.", parts[1]);
        assert_eq!(k.verify(&forged, now()), Err(TokenError::Invalid));
    }
}
