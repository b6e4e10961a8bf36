ALTER TABLE admin_audit DROP CONSTRAINT admin_audit_target_type_check;
ALTER TABLE admin_audit ADD CONSTRAINT admin_audit_target_type_check
  CHECK (target_type IN ('user', 'api_client', 'territory', 'structure', 'import'));
DROP INDEX IF EXISTS referrals_updated;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE password_tokens;
DROP TABLE notifications;
DROP TABLE mails;
ALTER TABLE users DROP COLUMN email_preference;
DROP TABLE jobs;
DROP TABLE job_schedules;
