-- The consent history and the notes cannot be folded back without loss: this migration is
-- not reversible.
SELECT 1/0 AS referral_core_is_not_reversible;
