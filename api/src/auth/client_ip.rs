//! The client address used for throttling. Without `SAS_TRUST_PROXY` it is the peer of the TCP
//! connection. Behind trusted proxies, each appends the address it received the request from
//! to `X-Forwarded-For`; everything to the left of what they appended is whatever the client
//! chose to send. With `SAS_TRUST_PROXY_HOPS = n`, the client is the address appended by the
//! outermost trusted proxy: the n-th entry from the right (the peer being the innermost proxy).
use std::net::IpAddr;

use actix_web::http::header::HeaderMap;
use actix_web::HttpRequest;

/// `X-Forwarded-For` entries in order, all headers of that name joined (RFC 9110 §5.3).
fn forwarded_for(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parses one entry: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]:443`.
fn parse_entry(s: &str) -> Option<IpAddr> {
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    if let Ok(sa) = s.parse::<std::net::SocketAddr>() {
        return Some(sa.ip());
    }
    s.strip_prefix('[')
        .and_then(|r| r.split(']').next())
        .and_then(|r| r.parse().ok())
}

/// The client address given the peer, the `X-Forwarded-For` entries and the number of trusted
/// proxies. With fewer entries than hops (a proxy that did not append), the leftmost entry is
/// the best there is; an unparsable one falls back to the peer, never to a client's text.
pub fn resolve(peer: Option<IpAddr>, forwarded: &[String], hops: usize) -> Option<IpAddr> {
    if forwarded.is_empty() || hops == 0 {
        return peer;
    }
    let idx = forwarded.len().saturating_sub(hops);
    parse_entry(&forwarded[idx]).or(peer)
}

/// The client address, when known.
pub fn ip_of(req: &HttpRequest, trust_proxy: bool, hops: usize) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    if trust_proxy {
        resolve(peer, &forwarded_for(req.headers()), hops)
    } else {
        peer
    }
}

/// The address the throttle counts failures against.
pub fn of(req: &HttpRequest, trust_proxy: bool, hops: usize) -> String {
    ip_of(req, trust_proxy, hops).map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().expect("ip"))
    }

    fn list(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn one_proxy_takes_what_it_appended_not_what_the_client_sent() {
        let peer = ip("10.0.0.1");
        let chain = list(&["6.6.6.6", "203.0.113.7"]);
        assert_eq!(resolve(peer, &chain, 1), ip("203.0.113.7"));
        assert_eq!(resolve(peer, &list(&["203.0.113.7"]), 1), ip("203.0.113.7"));
    }

    #[test]
    fn two_proxies_take_the_second_entry_from_the_right() {
        let chain = list(&["6.6.6.6", "203.0.113.7", "10.0.0.2"]);
        assert_eq!(resolve(ip("10.0.0.1"), &chain, 2), ip("203.0.113.7"));
    }

    #[test]
    fn short_chains_bad_entries_and_no_header() {
        let peer = ip("10.0.0.1");
        assert_eq!(resolve(peer, &list(&["203.0.113.7"]), 3), ip("203.0.113.7"));
        assert_eq!(resolve(peer, &list(&["1.1.1.1", "not-an-ip"]), 1), peer);
        assert_eq!(resolve(peer, &[], 1), peer);
        assert_eq!(
            resolve(peer, &list(&["[2001:db8::1]:443"]), 1),
            ip("2001:db8::1")
        );
        assert_eq!(
            resolve(peer, &list(&["198.51.100.4:5678"]), 1),
            ip("198.51.100.4")
        );
    }
}
