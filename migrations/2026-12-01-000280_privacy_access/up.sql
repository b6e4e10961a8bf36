-- Privacy (issue 15): administrators' reads of a referral and exports of a youth's data are
-- recorded in the admin audit, with their reason. The constraint is dropped and recreated
-- with the whole list, so this migration and the erasure's (which adds 'youth' too) can run
-- in either order.
ALTER TABLE admin_audit DROP CONSTRAINT IF EXISTS admin_audit_target_type_check;
ALTER TABLE admin_audit ADD CONSTRAINT admin_audit_target_type_check
  CHECK (target_type IN ('user', 'api_client', 'territory', 'structure', 'import', 'job',
                         'youth', 'referral'));

-- The export lists every access to a youth's data, oldest first: access_logs_youth
-- (youth_id, occurred_at) already serves it.
