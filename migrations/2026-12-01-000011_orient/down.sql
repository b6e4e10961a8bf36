-- Attempts, versions and history cannot be folded back without loss: not reversible.
SELECT 1/0 AS orient_is_not_reversible;
