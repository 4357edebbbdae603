-- webhook.sql — marketplace pushes (daemon/webhook.c): deduplicated under
-- their key and only a reason to read the order again (orders.sql).

-- A verified webhook: remembered under its key (a replay inserts nothing and
-- changes nothing), and the order it names queued to be read again from the
-- marketplace, which stays the source of truth. Returns 'new' or 'duplicate'.
CREATE OR REPLACE FUNCTION ocop_webhook_receive(p_provider text, p_key text, p_shop bigint, p_order text)
RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_inbox (provider, event_key, shop_id) VALUES (p_provider, p_key, p_shop)
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN 'duplicate';
  END IF;
  IF p_shop IS NOT NULL AND coalesce(p_order, '') <> '' THEN
    INSERT INTO order_fetch AS x (shop_id, mp_order_id) VALUES (p_shop, p_order)
    ON CONFLICT (shop_id, mp_order_id) DO UPDATE SET not_before = least(x.not_before, now())
     WHERE x.state = 'pending';
    PERFORM pg_notify('ocop_outbox', 'orders:' || p_shop);
  END IF;
  RETURN 'new';
END $$;

-- Dedupe keys outlive every marketplace's redelivery window (Lazada retries
-- for about 6 hours; pushes older than the daemon's webhook_max_age are
-- refused anyway), so a week is enough.
CREATE OR REPLACE FUNCTION ocop_webhook_purge() RETURNS integer
LANGUAGE sql AS $$
  WITH d AS (DELETE FROM webhook_inbox WHERE received_at < now() - interval '7 days' RETURNING 1)
  SELECT count(*)::integer FROM d
$$;
