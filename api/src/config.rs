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
    /// Largest offer file an administrator may upload (`POST /services/imports`, 413 beyond).
    pub import_max_bytes: u64,
    /// Where uploaded offer files wait for their import job (shared by every runner).
    pub import_dir: PathBuf,
    /// Read the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// How many trusted proxies append to `X-Forwarded-For`: the client address is the one the
    /// outermost of them appended, `trust_proxy_hops` entries from the right.
    pub trust_proxy_hops: usize,
    pub sessions: SessionSettings,
    pub password_checks: PasswordCheckSettings,
    /// Requests per minute and client address on the public endpoints (search, export,
    /// communes, vocabularies) without a token; 0 turns the limit off.
    pub public_rate_per_minute: u32,
    pub mail: MailSettings,
    pub jobs: JobSettings,
    pub webhooks: WebhookSettings,
    pub retention: RetentionSettings,
    /// Test only (`SAS_TEST_CLOCK_FILE`): business time is the wall clock moved by the offset
    /// this file holds (`clock::OffsetFileClock`). Refused when `SAS_ENV=prod`.
    pub test_clock_file: Option<PathBuf>,
}

/// Outgoing mail: the SMTP server, the sender, and the public address links point to.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `None`: mails wait in the outbox (their deliveries fail and are retried).
    pub smtp_url: Option<String>,
    pub from: String,
    /// The address of the app as its users reach it (links in mails), without trailing `/`.
    pub public_url: String,
}

/// The job runner inside `sas serve` (`sas worker` always runs it).
#[derive(Debug, Clone, Copy)]
pub struct JobSettings {
    pub in_serve: bool,
    /// How often an idle runner looks for due work.
    pub poll: Duration,
}

/// Webhook deliveries.
#[derive(Debug, Clone, Copy)]
pub struct WebhookSettings {
    /// Accept `http://` and internal addresses (dev and tests only).
    pub allow_local: bool,
    /// Longest wait for a partner's answer (connection included).
    pub timeout: Duration,
}

/// Retention (issue 15): how long a youth is kept after the last activity of their last
/// closed referral, and how long access logs are kept (`domain::retention`).
#[derive(Debug, Clone, Copy)]
pub struct RetentionSettings {
    pub months: u32,
    /// At least 12 (refused below at start-up: the database never purges younger logs).
    pub access_log_months: u32,
}

/// Sessions: how long a refresh token lives unused, how long a session lives at all, and how
/// stale a cached account state may be when a request is authorised.
#[derive(Debug, Clone, Copy)]
pub struct SessionSettings {
    /// Idle lifetime: a refresh token unused for this long is refused.
    pub refresh_idle: Duration,
    /// Absolute lifetime of a session (a family of refresh tokens), from the login.
    pub max_age: Duration,
    /// Bound on revocation: an account's state (active, session version) is re-read from the
    /// database when the cached copy is older than this (0: on every request).
    pub state_cache: Duration,
}

impl Default for SessionSettings {
    fn default() -> Self {
        SessionSettings {
            refresh_idle: Duration::from_secs(12 * 3600),
            max_age: Duration::from_secs(7 * 24 * 3600),
            state_cache: Duration::from_secs(5),
        }
    }
}

/// Argon2 checks are memory-hungry (~19 MiB each): at most `max_concurrent` run at once, and
/// a request waits at most `max_wait` for its turn before a 503.
#[derive(Debug, Clone, Copy)]
pub struct PasswordCheckSettings {
    pub max_concurrent: usize,
    pub max_wait: Duration,
}

impl Default for PasswordCheckSettings {
    fn default() -> Self {
        PasswordCheckSettings {
            max_concurrent: std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_wait: Duration::from_millis(1000),
        }
    }
}

#[derive(Clone)]
pub struct JwtSettings {
    pub secret: Vec<u8>,
    pub issuer: String,
    pub audience: String,
    pub access_ttl: Duration,
}

impl std::fmt::Debug for JwtSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtSettings")
            .field("secret", &"<redacted>")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("access_ttl", &self.access_ttl)
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

/// Why `SAS_TEST_CLOCK_FILE` is refused in production.
pub const TEST_CLOCK_IN_PROD: &str =
    "moves business time (tests only): refused when SAS_ENV=prod; \
    unset it, or set SAS_ENV=dev for a test server";

