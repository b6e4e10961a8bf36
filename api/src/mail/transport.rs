//! SMTP delivery with lettre's blocking transport (the jobs run on their own threads). The
//! URL is `SAS_SMTP_URL`: `smtp://host:port` (plain, for a local relay or a test server),
//! `smtp://host:587?tls=required` (STARTTLS) or `smtps://host:465`, with `user:password@` when
//! the server wants credentials.
use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{Message, SmtpTransport, Transport};

use super::Rendered;

/// How long one SMTP exchange may take.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

pub struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
}

/// Why a mail was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    /// The server refused it for good (5xx): retrying cannot help.
    pub permanent: bool,
    pub message: String,
}

impl Mailer {
    pub fn new(smtp_url: &str, from: &str) -> Result<Mailer, String> {
        let transport = SmtpTransport::from_url(smtp_url)
            .map_err(|e| format!("SAS_SMTP_URL: {e}"))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let from: Mailbox = from.parse().map_err(|e| format!("SAS_MAIL_FROM: {e}"))?;
        Ok(Mailer { transport, from })
    }

    /// Sends `mail` to `to`; `message_id` (the outbox row's id) lets receivers drop a copy.
    pub fn send(&self, to: &str, message_id: &str, mail: &Rendered) -> Result<(), SendError> {
        let to: Mailbox = to.parse().map_err(|e| SendError {
            permanent: true,
            message: format!("invalid recipient address: {e}"),
        })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(format!("<{message_id}@sas>")))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(mail.text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(mail.html.clone()),
                    ),
            )
            .map_err(|e| SendError {
                permanent: true,
                message: format!("message: {e}"),
            })?;
        self.transport
            .send(&message)
            .map(|_| ())
            .map_err(|e| SendError {
                permanent: e.is_permanent(),
                message: format!("smtp: {e}"),
            })
    }
}
