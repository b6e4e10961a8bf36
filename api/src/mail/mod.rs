//! Mail: the French templates (text + HTML, askama, `api/templates/mail/`), their rendering
//! with absolute links, and the SMTP transport (lettre). Queueing a mail is
//! `db::mails::enqueue` (in the caller's transaction); the job `mail.deliver`
//! (`jobs::mail`) renders and sends it. Subjects and bodies never name a person: a link into
//! the app says where to look.
use askama::Template as _;

pub mod transport;

/// The mails SAS sends. Each has a subject, a text and an HTML body in French.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// A new account: the link sets its password.
    Invitation,
    /// A forgotten password: the link sets a new one.
    PasswordReset,
    /// A referral the user sent was closed.
    ReferralClosed,
    /// The SAS team asks the prescriber's help to reach a young person.
    PrescriberRequest,
    /// The daily summary of the notifications (`count` of them).
    Digest,
    /// A new relay request for the receiving structure.
    RelayRequested,
    /// A relay request still waiting (10 and 20 days).
    RelayReminder,
    /// An off-platform relay still waiting (10 and 20 days), to the counsellor who records
    /// the structure's answer.
    OffPlatformReminder,
    /// A relay refused, to the assigned counsellor.
    RelayRefused,
    /// A relay expired, to the assigned counsellor.
    RelayExpired,
    /// A relay failed (drop-out…), to the assigned counsellor.
    RelayFailed,
    /// A follow-up checkpoint due, to the receiving structure.
    CheckpointDue,
    /// A referral needing attention (exit date near, unreachable rule met).
    ReferralAlert,
}

impl Template {
    pub const ALL: [Template; 13] = [
        Template::Invitation,
        Template::PasswordReset,
        Template::ReferralClosed,
        Template::PrescriberRequest,
        Template::Digest,
        Template::RelayRequested,
        Template::RelayReminder,
        Template::OffPlatformReminder,
        Template::RelayRefused,
        Template::RelayExpired,
        Template::RelayFailed,
        Template::CheckpointDue,
        Template::ReferralAlert,
    ];

    /// The code stored in `mails.template`.
    pub fn code(self) -> &'static str {
        match self {
            Template::Invitation => "invitation",
            Template::PasswordReset => "password_reset",
            Template::ReferralClosed => "referral_closed",
            Template::PrescriberRequest => "prescriber_request",
            Template::Digest => "digest",
            Template::RelayRequested => "relay_requested",
            Template::RelayReminder => "relay_reminder",
            Template::OffPlatformReminder => "off_platform_reminder",
            Template::RelayRefused => "relay_refused",
            Template::RelayExpired => "relay_expired",
            Template::RelayFailed => "relay_failed",
            Template::CheckpointDue => "checkpoint_due",
            Template::ReferralAlert => "referral_alert",
        }
    }

    pub fn parse(code: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn subject(self, count: i64) -> String {
        match self {
            Template::Invitation => "Votre compte SAS : choisissez votre mot de passe".into(),
            Template::PasswordReset => "SAS : choisir un nouveau mot de passe".into(),
            Template::ReferralClosed => {
                "SAS : un signalement que vous avez transmis est clôturé".into()
            }
            Template::PrescriberRequest => "SAS : l’équipe SAS a besoin de votre aide".into(),
            Template::Digest if count == 1 => "SAS : 1 nouvelle notification".into(),
            Template::Digest => format!("SAS : {count} nouvelles notifications"),
            Template::RelayRequested => "SAS : une nouvelle demande de relais".into(),
            Template::RelayReminder => "SAS : une demande de relais attend votre réponse".into(),
            Template::OffPlatformReminder => {
                "SAS : un relais hors SAS attend la réponse de la structure".into()
            }
            Template::RelayRefused => "SAS : un relais a été refusé".into(),
            Template::RelayExpired => "SAS : une demande de relais a expiré".into(),
            Template::RelayFailed => "SAS : un relais n’a pas abouti".into(),
            Template::CheckpointDue => "SAS : un point de suivi est à renseigner".into(),
            Template::ReferralAlert => "SAS : un dossier demande votre attention".into(),
        }
    }

    fn action(self) -> &'static str {
        match self {
            Template::Invitation => "Choisir mon mot de passe",
            Template::PasswordReset => "Choisir un nouveau mot de passe",
            Template::ReferralClosed => "Voir le signalement",
            Template::PrescriberRequest => "Voir la demande",
            Template::Digest => "Voir mes notifications",
            Template::RelayRequested => "Voir la demande",
            Template::RelayReminder => "Répondre à la demande",
            Template::OffPlatformReminder => "Noter la réponse",
            Template::RelayRefused => "Voir le dossier",
            Template::RelayExpired => "Voir le dossier",
            Template::RelayFailed => "Voir le dossier",
            Template::CheckpointDue => "Renseigner le suivi",
            Template::ReferralAlert => "Voir le dossier",
        }
    }
}