const DEV_SECRET_WARNING: &str = "SAS_JWT_SECRET missing or weak: using a random secret \
    (dev only; tokens die with the process)";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is required")]
    Missing(&'static str),
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// Minimum JWT secret length: 256 bits.
pub const MIN_SECRET_BYTES: usize = 32;
/// Minimum estimated entropy of a JWT secret (Shannon entropy of its bytes × its length).
pub const MIN_SECRET_ENTROPY_BITS: f64 = 128.0;
/// Minimum number of distinct bytes in a JWT secret.
pub const MIN_SECRET_DISTINCT_BYTES: usize = 12;
/// How to make a good secret, in every refusal.
pub const SECRET_HINT: &str = "generate one with `openssl rand -base64 48`";

/// Why a JWT secret is refused in production: too short, too little variety (few distinct
/// characters, low entropy, a repeated pattern) or a placeholder. `None`: acceptable.
pub fn weak_secret(secret: &[u8]) -> Option<String> {
    if secret.len() < MIN_SECRET_BYTES {
        return Some(format!("must be at least {MIN_SECRET_BYTES} bytes"));
    }
    let mut counts = [0usize; 256];
    for b in secret {
        counts[usize::from(*b)] += 1;
    }
    let distinct = counts.iter().filter(|c| **c > 0).count();
    if distinct < MIN_SECRET_DISTINCT_BYTES {
        return Some(format!(
            "has only {distinct} distinct characters (at least {MIN_SECRET_DISTINCT_BYTES} needed)"
        ));
    }
    let n = secret.len() as f64;
    let per_byte: f64 = counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = *c as f64 / n;
            -p * p.log2()
        })
        .sum();
    if per_byte * n < MIN_SECRET_ENTROPY_BITS {
        return Some(format!(
            "has about {:.0} bits of entropy (at least {MIN_SECRET_ENTROPY_BITS:.0} needed)",
            per_byte * n
        ));
    }
    // A short pattern repeated ("abcdefghijklmnop" twice) has variety but no more secrecy
    // than the pattern.
    if let Some(p) =
        (1..=secret.len() / 2).find(|p| secret.iter().skip(*p).zip(secret).all(|(a, b)| a == b))
    {
        return Some(format!("repeats a pattern of {p} characters"));
    }
    let lower = String::from_utf8_lossy(secret).to_lowercase();
    if [
        "changeme",
        "change-me",
        "change_me",
        "replace-me",
        "example",
        "secret-here",
        "your-secret",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return Some("looks like a placeholder".into());
    }
    None
}

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
        let secret = match val("SAS_JWT_SECRET").map(|s| (weak_secret(s.as_bytes()), s)) {
            Some((None, s)) => s.into_bytes(),
            Some((Some(why), _)) if env == Env::Prod => {
                return Err(ConfigError::Invalid {
                    name: "SAS_JWT_SECRET",
                    reason: format!("{why}; {SECRET_HINT}"),
                })
            }
            None if env == Env::Prod => return Err(ConfigError::Missing("SAS_JWT_SECRET")),
            _ => {
                log::warn!("{DEV_SECRET_WARNING}");
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
        let sessions = SessionSettings::default();
        let checks = PasswordCheckSettings::default();
        let public_url = val("SAS_PUBLIC_URL")
            .unwrap_or_else(|| "http://127.0.0.1:8080".into())
            .trim_end_matches('/')
            .to_string();
        if !(public_url.starts_with("https://") || public_url.starts_with("http://")) {
            return Err(ConfigError::Invalid {
                name: "SAS_PUBLIC_URL",
                reason: "must start with https:// (or http://)".into(),
            });
        }
        let jobs_in_serve = match val("SAS_JOBS").as_deref() {
            None | Some("on") => true,
            Some("off") => false,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "SAS_JOBS",
                    reason: format!("{other:?} is neither on nor off"),
                })
            }
        };
        let test_clock_file = val("SAS_TEST_CLOCK_FILE").map(PathBuf::from);
        if test_clock_file.is_some() && env == Env::Prod {
            return Err(ConfigError::Invalid {
                name: "SAS_TEST_CLOCK_FILE",
                reason: TEST_CLOCK_IN_PROD.into(),
            });
        }
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
            import_max_bytes: parse(&val, "SAS_IMPORT_MAX_BYTES", Some(512 * 1024 * 1024))?,
            import_dir: val("SAS_IMPORT_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| std::env::temp_dir().join("sas-imports")),
            trust_proxy: parse(&val, "SAS_TRUST_PROXY", Some(false))?,
            trust_proxy_hops: at_least(
                1,
                "SAS_TRUST_PROXY_HOPS",
                parse(&val, "SAS_TRUST_PROXY_HOPS", Some(1))?,
            )?,
            sessions: SessionSettings {
                refresh_idle: Duration::from_secs(at_least(
                    1,
                    "SAS_REFRESH_TOKEN_TTL_SECONDS",
                    parse(
                        &val,
                        "SAS_REFRESH_TOKEN_TTL_SECONDS",
                        Some(sessions.refresh_idle.as_secs()),
                    )?,
                )?),
                max_age: Duration::from_secs(at_least(
                    1,
                    "SAS_SESSION_MAX_SECONDS",
                    parse(
                        &val,
                        "SAS_SESSION_MAX_SECONDS",
                        Some(sessions.max_age.as_secs()),
                    )?,
                )?),
                state_cache: Duration::from_secs(parse(
                    &val,
                    "SAS_SESSION_CHECK_SECONDS",
                    Some(sessions.state_cache.as_secs()),
                )?),
            },
            password_checks: PasswordCheckSettings {
                max_concurrent: at_least(
                    1,
                    "SAS_PASSWORD_CHECKS_MAX",
                    parse(&val, "SAS_PASSWORD_CHECKS_MAX", Some(checks.max_concurrent))?,
                )?,
                max_wait: Duration::from_millis(parse(
                    &val,
                    "SAS_PASSWORD_CHECK_WAIT_MS",
                    Some(u64::try_from(checks.max_wait.as_millis()).unwrap_or(1000)),
                )?),
            },
            public_rate_per_minute: parse(&val, "SAS_PUBLIC_RATE_PER_MINUTE", Some(120))?,
            mail: MailSettings {
                smtp_url: val("SAS_SMTP_URL"),
                from: val("SAS_MAIL_FROM")
                    .unwrap_or_else(|| "SAS <ne-pas-repondre@sas.invalid>".into()),
                public_url,
            },
            jobs: JobSettings {
                in_serve: jobs_in_serve,
                poll: Duration::from_millis(at_least(
                    10,
                    "SAS_JOBS_POLL_MS",
                    parse(&val, "SAS_JOBS_POLL_MS", Some(1000))?,
                )?),
            },
            webhooks: WebhookSettings {
                allow_local: parse(&val, "SAS_WEBHOOK_ALLOW_LOCAL", Some(env == Env::Dev))?,
                timeout: Duration::from_secs(at_least(
                    1,
                    "SAS_WEBHOOK_TIMEOUT_SECONDS",
                    parse(&val, "SAS_WEBHOOK_TIMEOUT_SECONDS", Some(10))?,
                )?),
            },
            retention: retention(&val)?,
            test_clock_file,
        })
    }
}

