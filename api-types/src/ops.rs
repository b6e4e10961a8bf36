//! Jobs, mail, notifications, password links and webhooks (issue 10).
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::code_enum;
use crate::page_type;

code_enum! {
    /// How a user is told of a notification by email.
    pub enum EmailPreference {
        /// One mail per notification, as it happens.
        Immediate = "immediate",
        /// One mail a day (in the morning) summing up the day's notifications.
        DailyDigest = "daily_digest",
    }
}

code_enum! {
    /// What became of a mail.
    pub enum MailStatus {
        /// Waiting in the outbox (or being retried).
        Pending = "pending",
        /// Accepted by the mail server.
        Sent = "sent",
        /// Refused for good by the mail server (permanent error).
        Bounced = "bounced",
        /// Not delivered after every retry.
        Failed = "failed",
    }
}

code_enum! {
    /// What a notification says (its French text is the SPA's and the mail's).
    pub enum NotificationKind {
        /// A referral the user sent was closed: the outcome is in the app.
        ReferralClosed = "referral_closed",
        /// The SAS team asks the prescriber's help to reach a young person (answer in the app).
        PrescriberRequest = "prescriber_request",
        /// A new relay request for the user's structure.
        RelayRequested = "relay_requested",
        /// A relay request of the user's structure still waits for an answer (10 and 20 days).
        RelayReminder = "relay_reminder",
        /// An off-platform relay (a structure without a SAS account) still waits for its
        /// answer (10 and 20 days): the counsellor records it, or cancels.
        OffPlatformReminder = "off_platform_reminder",
        /// A relay of a referral the user follows was refused.
        RelayRefused = "relay_refused",
        /// A relay of a referral the user follows expired without an answer.
        RelayExpired = "relay_expired",
        /// A relay of a referral the user follows failed (the young person dropped out…).
        RelayFailed = "relay_failed",
        /// A follow-up checkpoint of a relay is due.
        CheckpointDue = "checkpoint_due",
        /// A referral needs attention: its exit date is near and it is not in diagnosis yet,
        /// or it meets the unreachable rule.
        ReferralAlert = "referral_alert",
    }
}

code_enum! {
    /// State of a one-off job.
    pub enum JobStateCode {
        Queued = "queued",
        Running = "running",
        Done = "done",
        /// Failed every attempt (or for good): kept with its error until retried by hand.
        Parked = "parked",
    }
}

code_enum! {
    /// What became of a webhook delivery.
    pub enum DeliveryStatus {
        Pending = "pending",
        Delivered = "delivered",
        /// Not accepted after every retry.
        Failed = "failed",
    }
}

/// One notification of the caller (`GET /api/v1/me/notifications`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: Uuid,
    pub kind: NotificationKind,
    /// Where to look in the app (a path of the SPA, such as `/dossiers/{id}`).
    pub link: String,
    pub referral_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// The mail that carried it (immediately or in a digest); `null` while a digest is due.
    pub mail_status: Option<MailStatus>,
}

page_type!(
    NotificationPage,
    Notification,
    "A page of notifications, newest first."
);

/// The caller's notification settings (`GET`/`PUT /api/v1/me/notification-settings`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NotificationSettings {
    pub email: EmailPreference,
}

/// Body of `POST /api/v1/auth/password-reset`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[cfg_attr(feature = "full", schema(max_length = 254))]
    pub email: String,
}

/// Body of `POST /api/v1/auth/set-password`: the token of an invitation or reset link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordSet {
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 200))]
    pub token: String,
    #[cfg_attr(feature = "full", schema(min_length = 12, max_length = 256))]
    pub new_password: String,
}

/// Answer of `POST /api/v1/auth/password-reset`: the same whether the address exists or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Accepted {
    pub detail: String,
}

/// A periodic sweep and its last runs (`GET /api/v1/jobs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct JobSchedule {
    pub name: String,
    pub every_seconds: i32,
    pub next_run_at: DateTime<Utc>,
    pub last_started_at: Option<DateTime<Utc>>,
    pub last_finished_at: Option<DateTime<Utc>>,
    /// `ok` or `failed`; `null` before the first run.
    pub last_status: Option<String>,
    pub last_error: Option<String>,
    pub runs: i64,
    pub failures: i64,
}

/// How many one-off jobs of a kind are in each state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct JobQueue {
    pub kind: String,
    pub queued: i64,
    pub running: i64,
    pub parked: i64,
    pub done: i64,
}

/// A one-off job that failed (parked, or queued again after a failure).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct JobFailure {
    pub id: Uuid,
    pub kind: String,
    pub state: JobStateCode,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The jobs' state: schedules, queue lengths, the latest failures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct JobsOverview {
    pub schedules: Vec<JobSchedule>,
    pub queues: Vec<JobQueue>,
    /// The 50 most recent failures (parked first).
    pub failures: Vec<JobFailure>,
}

/// Body of `POST /api/v1/webhooks` (an API client subscribes for its structure).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WebhookCreate {
    /// Where to POST the events: `https://` (plain `http://` and private addresses only in dev).
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 2000))]
    pub url: String,
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(max_length = 200))]
    pub description: Option<String>,
}

/// A webhook subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Webhook {
    pub id: Uuid,
    pub structure_id: Uuid,
    pub url: String,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
    /// Deliveries not yet accepted (pending) and given up (failed).
    pub pending_deliveries: i64,
    pub failed_deliveries: i64,
    pub last_delivered_at: Option<DateTime<Utc>>,
}

page_type!(WebhookPage, Webhook, "A page of webhook subscriptions.");

/// A new subscription, with its signing secret: shown once, never again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct WebhookCreated {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// `whsec_` + base64 of the key (Standard Webhooks); keep it, it is not shown again.
    pub secret: String,
}
