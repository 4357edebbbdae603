-- 014_update_settle.sql — an update whose answer was lost is sent again
-- once it has settled.
--
-- A price, stock or content update that timed out, or whose connection
-- closed before the answer, may still be applied by the marketplace later,
-- after a retry has sent a newer value: the older one would then stand.
-- settle_until is when such a late application can no longer come
-- (create_settle after the attempt, the same window a create of unknown
-- outcome waits). A job that succeeds before then runs once more at that
-- moment, sending what the listing should show then (ocop_record_outcome in
-- sql/logic/outbox.sql).

ALTER TABLE outbox ADD COLUMN settle_until timestamptz;
