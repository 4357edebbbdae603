-- 011_operate.sql — the operator's shop states (docs/operate.md).
--
-- 'removing': `ocopctl shop remove` has begun withdrawing the shop's
-- listings; it carries nothing (sql/logic/assortment.sql), so its only jobs
-- are withdrawals, which ocopd still sends.
-- 'removed': nothing of it is live any more; the row stays because the audit
-- trail, orders and the stock ledger name it. Its token is erased.
ALTER TABLE shop DROP CONSTRAINT shop_status_check,
  ADD CONSTRAINT shop_status_check
    CHECK (status IN ('active', 'paused', 'needs_reauth', 'removing', 'removed'));
