-- admin.sql — what ocopd's admin endpoint reads (daemon/admin.c): the
-- gauges of /metrics in one query per scrape, and the whole of /status in
-- one JSON document. Both only read, and neither returns a token, a key or
-- an option value: the endpoint shows names, counts, dates and reasons.

-- Every gauge /metrics reads from the database, one row per series. A
-- column left NULL is a label the metric does not have; daemon/metrics.c
-- turns the others into labels named after their columns.
CREATE OR REPLACE FUNCTION ocop_admin_gauges()
RETURNS TABLE (metric text, shop text, marketplace text, kind text, state text, problem text,
               tier text, value bigint)
LANGUAGE sql STABLE AS $$
  SELECT 'jobs', s.name, s.marketplace, o.kind, o.state, NULL, NULL, count(*)
    FROM outbox o
    JOIN listing l ON l.id = o.listing_id
    JOIN shop s ON s.id = l.shop_id
   GROUP BY s.name, s.marketplace, o.kind, o.state
  UNION ALL
  SELECT 'listings', s.name, s.marketplace, NULL, l.state, coalesce(l.problem_kind, 'none'),
         NULL, count(*)
    FROM listing l
    JOIN shop s ON s.id = l.shop_id
   GROUP BY s.name, s.marketplace, l.state, l.problem_kind
  UNION ALL
  SELECT 'certificates', NULL, NULL, NULL, e.state, NULL, NULL, count(*)
    FROM product_eligibility e
   GROUP BY e.state
  UNION ALL
  SELECT 'expiry_warnings', NULL, NULL, NULL, NULL, NULL, coalesce(ev.detail ->> 'tier', '?'),
         count(*)
    FROM event ev
   WHERE ev.kind = 'expiry_warning'
   GROUP BY ev.detail ->> 'tier'
  UNION ALL
  SELECT 'shops', NULL, s.marketplace, NULL, s.status, NULL, NULL, count(*)
    FROM shop s
   GROUP BY s.marketplace, s.status
  UNION ALL
  SELECT 'token_expiry', s.name, s.marketplace, NULL, NULL, NULL, NULL,
         extract(epoch FROM t.access_expires_at)::bigint
    FROM shop s
    JOIN token t ON t.shop_id = s.id
   WHERE t.access_expires_at IS NOT NULL
  ORDER BY 1, 2, 3, 4, 5, 6, 7
$$;

