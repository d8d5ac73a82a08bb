//! Settings from the environment, validated once at start-up.

use std::{env, fmt, net::SocketAddr};

use actix_web::cookie::Key;
use chrono_tz::Tz;

pub const DEFAULT_DATABASE_URL: &str =
    "postgres://postgres:postgres@127.0.0.1:5432/academy_admin?sslmode=disable";

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub bind_addr: SocketAddr,
    /// Signs the session cookie. `None` means "generate one at start-up" (sessions end on restart).
    pub session_key: Option<Key>,
    pub time_zone: Tz,
    pub pool_size: u32,
    /// Send the session cookie over HTTPS only; on by default outside loopback addresses.
    pub secure_cookies: bool,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("bind_addr", &self.bind_addr)
            .field("time_zone", &self.time_zone)
            .field("pool_size", &self.pool_size)
            .field("secure_cookies", &self.secure_cookies)
            .finish_non_exhaustive()
    }
}

/// A setting that is present but unusable; the message says which and how to fix it.
#[derive(Debug, thiserror::Error)]
#[error("invalid setting {name}: {problem}. {fix}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
    pub fix: &'static str,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads settings through `lookup` so tests can supply their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let database_url = lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if !database_url.starts_with("postgres://") && !database_url.starts_with("postgresql://") {
            return Err(ConfigError {
                name: "DATABASE_URL",
                problem: "it is not a postgres:// URL".into(),
                fix: "Set it like postgres://user:password@host:5432/database.",
            });
        }
        let bind_addr: SocketAddr = parse(
            &lookup,
            "BIND_ADDR",
            "127.0.0.1:8080",
            "Use host:port, e.g. 127.0.0.1:8080.",
        )?;
        let session_key = match lookup("SESSION_KEY") {
            None => None,
            Some(hex) => Some(parse_key(&hex)?),
        };
        let time_zone: Tz = parse(
            &lookup,
            "APP_TIMEZONE",
            "Africa/Lagos",
            "Use an IANA zone name such as Africa/Lagos.",
        )?;
        let pool_size: u32 = parse(
            &lookup,
            "DATABASE_POOL_SIZE",
            &default_pool_size().to_string(),
            "Use a whole number from 1 to 200.",
        )?;
        if !(1..=200).contains(&pool_size) {
            return Err(ConfigError {
                name: "DATABASE_POOL_SIZE",
                problem: format!("{pool_size} is out of range"),
                fix: "Use a whole number from 1 to 200.",
            });
        }
        let secure_default = if bind_addr.ip().is_loopback() {
            "false"
        } else {
            "true"
        };
        let secure_cookies: bool = parse(
            &lookup,
            "SECURE_COOKIES",
            secure_default,
            "Use true or false.",
        )?;
        Ok(Self {
            database_url,
            bind_addr,
            session_key,
            time_zone,
            pool_size,
            secure_cookies,
        })
    }
}

impl Config {
    /// Today's date in the academy's time zone: the day prices take effect, the default
    /// enrollment date, the day an enrollment completes.
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::Utc::now()
            .with_timezone(&self.time_zone)
            .date_naive()
    }
}

fn parse<T: std::str::FromStr>(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: &str,
    fix: &'static str,
) -> Result<T, ConfigError> {
    let raw = lookup(name).unwrap_or_else(|| default.to_string());
    raw.trim().parse().map_err(|_| ConfigError {
        name,
        problem: format!("cannot read {raw:?}"),
        fix,
    })
}

fn parse_key(hex: &str) -> Result<Key, ConfigError> {
    let error = |problem: String| ConfigError {
        name: "SESSION_KEY",
        problem,
        fix: "Use 128 hex characters (64 random bytes), e.g. from `openssl rand -hex 64`.",
    };
    let hex = hex.trim();
    if hex.len() != 128 {
        return Err(error(format!("it has {} characters, not 128", hex.len())));
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| error("it is not hexadecimal".into()))?;
    Ok(Key::from(&bytes))
}

/// Twice the cores: the database shares the machine, and more connections than that only make
/// its backends fight over the CPU (measured in docs/benchmarks.md: with 32 connections on two
/// cores the p99 of a list page was 115 ms, with 4 it was 10 ms at more requests per second).
fn default_pool_size() -> usize {
    2 * std::thread::available_parallelism().map_or(2, |n| n.get())
}