/// A mail ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(askama::Template)]
#[template(path = "mail/invitation.txt")]
struct InvitationText<'a> {
    link: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/invitation.html")]
struct InvitationHtml<'a> {
    subject: &'a str,
    link: &'a str,
    action: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/password_reset.txt")]
struct ResetText<'a> {
    link: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/password_reset.html")]
struct ResetHtml<'a> {
    subject: &'a str,
    link: &'a str,
    action: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/referral_closed.txt")]
struct ClosedText<'a> {
    link: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/referral_closed.html")]
struct ClosedHtml<'a> {
    subject: &'a str,
    link: &'a str,
    action: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/prescriber_request.txt")]
struct RequestText<'a> {
    link: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/prescriber_request.html")]
struct RequestHtml<'a> {
    subject: &'a str,
    link: &'a str,
    action: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/digest.txt")]
struct DigestText<'a> {
    link: &'a str,
    count: i64,
}
#[derive(askama::Template)]
#[template(path = "mail/digest.html")]
struct DigestHtml<'a> {
    subject: &'a str,
    link: &'a str,
    action: &'a str,
    count: i64,
}

#[derive(askama::Template)]
#[template(path = "mail/relay_requested.txt")]
struct RelayRequestedText<'a> {
    link: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/relay_requested.html")]
struct RelayRequestedHtml<'a> {
    subject: &'a str,
    link: &'a str,
    action: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/relay_reminder.txt")]
struct RelayReminderText<'a> {
    link: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/relay_reminder.html")]
struct RelayReminderHtml<'a> {
    subject: &'a str,
    link: &'a str,
    action: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/off_platform_reminder.txt")]
struct OffPlatformReminderText<'a> {
    link: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/off_platform_reminder.html")]
struct OffPlatformReminderHtml<'a> {
    subject: &'a str,
    link: &'a str,
    action: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/relay_refused.txt")]
struct RelayRefusedText<'a> {
    link: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/relay_refused.html")]
struct RelayRefusedHtml<'a> {
    subject: &'a str,
    link: &'a str,
    action: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/relay_expired.txt")]
struct RelayExpiredText<'a> {
    link: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/relay_expired.html")]
struct RelayExpiredHtml<'a> {
    subject: &'a str,
    link: &'a str,
    action: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/relay_failed.txt")]
struct RelayFailedText<'a> {
    link: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/relay_failed.html")]
struct RelayFailedHtml<'a> {
    subject: &'a str,
    link: &'a str,
    action: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/checkpoint_due.txt")]
struct CheckpointDueText<'a> {
    link: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/checkpoint_due.html")]
struct CheckpointDueHtml<'a> {
    subject: &'a str,
    link: &'a str,
    action: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/referral_alert.txt")]
struct ReferralAlertText<'a> {
    link: &'a str,
}
#[derive(askama::Template)]
#[template(path = "mail/referral_alert.html")]
struct ReferralAlertHtml<'a> {
    subject: &'a str,
    link: &'a str,
    action: &'a str,
}
/// `path` (an SPA path, possibly with a `#fragment`) as an absolute link under `public_url`.
pub fn absolute(public_url: &str, path: &str) -> String {
    format!("{}{}", public_url.trim_end_matches('/'), path)
}

