//! Typed settings read once from the environment (see the README's configuration table).
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use rand::RngCore;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Env {
    /// Production: refuses a weak or missing JWT secret, cookies are `Secure`, HSTS is sent.
    Prod,
    /// Local development (`make run`): a random secret is generated when none is set.
    Dev,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub env: Env,
    pub database_url: String,
    pub bind: SocketAddr,
    pub db_pool_size: u32,
    pub jwt: JwtSettings,
    pub bootstrap_admin: Option<(String, String)>,
    pub throttle: ThrottleSettings,
    pub cors_origins: Vec<String>,
    pub static_dir: Option<PathBuf>,
    pub max_body_bytes: usize,
    /// Read the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
}

#[derive(Clone)]
pub struct JwtSettings {
    pub secret: Vec<u8>,
    pub issuer: String,
    pub audience: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

impl std::fmt::Debug for JwtSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtSettings")
            .field("secret", &"<redacted>")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("access_ttl", &self.access_ttl)
            .field("refresh_ttl", &self.refresh_ttl)
            .finish()
    }
}

/// Login throttling: failed attempts counted over a sliding window.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleSettings {
    pub max_failures_per_account: u32,
    pub max_failures_per_ip: u32,
    pub window: Duration,
}

impl Default for ThrottleSettings {
    fn default() -> Self {
        ThrottleSettings {
            max_failures_per_account: 10,
            max_failures_per_ip: 100,
            window: Duration::from_secs(15 * 60),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is required")]
    Missing(&'static str),
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// Minimum JWT secret length: 256 bits.
pub const MIN_SECRET_BYTES: usize = 32;

impl Settings {
    pub fn from_env() -> Result<Settings, ConfigError> {
        Settings::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads settings through `get`, so tests can pass their own environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let val = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let env = match val("SAS_ENV").as_deref() {
            None | Some("prod") => Env::Prod,
            Some("dev") => Env::Dev,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "SAS_ENV",
                    reason: format!("{other:?} is neither prod nor dev"),
                })
            }
        };
        let database_url = val("DATABASE_URL").ok_or(ConfigError::Missing("DATABASE_URL"))?;
        let bind = parse(&val, "SAS_BIND", "127.0.0.1:8080".parse().ok())?;
        let secret = match val("SAS_JWT_SECRET") {
            Some(s) if s.len() >= MIN_SECRET_BYTES => s.into_bytes(),
            Some(_) if env == Env::Prod => {
                return Err(ConfigError::Invalid {
                    name: "SAS_JWT_SECRET",
                    reason: format!("must be at least {MIN_SECRET_BYTES} bytes"),
                })
            }
            None if env == Env::Prod => return Err(ConfigError::Missing("SAS_JWT_SECRET")),
            _ => {
                log::warn!("SAS_JWT_SECRET missing or short: using a random secret (dev only; tokens die with the process)");
                let mut bytes = vec![0u8; 48];
                rand::rng().fill_bytes(&mut bytes);
                bytes
            }
        };
        let bootstrap_admin = match (
            val("SAS_BOOTSTRAP_ADMIN_EMAIL"),
            val("SAS_BOOTSTRAP_ADMIN_PASSWORD"),
        ) {
            (Some(e), Some(p)) => Some((e, p)),
            (None, None) => None,
            _ => {
                return Err(ConfigError::Invalid {
                    name: "SAS_BOOTSTRAP_ADMIN_EMAIL",
                    reason:
                        "SAS_BOOTSTRAP_ADMIN_EMAIL and SAS_BOOTSTRAP_ADMIN_PASSWORD go together"
                            .into(),
                })
            }
        };
        let defaults = ThrottleSettings::default();
        Ok(Settings {
            env,
            database_url,
            bind,
            db_pool_size: parse(&val, "SAS_DB_POOL_SIZE", Some(10))?,
            jwt: JwtSettings {
                secret,
                issuer: val("SAS_JWT_ISSUER").unwrap_or_else(|| "sas".into()),
                audience: val("SAS_JWT_AUDIENCE").unwrap_or_else(|| "sas-api".into()),
                access_ttl: Duration::from_secs(parse(
                    &val,
                    "SAS_ACCESS_TOKEN_TTL_SECONDS",
                    Some(900),
                )?),
                refresh_ttl: Duration::from_secs(parse(
                    &val,
                    "SAS_REFRESH_TOKEN_TTL_SECONDS",
                    Some(14 * 24 * 3600),
                )?),
            },
            bootstrap_admin,
            throttle: ThrottleSettings {
                max_failures_per_account: parse(
                    &val,
                    "SAS_LOGIN_MAX_FAILURES_PER_ACCOUNT",
                    Some(defaults.max_failures_per_account),
                )?,
                max_failures_per_ip: parse(
                    &val,
                    "SAS_LOGIN_MAX_FAILURES_PER_IP",
                    Some(defaults.max_failures_per_ip),
                )?,
                window: Duration::from_secs(parse(
                    &val,
                    "SAS_LOGIN_WINDOW_SECONDS",
                    Some(defaults.window.as_secs()),
                )?),
            },
            cors_origins: val("SAS_CORS_ORIGINS")
                .map(|s| {
                    s.split(',')
                        .map(|o| o.trim().to_string())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            static_dir: val("SAS_STATIC_DIR").map(PathBuf::from),
            max_body_bytes: parse(&val, "SAS_MAX_BODY_BYTES", Some(256 * 1024))?,
            trust_proxy: parse(&val, "SAS_TRUST_PROXY", Some(false))?,
        })
    }
}

fn parse<T: std::str::FromStr>(
    val: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: Option<T>,
) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match val(name) {
        Some(v) => v.trim().parse().map_err(|e: T::Err| ConfigError::Invalid {
            name,
            reason: e.to_string(),
        }),
        None => default.ok_or(ConfigError::Missing(name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn prod_refuses_a_missing_secret() {
        let err = settings(&[("DATABASE_URL", "postgres://x")]).err();
        assert!(matches!(err, Some(ConfigError::Missing("SAS_JWT_SECRET"))));
    }

    #[test]
    fn prod_refuses_a_short_secret() {
        let err = settings(&[
            ("DATABASE_URL", "postgres://x"),
            ("SAS_JWT_SECRET", "short"),
        ])
        .err();
        assert!(matches!(
            err,
            Some(ConfigError::Invalid {
                name: "SAS_JWT_SECRET",
                ..
            })
        ));
    }

    #[test]
    fn dev_generates_a_secret_and_defaults_apply() {
        let s =
            settings(&[("DATABASE_URL", "postgres://x"), ("SAS_ENV", "dev")]).expect("settings");
        assert_eq!(s.env, Env::Dev);
        assert!(s.jwt.secret.len() >= MIN_SECRET_BYTES);
        assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(s.throttle.max_failures_per_account, 10);
        assert_eq!(s.jwt.access_ttl, Duration::from_secs(900));
    }

    #[test]
    fn unknown_env_and_bad_numbers_are_refused() {
        assert!(settings(&[("DATABASE_URL", "x"), ("SAS_ENV", "staging")]).is_err());
        assert!(settings(&[
            ("DATABASE_URL", "x"),
            ("SAS_ENV", "dev"),
            ("SAS_LOGIN_WINDOW_SECONDS", "soon")
        ])
        .is_err());
    }

    #[test]
    fn bootstrap_admin_needs_both_variables() {
        let only_email = settings(&[
            ("DATABASE_URL", "x"),
            ("SAS_ENV", "dev"),
            ("SAS_BOOTSTRAP_ADMIN_EMAIL", "a@b.fr"),
        ]);
        assert!(only_email.is_err());
    }
}
