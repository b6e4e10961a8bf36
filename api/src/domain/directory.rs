//! Who sees which structures of the directory. A `sensitive` structure (SPIP, PJJ, CSAPA…)
//! reveals a judicial or medical situation by its name alone: receivers must never connect a
//! young person to one, so callers who are only receivers (or pilots, who need no names) do
//! not see such structures at all — not in lists, not by id (404). The referral side
//! (administrators, counsellors, prescribers) sees the whole directory.
use api_types::Role;

/// Whether a caller holding `roles` sees sensitive structures.
pub fn sees_sensitive_structures(roles: &[Role]) -> bool {
    roles
        .iter()
        .any(|r| matches!(r, Role::Admin | Role::Counsellor | Role::Prescriber))
}

/// The name under which a receiver is shown a sensitive prescriber (never its id).
pub const CONFIDENTIAL_PRESCRIBER: &str = "Structure partenaire (confidentiel)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_combination_of_roles_sees_sensitive_structures_only_from_the_referral_side() {
        for mask in 0u8..32 {
            let roles: Vec<Role> = Role::ALL
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, r)| *r)
                .collect();
            let expected = roles.contains(&Role::Admin)
                || roles.contains(&Role::Counsellor)
                || roles.contains(&Role::Prescriber);
            assert_eq!(sees_sensitive_structures(&roles), expected, "{roles:?}");
        }
        assert!(!sees_sensitive_structures(&[Role::Receiver]));
        assert!(!sees_sensitive_structures(&[Role::Pilot, Role::Receiver]));
        assert!(sees_sensitive_structures(&[
            Role::Prescriber,
            Role::Receiver
        ]));
    }
}