fn retention(val: &impl Fn(&str) -> Option<String>) -> Result<RetentionSettings, ConfigError> {
    use crate::domain::retention as rule;
    let months = at_least(
        1,
        "SAS_RETENTION_MONTHS",
        parse(
            val,
            "SAS_RETENTION_MONTHS",
            Some(rule::DEFAULT_RETENTION_MONTHS),
        )?,
    )?;
    let access_log_months = parse(
        val,
        "SAS_ACCESS_LOG_RETENTION_MONTHS",
        Some(rule::DEFAULT_ACCESS_LOG_RETENTION_MONTHS),
    )?;
    rule::check_settings(months, access_log_months).map_err(|reason| ConfigError::Invalid {
        name: "SAS_ACCESS_LOG_RETENTION_MONTHS",
        reason,
    })?;
    Ok(RetentionSettings {
        months,
        access_log_months,
    })
}

fn at_least<T: PartialOrd + std::fmt::Display>(
    min: T,
    name: &'static str,
    v: T,
) -> Result<T, ConfigError> {
    if v < min {
        return Err(ConfigError::Invalid {
            name,
            reason: format!("must be at least {min}"),
        });
    }
    Ok(v)
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
    fn retention_defaults_and_the_12_month_floor_of_access_logs() {
        let dev = [("DATABASE_URL", "postgres://x"), ("SAS_ENV", "dev")];
        let s = settings(&dev).expect("settings");
        assert_eq!(s.retention.months, 24);
        assert_eq!(s.retention.access_log_months, 12);
        let s = settings(&[
            dev[0],
            dev[1],
            ("SAS_RETENTION_MONTHS", "36"),
            ("SAS_ACCESS_LOG_RETENTION_MONTHS", "18"),
        ])
        .expect("settings");
        assert_eq!(
            (s.retention.months, s.retention.access_log_months),
            (36, 18)
        );
        let err = settings(&[dev[0], dev[1], ("SAS_ACCESS_LOG_RETENTION_MONTHS", "6")])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("SAS_ACCESS_LOG_RETENTION_MONTHS is invalid")
                && err.contains("at least 12"),
            "{err}"
        );
        let err = settings(&[dev[0], dev[1], ("SAS_RETENTION_MONTHS", "0")]).err();
        assert!(matches!(
            err,
            Some(ConfigError::Invalid {
                name: "SAS_RETENTION_MONTHS",
                ..
            })
        ));
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
    fn a_test_clock_is_refused_in_production_only() {
        let secret = "Zq3!x9Lm#7Tp$2Wv&5Rb*8Nc@4Yd^6Hf(1Kg)0Js";
        let err = settings(&[
            ("DATABASE_URL", "postgres://x"),
            ("SAS_JWT_SECRET", secret),
            ("SAS_TEST_CLOCK_FILE", "/tmp/clock"),
        ])
        .err();
        match err {
            Some(ConfigError::Invalid {
                name: "SAS_TEST_CLOCK_FILE",
                reason,
            }) => assert_eq!(reason, TEST_CLOCK_IN_PROD),
            other => panic!("{other:?}"),
        }
        let prod = settings(&[("DATABASE_URL", "postgres://x"), ("SAS_JWT_SECRET", secret)])
            .expect("settings");
        assert_eq!(prod.test_clock_file, None);
        let dev = settings(&[
            ("DATABASE_URL", "postgres://x"),
            ("SAS_ENV", "dev"),
            ("SAS_TEST_CLOCK_FILE", "/tmp/clock"),
        ])
        .expect("settings");
        assert_eq!(
            dev.test_clock_file.as_deref(),
            Some(std::path::Path::new("/tmp/clock"))
        );
        // Blank is unset.
        let blank = settings(&[
            ("DATABASE_URL", "postgres://x"),
            ("SAS_JWT_SECRET", secret),
            ("SAS_TEST_CLOCK_FILE", " "),
        ])
        .expect("settings");
        assert_eq!(blank.test_clock_file, None);
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
    fn prod_refuses_a_secret_with_too_little_variety() {
        for weak in [
            "a".repeat(64),
            "ab".repeat(32),
            // 16 distinct characters, but a 16-character pattern said twice.
            "0123456789abcdef0123456789abcdef".to_string(),
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabcdefghijklmnop".to_string(),
            "please-changeme-before-production-1234".to_string(),
        ] {
            let err =
                settings(&[("DATABASE_URL", "postgres://x"), ("SAS_JWT_SECRET", &weak)]).err();
            match err {
                Some(ConfigError::Invalid {
                    name: "SAS_JWT_SECRET",
                    reason,
                }) => {
                    assert!(reason.contains("openssl rand"), "{reason}")
                }
                other => panic!("{weak:?} accepted or wrong error: {other:?}"),
            }
        }
    }

    #[test]
    fn generated_secrets_are_accepted() {
        for good in [
            // openssl rand -hex 32
            "3f9c2a7e51b04d8e9a6c13f0b7d2e4a85c1f6093d7ab2e4c8f05169a3bd7e2c4",
            // openssl rand -base64 48
            "q8Zk3N0vR7mTgY2wXcLp9HsJ4uBfE6aD1oKiW5nQzVxMy+Tr/Ge8hUjC0lPbSdAF",
        ] {
            assert_eq!(weak_secret(good.as_bytes()), None, "{good}");
            let s = settings(&[("DATABASE_URL", "postgres://x"), ("SAS_JWT_SECRET", good)])
                .expect("accepted");
            assert_eq!(s.jwt.secret, good.as_bytes());
        }
    }

    #[test]
    fn session_and_proxy_defaults() {
        let s =
            settings(&[("DATABASE_URL", "postgres://x"), ("SAS_ENV", "dev")]).expect("settings");
        assert_eq!(s.sessions.refresh_idle, Duration::from_secs(12 * 3600));
        assert_eq!(s.sessions.max_age, Duration::from_secs(7 * 24 * 3600));
        assert_eq!(s.sessions.state_cache, Duration::from_secs(5));
        assert!(!s.trust_proxy);
        assert_eq!(s.trust_proxy_hops, 1);
        assert!(s.password_checks.max_concurrent >= 1);
        assert!(settings(&[
            ("DATABASE_URL", "x"),
            ("SAS_ENV", "dev"),
            ("SAS_TRUST_PROXY_HOPS", "0")
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
