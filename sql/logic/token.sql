-- token.sql — marketplace access tokens: one refresh per shop at a time,
-- across every daemon, and a shop that lost its authorisation stops.

-- Takes the right to refresh a shop's token: one refresh per shop at a time,
-- across every daemon (a second refresh with the same single-use refresh
-- token would fail and lose the shop). Returns the refresh token, or no row
-- when another worker holds the lease.
CREATE OR REPLACE FUNCTION ocop_token_begin_refresh(p_shop bigint, p_lease_s integer)
RETURNS TABLE (refresh_token text)
LANGUAGE sql AS $$
  UPDATE token t SET refreshing_until = now() + make_interval(secs => p_lease_s)
   WHERE t.shop_id = p_shop AND t.refresh_token <> ''
     AND (t.refreshing_until IS NULL OR t.refreshing_until < now())
     -- a paused shop waits for the seller, not for another refusal
     AND NOT EXISTS (SELECT 1 FROM shop s WHERE s.id = p_shop AND s.status = 'needs_reauth')
  RETURNING t.refresh_token
$$;

-- Stores a refreshed pair in one transaction: the new refresh token replaces
-- the old one only together with the access token it came with.
CREATE OR REPLACE FUNCTION ocop_token_store(p_shop bigint, p_access text, p_refresh text,
                                 p_access_expires_at timestamptz, p_refresh_expires_at timestamptz)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE token SET access_token = p_access,
                   refresh_token = coalesce(nullif(p_refresh, ''), refresh_token),
                   access_expires_at = p_access_expires_at,
                   refresh_expires_at = coalesce(p_refresh_expires_at, refresh_expires_at),
                   refreshing_until = NULL, refresh_refusals = 0, updated_at = now()
   WHERE shop_id = p_shop;
  INSERT INTO event (kind, shop_id, action, reason, detail)
  VALUES ('token', p_shop, 'refreshed', NULL,
          jsonb_build_object('access_expires_at', p_access_expires_at));
END $$;

-- The refresh token was refused: the seller must authorise again. The shop
-- stops (claims take active shops only), so nothing retries in a storm.
CREATE OR REPLACE FUNCTION ocop_shop_needs_reauth(p_shop bigint, p_reason text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  shop_name text;
BEGIN
  UPDATE shop SET status = 'needs_reauth', updated_at = now() WHERE id = p_shop
  RETURNING name INTO shop_name;
  UPDATE token SET refreshing_until = NULL WHERE shop_id = p_shop;
  INSERT INTO event (kind, shop_id, action, reason)
  VALUES ('token', p_shop, 'needs_reauth', p_reason);
  RETURN shop_name;
END $$;

-- A refresh that failed for a passing reason frees the lease at once.
CREATE OR REPLACE FUNCTION ocop_token_end_refresh(p_shop bigint) RETURNS void
LANGUAGE sql AS $$
  UPDATE token SET refreshing_until = NULL WHERE shop_id = p_shop
$$;

-- The marketplace refused a refresh. A single error answer may be its own
-- passing fault, so the shop stops only after p_max refusals in a row; until
-- then the lease is kept for a backoff (p_wait_s, doubling) so that no other
-- worker asks meanwhile. Returns that wait in seconds, or 0 when the shop
-- was paused.
CREATE OR REPLACE FUNCTION ocop_token_refused(p_shop bigint, p_reason text, p_max integer,
                                              p_wait_s integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  n integer;
  wait_s integer;
BEGIN
  UPDATE token SET refresh_refusals = refresh_refusals + 1 WHERE shop_id = p_shop
  RETURNING refresh_refusals INTO n;
  IF n IS NULL OR n >= p_max THEN
    UPDATE token SET refresh_refusals = 0 WHERE shop_id = p_shop;
    PERFORM ocop_shop_needs_reauth(p_shop, p_reason);
    RETURN 0;
  END IF;
  wait_s := p_wait_s * (1 << (n - 1));
  UPDATE token SET refreshing_until = now() + make_interval(secs => wait_s)
   WHERE shop_id = p_shop;
  INSERT INTO event (kind, shop_id, action, reason)
  VALUES ('token', p_shop, 'refresh_refused', p_reason);
  RETURN wait_s;
END $$;
