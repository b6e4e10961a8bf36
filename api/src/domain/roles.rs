//! Which roles a user or API client may hold, given its structure.
use api_types::{FieldError, Role};

/// The flags of a structure that bound its members' roles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StructureFlags {
    pub prescriber: bool,
    pub receiver: bool,
    pub sas_team: bool,
}

/// Checks a set of roles against the structure and territory the account would carry.
/// Returns every problem at once, as field errors on `roles`, `structure_id` or `territory_id`.
pub fn check_roles(
    roles: &[Role],
    structure: Option<StructureFlags>,
    has_territory: bool,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if roles.is_empty() {
        errs.push(FieldError::new(
            "roles",
            "required",
            "At least one role is required.",
        ));
    }
    let mut seen = Vec::new();
    for (i, &role) in roles.iter().enumerate() {
        if seen.contains(&role) {
            errs.push(FieldError::new(
                format!("roles[{i}]"),
                "duplicate_role",
                format!("{} is listed twice.", role.as_str()),
            ));
            continue;
        }
        seen.push(role);
        let needs = match role {
            Role::Prescriber => Some(("prescriber", structure.map(|s| s.prescriber))),
            Role::Receiver => Some(("receiver", structure.map(|s| s.receiver))),
            Role::Counsellor => Some(("sas_team", structure.map(|s| s.sas_team))),
            Role::Admin | Role::Pilot => None,
        };
        match needs {
            Some((_, None)) => errs.push(FieldError::new(
                "structure_id",
                "role_needs_structure",
                format!("The {} role needs a structure.", role.as_str()),
            )),
            Some((flag, Some(false))) => errs.push(FieldError::new(
                format!("roles[{i}]"),
                "role_not_allowed_by_structure",
                format!(
                    "The {} role needs a structure flagged {flag}.",
                    role.as_str()
                ),
            )),
            _ => {}
        }
        if role == Role::Pilot && !has_territory {
            errs.push(FieldError::new(
                "territory_id",
                "pilot_needs_territory",
                "A pilot carries a territory.",
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    const ML: StructureFlags = StructureFlags {
        prescriber: true,
        receiver: true,
        sas_team: false,
    };

    fn codes(errs: &[FieldError]) -> Vec<&str> {
        errs.iter().map(|e| e.code.as_str()).collect()
    }

    #[test]
    fn a_mission_locale_agent_may_refer_and_receive() {
        assert!(check_roles(&[Role::Prescriber, Role::Receiver], Some(ML), false).is_empty());
    }

    #[test]
    fn a_counsellor_needs_a_sas_team() {
        let errs = check_roles(&[Role::Counsellor], Some(ML), false);
        assert_eq!(codes(&errs), ["role_not_allowed_by_structure"]);
        assert_eq!(errs[0].field, "roles[0]");
    }

    #[test]
    fn structure_bound_roles_need_a_structure() {
        assert_eq!(
            codes(&check_roles(&[Role::Prescriber], None, false)),
            ["role_needs_structure"]
        );
    }

    #[test]
    fn a_pilot_needs_a_territory_and_an_admin_needs_nothing() {
        assert_eq!(
            codes(&check_roles(&[Role::Pilot], None, false)),
            ["pilot_needs_territory"]
        );
        assert!(check_roles(&[Role::Pilot], None, true).is_empty());
        assert!(check_roles(&[Role::Admin], None, false).is_empty());
    }

    #[test]
    fn empty_and_repeated_roles_are_refused() {
        assert_eq!(codes(&check_roles(&[], None, false)), ["required"]);
        assert_eq!(
            codes(&check_roles(&[Role::Admin, Role::Admin], None, false)),
            ["duplicate_role"]
        );
    }
}
