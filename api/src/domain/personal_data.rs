//! Who reads a young person's personal data, and on what grounds (issue 15): an administrator
//! reads a referral or exports a youth's data only with a reason, given each time and logged;
//! the SAS team and the prescriber read within their scope without one (their scope is their
//! reason). Pure rules; the routes ask them first.
use api_types::Role;

/// Longest reason of an administrator's read, in characters (as for every administrative
/// action).
pub const MAX_REASON_CHARS: usize = 500;

/// Why a reason is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonRefusal {
    /// Absent, or nothing but spaces: 422 `reason_required`.
    Missing,
    /// Longer than [`MAX_REASON_CHARS`] once trimmed: 422 `too_long`.
    TooLong,
}

/// The reason as logged: trimmed, inner whitespace collapsed, 1 to 500 characters.
pub fn reason(raw: Option<&str>) -> Result<String, ReasonRefusal> {
    match raw.and_then(crate::domain::text::clean) {
        None => Err(ReasonRefusal::Missing),
        Some(r) if r.chars().count() > MAX_REASON_CHARS => Err(ReasonRefusal::TooLong),
        Some(r) => Ok(r),
    }
}

/// In which capacity a caller reads one referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralRead {
    /// As its prescriber or a counsellor, within their scope (no reason needed).
    Staff,
    /// As an administrator, any referral, with the reason logged and audited.
    Admin,
    /// An administrator without a reason: 422 `reason_required`.
    ReasonRequired,
    /// Nobody else reads referrals (403).
    Forbidden,
}

/// How `roles` read a referral, given whether a reason was sent. An administrator who is also
/// a prescriber or a counsellor reads as staff unless they give a reason (then as an
/// administrator, any referral): a reason is never needed for one's own work, and never
/// ignored when given by an administrator.
pub fn referral_read(roles: &[Role], reason_given: bool) -> ReferralRead {
    let admin = roles.contains(&Role::Admin);
    let staff = roles.contains(&Role::Prescriber) || roles.contains(&Role::Counsellor);
    match (admin, staff, reason_given) {
        (true, _, true) => ReferralRead::Admin,
        (_, true, _) => ReferralRead::Staff,
        (true, false, false) => ReferralRead::ReasonRequired,
        (false, false, _) => ReferralRead::Forbidden,
    }
}

/// The name of an export file: the youth's id only, never a personal detail.
pub fn export_file_name(youth: uuid::Uuid, extension: &str) -> String {
    format!("sas-export-{youth}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_trimmed_and_bounded() {
        assert_eq!(reason(None), Err(ReasonRefusal::Missing));
        assert_eq!(reason(Some("")), Err(ReasonRefusal::Missing));
        assert_eq!(reason(Some("  \t\n ")), Err(ReasonRefusal::Missing));
        assert_eq!(
            reason(Some("  Demande   d'accès  ")),
            Ok("Demande d'accès".to_string())
        );
        let max = "é".repeat(MAX_REASON_CHARS);
        assert_eq!(reason(Some(&max)), Ok(max.clone()));
        assert_eq!(
            reason(Some(&format!("  {max}  "))),
            Ok(max.clone()),
            "spaces around do not count"
        );
        assert_eq!(
            reason(Some(&format!("{max}x"))),
            Err(ReasonRefusal::TooLong)
        );
    }

    #[test]
    fn every_role_combination_reads_a_referral_as_the_table_says() {
        use ReferralRead as R;
        use Role::{Admin, Counsellor, Pilot, Prescriber, Receiver};
        // (roles, without a reason, with a reason)
        let table: [(&[Role], ReferralRead, ReferralRead); 12] = [
            (&[Admin], R::ReasonRequired, R::Admin),
            (&[Prescriber], R::Staff, R::Staff),
            (&[Counsellor], R::Staff, R::Staff),
            (&[Prescriber, Counsellor], R::Staff, R::Staff),
            (&[Admin, Prescriber], R::Staff, R::Admin),
            (&[Admin, Counsellor], R::Staff, R::Admin),
            (&[Admin, Receiver], R::ReasonRequired, R::Admin),
            (&[Admin, Pilot], R::ReasonRequired, R::Admin),
            (&[Receiver], R::Forbidden, R::Forbidden),
            (&[Pilot], R::Forbidden, R::Forbidden),
            (&[Receiver, Pilot], R::Forbidden, R::Forbidden),
            (&[], R::Forbidden, R::Forbidden),
        ];
        for (roles, without, with) in table {
            assert_eq!(referral_read(roles, false), without, "{roles:?} without");
            assert_eq!(referral_read(roles, true), with, "{roles:?} with");
        }
    }

    #[test]
    fn an_export_file_name_holds_the_id_only() {
        let id = uuid::Uuid::nil();
        assert_eq!(
            export_file_name(id, "html"),
            "sas-export-00000000-0000-0000-0000-000000000000.html"
        );
    }
}