-- A timestamp as the OCOP day reads it: Asia/Ho_Chi_Minh, to the minute.
CREATE OR REPLACE FUNCTION ocop_admin_time(p_at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(p_at AT TIME ZONE INTERVAL '+07:00', 'YYYY-MM-DD HH24:MI')
$$;

-- The status page's content (p_limit rows per table at most, each table
-- with its full count): shops with their listings by state, held listings
-- and dead jobs with their reasons, certificates whose validity ends within
-- 60 days of the OCOP date, today's orders, and each shop's token expiry.
CREATE OR REPLACE FUNCTION ocop_admin_status(p_limit integer)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
  WITH today AS (SELECT ocop_today() AS d),
  shops AS (
    SELECT s.id, s.name, s.marketplace, s.status, t.access_expires_at, t.refresh_expires_at,
           (t.shop_id IS NOT NULL) AS has_token
      FROM shop s LEFT JOIN token t ON t.shop_id = s.id
  ),
  listing_counts AS (
    SELECT l.shop_id,
           count(*) FILTER (WHERE l.state = 'new') AS n_new,
           count(*) FILTER (WHERE l.state = 'listed') AS n_listed,
           count(*) FILTER (WHERE l.state = 'delisted') AS n_delisted,
           count(*) FILTER (WHERE l.problem IS NOT NULL) AS n_problems
      FROM listing l GROUP BY l.shop_id
  ),
  dead_counts AS (
    SELECT l.shop_id, count(*) AS n
      FROM outbox o JOIN listing l ON l.id = o.listing_id
     WHERE o.state = 'dead' GROUP BY l.shop_id
  ),
  orders_today AS (
    SELECT o.shop_id, count(*) AS n, coalesce(sum(o.total_vnd), 0) AS vnd
      FROM "order" o, today
     WHERE ocop_date_at(o.created_at) = today.d
     GROUP BY o.shop_id
  ),
  problems AS (
    SELECT s.name AS shop, p.code, p.name_vi AS name, l.problem_kind AS kind, l.problem,
           ocop_admin_time(l.problem_at) AS since
      FROM listing l JOIN shop s ON s.id = l.shop_id JOIN product p ON p.id = l.product_id
     WHERE l.problem IS NOT NULL
  ),
  dead AS (
    SELECT o.id, s.name AS shop, p.code, o.kind, o.attempts,
           coalesce(o.last_error, '') AS error, ocop_admin_time(o.updated_at) AS at,
           o.updated_at
      FROM outbox o JOIN listing l ON l.id = o.listing_id
      JOIN shop s ON s.id = l.shop_id JOIN product p ON p.id = l.product_id
     WHERE o.state = 'dead'
  ),
  expiring AS (
    SELECT p.code, p.name_vi AS name, pr.name AS producer, e.decision_no, e.valid_until,
           e.days_left, e.state
      FROM product_eligibility e
      JOIN product p ON p.id = e.product_id JOIN producer pr ON pr.id = p.producer_id
     WHERE e.eligible AND e.days_left BETWEEN 0 AND 60
  )
  SELECT jsonb_build_object(
    'today', (SELECT d FROM today),
    'generated_at', ocop_admin_time(now()),
    'limit', p_limit,
    'shops', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'name', s.name, 'marketplace', s.marketplace, 'status', s.status,
               'new', coalesce(c.n_new, 0), 'listed', coalesce(c.n_listed, 0),
               'delisted', coalesce(c.n_delisted, 0), 'problems', coalesce(c.n_problems, 0),
               'dead', coalesce(d.n, 0), 'orders_today', coalesce(o.n, 0),
               'orders_today_vnd', coalesce(o.vnd, 0), 'has_token', s.has_token,
               'token_expires', ocop_admin_time(s.access_expires_at),
               'token_hours_left',
               floor(extract(epoch FROM s.access_expires_at - now()) / 3600)::bigint,
               'refresh_expires', ocop_admin_time(s.refresh_expires_at))
             ORDER BY s.name)
        FROM (SELECT * FROM shops ORDER BY name LIMIT p_limit) s
        LEFT JOIN listing_counts c ON c.shop_id = s.id
        LEFT JOIN dead_counts d ON d.shop_id = s.id
        LEFT JOIN orders_today o ON o.shop_id = s.id), '[]'::jsonb),
    'shops_total', (SELECT count(*) FROM shops),
    'problems', coalesce((
      SELECT jsonb_agg(to_jsonb(x) ORDER BY x.shop, x.code)
        FROM (SELECT * FROM problems ORDER BY shop, code LIMIT p_limit) x), '[]'::jsonb),
    'problems_total', (SELECT count(*) FROM problems),
    'dead', coalesce((
      SELECT jsonb_agg(jsonb_build_object('id', x.id, 'shop', x.shop, 'code', x.code,
                                          'kind', x.kind, 'attempts', x.attempts,
                                          'error', x.error, 'at', x.at)
                       ORDER BY x.updated_at DESC, x.id DESC)
        FROM (SELECT * FROM dead ORDER BY updated_at DESC, id DESC LIMIT p_limit) x),
      '[]'::jsonb),
    'dead_total', (SELECT count(*) FROM dead),
    'expiring', coalesce((
      SELECT jsonb_agg(to_jsonb(x) ORDER BY x.days_left, x.code)
        FROM (SELECT * FROM expiring ORDER BY days_left, code LIMIT p_limit) x), '[]'::jsonb),
    'expiring_total', (SELECT count(*) FROM expiring),
    'orders_total', (SELECT coalesce(sum(n), 0) FROM orders_today),
    'orders_vnd', (SELECT coalesce(sum(vnd), 0) FROM orders_today))
$$;
