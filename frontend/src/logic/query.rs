//! Query strings for list endpoints.

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `path?k=v&…` with empty values left out.
pub fn with_query(path: &str, params: &[(&str, &str)]) -> String {
    let q: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if q.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded_and_empty_ones_dropped() {
        assert_eq!(encode("Saint-Étienne"), "Saint-%C3%89tienne");
        assert_eq!(encode("a b&c"), "a%20b%26c");
        assert_eq!(
            with_query(
                "/api/v1/referrals",
                &[("status", "submitted"), ("q", ""), ("cursor", "x=")]
            ),
            "/api/v1/referrals?status=submitted&cursor=x%3D"
        );
        assert_eq!(with_query("/p", &[("q", "")]), "/p");
    }
}
