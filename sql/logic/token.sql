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
                   refreshing_until = NULL, updated_at = now()
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
