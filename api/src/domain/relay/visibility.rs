//! Who sees what of a relay (DOMAIN.md's roles table), pure.

/// Who reads a relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reader {
    /// A counsellor of the referral's territory: everything.
    Counsellor,
    /// The receiving structure (an agent or its API client).
    Receiver,
    /// The prescriber structure of the referral: the closed loop.
    Prescriber,
}

impl Reader {
    pub const ALL: [Reader; 3] = [Reader::Counsellor, Reader::Receiver, Reader::Prescriber];
}

/// How a prescriber reads a sensitive receiving structure.
pub const CONFIDENTIAL_PARTNER: &str = "structure partenaire (confidentiel)";

/// The young person's identity: the SAS team and the receiver (the prescriber entered it and
/// reads it on its referral, not on the relay).
pub fn shows_youth(r: Reader) -> bool {
    matches!(r, Reader::Counsellor | Reader::Receiver)
}

/// The young person's phone and email: never to a receiver when they are reached only
/// through the prescriber.
pub fn shows_contact(r: Reader, contact_via_prescriber_only: bool) -> bool {
    match r {
        Reader::Counsellor => true,
        Reader::Receiver => !contact_via_prescriber_only,
        Reader::Prescriber => false,
    }
}

/// The needs and the shared summary: written for the receiver.
pub fn shows_summary(r: Reader) -> bool {
    matches!(r, Reader::Counsellor | Reader::Receiver)
}

/// Refusal and failure reasons: SAS-side and receiver-side, never the prescriber's.
pub fn shows_reasons(r: Reader) -> bool {
    matches!(r, Reader::Counsellor | Reader::Receiver)
}

/// The receiving structure's name and id, and the service: a prescriber reads a sensitive
/// one as [`CONFIDENTIAL_PARTNER`], without id nor service.
pub fn shows_structure(r: Reader, sensitive: bool) -> bool {
    !(r == Reader::Prescriber && sensitive)
}

/// The prescriber structure, for the receiver only: a sensitive one as
/// `domain::directory::CONFIDENTIAL_PRESCRIBER`, without id.
pub fn shows_prescriber(r: Reader) -> bool {
    r == Reader::Receiver
}

/// Whether the receiver may know which prescriber referred (not when it is sensitive).
pub fn names_prescriber(r: Reader, sensitive: bool) -> bool {
    r != Reader::Receiver || !sensitive
}

#[cfg(test)]
mod tests {
    use super::*;
    use Reader::*;

    /// DOMAIN.md's table, by hand: (reader, youth, contact (cvpo false, true), summary,
    /// reasons, structure (sensitive false, true), prescriber, prescriber named if sensitive).
    type Row = (
        Reader,
        bool,
        (bool, bool),
        bool,
        bool,
        (bool, bool),
        bool,
        bool,
    );

    const TABLE: &[Row] = &[
        (
            Counsellor,
            true,
            (true, true),
            true,
            true,
            (true, true),
            false,
            true,
        ),
        (
            Receiver,
            true,
            (true, false),
            true,
            true,
            (true, true),
            true,
            false,
        ),
        (
            Prescriber,
            false,
            (false, false),
            false,
            false,
            (true, false),
            false,
            true,
        ),
    ];

    #[test]
    fn each_reader_sees_what_the_table_says() {
        assert_eq!(TABLE.len(), Reader::ALL.len());
        for &(r, youth, (c0, c1), summary, reasons, (s0, s1), presc, named) in TABLE {
            assert_eq!(shows_youth(r), youth, "{r:?} youth");
            assert_eq!(shows_contact(r, false), c0, "{r:?} contact");
            assert_eq!(shows_contact(r, true), c1, "{r:?} contact cvpo");
            assert_eq!(shows_summary(r), summary, "{r:?} summary");
            assert_eq!(shows_reasons(r), reasons, "{r:?} reasons");
            assert_eq!(shows_structure(r, false), s0, "{r:?} structure");
            assert_eq!(shows_structure(r, true), s1, "{r:?} sensitive structure");
            assert_eq!(shows_prescriber(r), presc, "{r:?} prescriber");
            assert_eq!(
                names_prescriber(r, true),
                named,
                "{r:?} sensitive prescriber"
            );
            assert!(names_prescriber(r, false));
        }
    }
}
