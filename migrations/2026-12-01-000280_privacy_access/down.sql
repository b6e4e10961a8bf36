ALTER TABLE admin_audit DROP CONSTRAINT IF EXISTS admin_audit_target_type_check;
ALTER TABLE admin_audit ADD CONSTRAINT admin_audit_target_type_check
  CHECK (target_type IN ('user', 'api_client', 'territory', 'structure', 'import', 'job'));
