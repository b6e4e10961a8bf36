DROP TABLE admin_audit, login_attempts;
ALTER TABLE refresh_tokens DROP COLUMN session_started_at;
ALTER TABLE users DROP COLUMN password_change_required, DROP COLUMN session_version;
