//! Client-side mirrors of the API's field rules, so most mistakes are caught before sending.
//! The API stays the authority: its answers are shown the same way.

/// Removes the separators people type in phone numbers.
fn phone_digits(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}'))
        .collect()
}

/// Phone numbers as the API accepts them: French numbers (`06 12 34 56 78`, `+33 6…`,
/// `0033…`, even `+33 06…`) and international ones (`+` or `00`, 8 to 15 digits).
pub fn is_phone(s: &str) -> bool {
    let d = phone_digits(s.trim());
    let digits_after = |p: &str| {
        d.strip_prefix(p)
            .filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
    };
    let national = if let Some(r) = digits_after("+33").or_else(|| digits_after("0033")) {
        let r = r.strip_prefix('0').unwrap_or(r);
        if r.len() != 9 {
            return false;
        }
        format!("0{r}")
    } else if let Some(r) = digits_after("+").or_else(|| digits_after("00")) {
        return (8..=15).contains(&r.len()) && !r.starts_with('0');
    } else {
        d
    };
    national.len() == 10
        && national.starts_with('0')
        && !national[1..].starts_with('0')
        && national.bytes().all(|b| b.is_ascii_digit())
}

/// A plausible email address: one `@`, a dot in the domain, no spaces.
pub fn is_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
        && s.len() <= 254
}

/// 14 digits with a valid Luhn key (La Poste's establishments, SIREN 356000000, excepted).
pub fn is_siret(s: &str) -> bool {
    let d: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if d.len() != 14 || !d.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if d.starts_with("356000000") {
        return d
            .bytes()
            .map(|b| u32::from(b - b'0'))
            .sum::<u32>()
            .is_multiple_of(5);
    }
    let sum: u32 = d
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let n = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = n * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                n
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Trimmed text, `None` when empty.
pub fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_phone_numbers_in_the_ways_people_type_them() {
        for ok in [
            "06 12 34 56 78",
            "0612345678",
            "06.12.34.56.78",
            "+33 6 12 34 56 78",
            "+33 06 12 34 56 78",
            "0033612345678",
            "04-72-00-00-00",
            "+262 692 12 34 56",
            "+44 20 7946 0958",
        ] {
            assert!(is_phone(ok), "{ok} should be accepted");
        }
        for bad in [
            "12345",
            "06 12 34 56",
            "0012",
            "01 00 00",
            "00 00 12 34 56",
            "abc",
            "",
            "+0612",
        ] {
            assert!(!is_phone(bad), "{bad} should be refused");
        }
    }

    #[test]
    fn emails_need_a_domain() {
        assert!(is_email("prenom.nom@ml-lyon.fr"));
        assert!(!is_email("prenom.nom"));
        assert!(!is_email("a@b"));
        assert!(!is_email("a b@c.fr"));
    }

    #[test]
    fn sirets_check_their_luhn_key() {
        assert!(is_siret("73282932000074"));
        assert!(is_siret("732 829 320 00074"));
        assert!(!is_siret("73282932000075"));
        assert!(!is_siret("1234"));
        assert_eq!(opt("  "), None);
        assert_eq!(opt(" x "), Some("x".into()));
    }
}
