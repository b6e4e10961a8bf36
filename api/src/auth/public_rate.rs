//! The rate limit of the public endpoints (search, export, communes, vocabularies): at most
//! `SAS_PUBLIC_RATE_PER_MINUTE` anonymous requests per client address per minute, counted in
//! fixed one-minute windows in this process (each instance counts its own: the limit is a
//! guard against one client hogging an instance, not a quota). Beyond: 429 with the seconds
//! left in the window as `Retry-After`. IPv6 clients are counted per /64 (one subscriber),
//! and the table is bounded: when full, it drops the windows that ended, then refuses new
//! addresses for the rest of the minute rather than grow.
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Most addresses tracked at once (a few MiB at most).
pub const MAX_TRACKED: usize = 100_000;

pub struct PublicRate {
    per_minute: u32,
    windows: Mutex<HashMap<IpAddr, (i64, u32)>>,
}

/// The key an address is counted under.
pub fn key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

impl PublicRate {
    pub fn new(per_minute: u32) -> PublicRate {
        PublicRate {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request of `ip` at `now_s` (Unix seconds): `Err(retry_after)` beyond the limit.
    pub fn check(&self, ip: IpAddr, now_s: i64) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let minute = now_s.div_euclid(60);
        let retry = u64::try_from(60 - now_s.rem_euclid(60))
            .unwrap_or(60)
            .max(1);
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let k = key(ip);
        if !w.contains_key(&k) && w.len() >= MAX_TRACKED {
            w.retain(|_, (m, _)| *m == minute);
            if w.len() >= MAX_TRACKED {
                return Err(retry);
            }
        }
        let e = w.entry(k).or_insert((minute, 0));
        if e.0 != minute {
            *e = (minute, 0);
        }
        if e.1 >= self.per_minute {
            return Err(retry);
        }
        e.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn the_limit_applies_per_address_and_per_minute() {
        let r = PublicRate::new(3);
        let t = 1_700_000_080; // 40 s into a minute
        for _ in 0..3 {
            assert_eq!(r.check(ip("203.0.113.1"), t), Ok(()));
        }
        assert_eq!(r.check(ip("203.0.113.1"), t + 1), Err(19));
        assert_eq!(r.check(ip("203.0.113.2"), t + 1), Ok(()));
        // The next minute starts afresh.
        assert_eq!(r.check(ip("203.0.113.1"), t + 20), Ok(()));
    }

    #[test]
    fn ipv6_clients_count_per_64_and_zero_is_no_limit() {
        let r = PublicRate::new(1);
        assert_eq!(r.check(ip("2001:db8:1:2::1"), 0), Ok(()));
        assert!(r.check(ip("2001:db8:1:2::ffff"), 1).is_err());
        assert_eq!(r.check(ip("2001:db8:1:3::1"), 1), Ok(()));
        let off = PublicRate::new(0);
        for _ in 0..1000 {
            assert_eq!(off.check(ip("192.0.2.1"), 0), Ok(()));
        }
    }
}
