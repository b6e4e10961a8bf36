//! Text normalisation shared by search and duplicate detection.
use unicode_normalization::UnicodeNormalization;

/// Lowercase, accents removed, ligatures opened, every non-alphanumeric run folded into one
/// space: "Saint-Étienne" and "saint etienne" give the same key; "L'Haÿ-les-Roses" gives
/// "l hay les roses".
pub fn search_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let piece: &str = match c {
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            'ß' => "ss",
            _ => "",
        };
        if !piece.is_empty() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push_str(piece);
        } else if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// Trims and collapses inner whitespace; `None` when nothing is left.
pub fn clean(s: &str) -> Option<String> {
    let v = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.is_empty() {
        None
    } else {
        Some(v)
    }
}

/// Trims each line and the whole, keeps line breaks (at most one empty line in a row);
/// `None` when nothing is left. For descriptions and other long texts.
pub fn clean_multiline(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
    {
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(&line);
    }
    (!out.is_empty()).then_some(out)
}

/// Whether `s` looks like an email address (the validator crate's HTML5 rule).
pub fn is_email(s: &str) -> bool {
    use validator::ValidateEmail;
    s.len() <= 254 && s.validate_email()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_keys_ignore_case_accents_and_punctuation() {
        assert_eq!(search_key("Saint-Étienne"), "saint etienne");
        assert_eq!(search_key("L'Haÿ-les-Roses"), "l hay les roses");
        assert_eq!(search_key("  Œuilly "), "oeuilly");
        assert_eq!(
            search_key("Lyon 3e  Arrondissement"),
            "lyon 3e arrondissement"
        );
        assert_eq!(search_key("--"), "");
    }

    #[test]
    fn clean_collapses_whitespace() {
        assert_eq!(clean("  Jean   Pierre "), Some("Jean Pierre".into()));
        assert_eq!(clean("   "), None);
    }

    #[test]
    fn multiline_texts_keep_their_paragraphs() {
        assert_eq!(
            clean_multiline("  Un  atelier \r\n\n\n\n pour   tous \n"),
            Some("Un atelier\n\npour tous".into())
        );
        assert_eq!(clean_multiline(" \n "), None);
    }

    #[test]
    fn emails_are_checked() {
        assert!(is_email("agent@ase69.fr"));
        assert!(!is_email("agent@"));
        assert!(!is_email("not an email"));
    }
}
