//! SIRET: 14 digits whose Luhn key is valid. La Poste's establishments (SIREN 356000000) use
//! another rule (sum of digits divisible by 5), as INSEE documents.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiretError {
    /// Not exactly 14 digits.
    Format,
    /// The check key does not match.
    Key,
}

pub fn check(s: &str) -> Result<(), SiretError> {
    if s.len() != 14 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SiretError::Format);
    }
    let digits: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
    if s.starts_with("356000000") {
        let sum: u32 = digits.iter().sum();
        return if sum.is_multiple_of(5) {
            Ok(())
        } else {
            Err(SiretError::Key)
        };
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    if sum.is_multiple_of(10) {
        Ok(())
    } else {
        Err(SiretError::Key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_sirets_pass() {
        // Luhn-valid SIRETs, INSEE's own among them, and a La Poste establishment.
        assert_eq!(check("77990868300039"), Ok(()));
        assert_eq!(check("12002701600357"), Ok(()));
        assert_eq!(check("35600000000047"), Ok(()));
    }

    #[test]
    fn a_wrong_key_fails() {
        assert_eq!(check("77990868300033"), Err(SiretError::Key));
        assert_eq!(check("35600000000048"), Err(SiretError::Key));
    }

    #[test]
    fn the_format_is_14_digits() {
        assert_eq!(check("7799086830003"), Err(SiretError::Format));
        assert_eq!(check("7799086830003A"), Err(SiretError::Format));
        assert_eq!(check(""), Err(SiretError::Format));
    }
}