/// Renders `template` with its link (absolute) and, for the digest, its count.
pub fn render(template: Template, link: &str, count: i64) -> Result<Rendered, askama::Error> {
    let subject = template.subject(count);
    let (s, action) = (subject.as_str(), template.action());
    let (text, html) = match template {
        Template::Invitation => (
            InvitationText { link }.render()?,
            InvitationHtml {
                subject: s,
                link,
                action,
            }
            .render()?,
        ),
        Template::PasswordReset => (
            ResetText { link }.render()?,
            ResetHtml {
                subject: s,
                link,
                action,
            }
            .render()?,
        ),
        Template::ReferralClosed => (
            ClosedText { link }.render()?,
            ClosedHtml {
                subject: s,
                link,
                action,
            }
            .render()?,
        ),
        Template::PrescriberRequest => (
            RequestText { link }.render()?,
            RequestHtml {
                subject: s,
                link,
                action,
            }
            .render()?,
        ),
        Template::Digest => (
            DigestText { link, count }.render()?,
            DigestHtml {
                subject: s,
                link,
                action,
                count,
            }
            .render()?,
        ),
        Template::RelayRequested => (
            RelayRequestedText { link }.render()?,
            RelayRequestedHtml {
                subject: s,
                link,
                action,
            }
            .render()?,
        ),
        Template::RelayReminder => (
            RelayReminderText { link }.render()?,
            RelayReminderHtml {
                subject: s,
                link,
                action,
            }
            .render()?,
        ),
        Template::OffPlatformReminder => (
            OffPlatformReminderText { link }.render()?,
            OffPlatformReminderHtml {
                subject: s,
                link,
                action,
            }
            .render()?,
        ),
        Template::RelayRefused => (
            RelayRefusedText { link }.render()?,
            RelayRefusedHtml {
                subject: s,
                link,
                action,
            }
            .render()?,
        ),
        Template::RelayExpired => (
            RelayExpiredText { link }.render()?,
            RelayExpiredHtml {
                subject: s,
                link,
                action,
            }
            .render()?,
        ),
        Template::RelayFailed => (
            RelayFailedText { link }.render()?,
            RelayFailedHtml {
                subject: s,
                link,
                action,
            }
            .render()?,
        ),
        Template::CheckpointDue => (
            CheckpointDueText { link }.render()?,
            CheckpointDueHtml {
                subject: s,
                link,
                action,
            }
            .render()?,
        ),
        Template::ReferralAlert => (
            ReferralAlertText { link }.render()?,
            ReferralAlertHtml {
                subject: s,
                link,
                action,
            }
            .render()?,
        ),
    };
    Ok(Rendered {
        subject,
        text,
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://sas.example.org/invitation#jeton=EXEMPLE";

    /// Each template against its committed snapshot (`api/templates/mail/snapshots/`).
    /// `UPDATE_SNAPSHOTS=1 cargo test -p sas-api --lib mail` rewrites them after a deliberate
    /// change; review the diff.
    #[test]
    fn every_template_matches_its_snapshot() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/mail/snapshots");
        let update = std::env::var("UPDATE_SNAPSHOTS").is_ok();
        let mut cases: Vec<(String, Rendered)> = Template::ALL
            .iter()
            .map(|t| (t.code().to_string(), render(*t, LINK, 1).expect("render")))
            .collect();
        cases.push((
            "digest_3".into(),
            render(Template::Digest, LINK, 3).expect("render"),
        ));
        for (name, r) in cases {
            let got = format!(
                "Subject: {}\n\n{}\n=== html ===\n{}\n",
                r.subject, r.text, r.html
            );
            let path = dir.join(format!("{name}.snap"));
            if update {
                std::fs::create_dir_all(&dir).expect("mkdir");
                std::fs::write(&path, &got).expect("write snapshot");
                continue;
            }
            let want = std::fs::read_to_string(&path)
                .unwrap_or_else(|_| panic!("missing snapshot {}", path.display()));
            assert_eq!(
                got, want,
                "template {name} changed: UPDATE_SNAPSHOTS=1 to accept"
            );
        }
    }

    #[test]
    fn the_html_body_escapes_the_link_and_both_bodies_carry_it() {
        let r = render(Template::PasswordReset, "https://x.org/a?b=1&c=<2>", 1).expect("render");
        assert!(
            r.html.contains("https://x.org/a?b=1&#38;c=&#60;2&#62;")
                || r.html.contains("&amp;c=&lt;2&gt;")
        );
        assert!(!r.html.contains("<2>"));
        assert!(r.text.contains("https://x.org/a?b=1&c=<2>"));
    }

    #[test]
    fn subjects_name_nobody_and_codes_round_trip() {
        for t in Template::ALL {
            assert_eq!(Template::parse(t.code()), Some(t));
            let s = t.subject(2);
            assert!(
                s.starts_with("SAS") || s.starts_with("Votre compte SAS"),
                "{s}"
            );
        }
        assert_eq!(Template::Digest.subject(1), "SAS : 1 nouvelle notification");
        assert_eq!(absolute("https://a.org/", "/x#y"), "https://a.org/x#y");
    }
}
