-- 015_orders_set_based.sql — a batch of orders is written set-based
-- (ocop_ingest_orders in sql/logic/orders.sql), a round at a time, no
-- longer one order at a time: the per-order functions are gone.

DROP FUNCTION IF EXISTS ocop_order_ingest(bigint, jsonb);
DROP FUNCTION IF EXISTS ocop_order_insert(bigint, jsonb);
DROP FUNCTION IF EXISTS ocop_order_move(bigint, bigint, text, text, text);
DROP FUNCTION IF EXISTS ocop_order_check_oversell(bigint, bigint);
