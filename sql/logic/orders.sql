-- orders.sql — orders from every channel, and what they do to stock.
--
-- Connectors turn each marketplace's answers into one canonical JSON
-- document (connectors/connector.h, "Orders (ABI 3)"); PostMart order files
-- are read into the same shape (daemon/order_csv.c). ocop_ingest_orders()
-- writes a batch of such orders, their ledger rows and the shop's polling
-- cursor in one transaction, so a crash anywhere leaves either all of it or
-- none of it, and ingesting the same answer twice changes nothing.
--
-- Stock effects. An order moves through none -> reserved -> sold -> released
-- (released = cancelled or returned), never back:
--   reserved  stock_level.reserved += qty        (unpaid: held, not sold)
--   sold      ledger 'sale' -qty                 (reservation, if any, freed)
--   released  ledger 'cancel'/'return' +qty      (only what a sale took)
-- Ledger rows carry ref 'order:<order id>:<variant id>' under a unique
-- (reason, ref) index, so each line is sold once and restocked once however
-- often, and in whatever order, its updates arrive. The reserved column is
-- thus derivable: the sum over orders in state 'reserved' of their lines.

-- The ledger reference of an order's lines for one variant (stock is per
-- variant: a sale of one pack size moves that pack size alone).
CREATE OR REPLACE FUNCTION ocop_order_ref(p_order bigint, p_variant bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT 'order:' || p_order || ':' || p_variant $$;

-- Why a canonical order is unusable, or NULL when it is fine. The connector
-- already checked it; this keeps a wrong connector from writing nonsense.
CREATE OR REPLACE FUNCTION ocop_order_problem(o jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  l jsonb;
BEGIN
  IF jsonb_typeof(o -> 'id') <> 'string' OR length(o ->> 'id') NOT BETWEEN 1 AND 64 THEN
    RETURN 'order id missing or longer than 64 bytes';
  ELSIF jsonb_typeof(o -> 'status') <> 'string' OR length(o ->> 'status') NOT BETWEEN 1 AND 64 THEN
    RETURN 'status missing';
  ELSIF coalesce(o ->> 'effect', '') NOT IN ('reserved', 'sold', 'cancelled', 'returned') THEN
    RETURN 'effect must be reserved, sold, cancelled or returned';
  ELSIF jsonb_typeof(o -> 'update_time') <> 'number' OR (o ->> 'update_time')::numeric <= 0 THEN
    RETURN 'update_time missing';
  ELSIF jsonb_typeof(o -> 'lines') <> 'array' OR jsonb_array_length(o -> 'lines') = 0 THEN
    RETURN 'no lines';
  END IF;
  FOR l IN SELECT * FROM jsonb_array_elements(o -> 'lines') LOOP
    IF jsonb_typeof(l -> 'sku') <> 'string' OR length(l ->> 'sku') NOT BETWEEN 1 AND 64 THEN
      RETURN 'line without a SKU';
    ELSIF jsonb_typeof(l -> 'qty') <> 'number' OR (l ->> 'qty')::numeric NOT BETWEEN 1 AND 1000000
          OR (l ->> 'qty')::numeric <> trunc((l ->> 'qty')::numeric) THEN
      RETURN 'line ' || (l ->> 'sku') || ': quantity must be a whole number from 1';
    END IF;
  END LOOP;
  RETURN NULL;
END $$;

-- The stock effect an order's canonical effect asks for.
CREATE OR REPLACE FUNCTION ocop_order_target(p_effect text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_effect IN ('cancelled', 'returned') THEN 'released' ELSE p_effect END
$$;

-- The effect an order has after a move from p_from towards p_to: a move
-- backwards (sold -> reserved, released -> anything) changes nothing.
CREATE OR REPLACE FUNCTION ocop_order_effect(p_from text, p_to text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_from = 'released' OR (p_from = 'sold' AND p_to = 'reserved') THEN p_from
              ELSE p_to END
$$;

-- A round's orders (checked by ocop_order_problem), one row each, in batch
-- order. One SELECT: the planner writes it into each statement that reads it.
CREATE OR REPLACE FUNCTION ocop_order_rows(p_orders jsonb[])
RETURNS TABLE (pos bigint, mp_order_id text, status text, effect text, ts timestamptz,
               total_vnd bigint, lines jsonb)
LANGUAGE sql IMMUTABLE AS $$
  SELECT x.n, x.o ->> 'id', x.o ->> 'status', x.o ->> 'effect',
         to_timestamp((x.o ->> 'update_time')::bigint), (x.o ->> 'total_vnd')::bigint, x.o -> 'lines'
    FROM unnest(p_orders) WITH ORDINALITY AS x (o, n)
$$;

-- The stock moves of a round, one row per order and variant: the order's
-- quantity of the variant, where it moves from and to, and its place in
-- the batch. One SELECT, written into each statement of ocop_order_stock.
CREATE OR REPLACE FUNCTION ocop_order_moves(p_order bigint[], p_from text[], p_to text[],
                                            p_reason text[])
RETURNS TABLE (pos bigint, order_id bigint, from_effect text, to_effect text, reason text,
               variant_id bigint, product_id bigint, qty bigint)
LANGUAGE sql STABLE AS $$
  SELECT m.n, m.o, m.f, m.t, m.r, l.variant_id, min(l.product_id), sum(l.quantity)::bigint
    FROM unnest(p_order, p_from, p_to, p_reason) WITH ORDINALITY AS m (o, f, t, r, n)
    JOIN order_line l ON l.order_id = m.o AND l.variant_id IS NOT NULL
   GROUP BY m.n, m.o, m.f, m.t, m.r, l.variant_id
$$;

-- Applies a round's stock moves (arrays in batch order, one order at most
-- once): each variant's reservations in one upsert, every sale and restock
-- in one ledger insert (so stock_level and the listings move once), then
-- the oversells. An oversell is judged as if the orders had been applied
-- one by one in batch order: an order is named when the stock was gone
-- after its own move, whatever later orders of the batch did.
CREATE OR REPLACE FUNCTION ocop_order_stock(p_shop bigint, p_order bigint[], p_from text[],
                                            p_to text[], p_reason text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  -- Every stock level the batch moves is locked first, in variant order:
  -- the statements below take them in other orders (a join's, each
  -- upsert's), and two ingests of overlapping variants (a restarted
  -- daemon's and what its killed one left running, or two daemons) would
  -- otherwise deadlock.
  PERFORM 1 FROM stock_level s
   WHERE s.variant_id IN (SELECT m.variant_id
                            FROM ocop_order_moves(p_order, p_from, p_to, p_reason) m)
   ORDER BY s.variant_id
     FOR NO KEY UPDATE;
  -- Reservations freed, then taken (an insert's row is checked before it
  -- meets the stored one, so a net decrease cannot be an upsert).
  UPDATE stock_level s SET reserved = s.reserved - f.qty
    FROM (SELECT m.variant_id, sum(m.qty) AS qty
            FROM ocop_order_moves(p_order, p_from, p_to, p_reason) m
           WHERE m.from_effect = 'reserved' GROUP BY m.variant_id) f
   WHERE s.variant_id = f.variant_id;
  INSERT INTO stock_level AS s (variant_id, product_id, reserved)
  SELECT m.variant_id, min(m.product_id), sum(m.qty)
    FROM ocop_order_moves(p_order, p_from, p_to, p_reason) m
   WHERE m.to_effect = 'reserved'
   GROUP BY m.variant_id
   ORDER BY m.variant_id
  ON CONFLICT (variant_id) DO UPDATE SET reserved = s.reserved + EXCLUDED.reserved;

  -- A release puts back exactly what the sale took, once.
  WITH put AS (
    INSERT INTO stock_ledger (variant_id, product_id, delta, reason, ref)
    SELECT m.variant_id, m.product_id, -m.qty, 'sale', ocop_order_ref(m.order_id, m.variant_id)
      FROM ocop_order_moves(p_order, p_from, p_to, p_reason) m
     WHERE m.to_effect = 'sold'
    UNION ALL
    SELECT l.variant_id, l.product_id, -l.delta, m.reason, l.ref
      FROM ocop_order_moves(p_order, p_from, p_to, p_reason) m
      JOIN stock_ledger l ON l.reason = 'sale' AND l.ref = ocop_order_ref(m.order_id, m.variant_id)
     WHERE m.from_effect = 'sold' AND m.to_effect = 'released'
       AND NOT EXISTS (SELECT 1 FROM stock_ledger x WHERE x.reason IN ('cancel', 'return')
                          AND x.ref = l.ref)
    ON CONFLICT (reason, ref) WHERE ref IS NOT NULL DO NOTHING
    RETURNING reason, ref)
  INSERT INTO event (kind, shop_id, action, reason, detail, dedupe_key)
  SELECT 'order_restock', p_shop, r.reason,
         CASE r.reason WHEN 'return' THEN 'order returned' ELSE 'order cancelled' END
           || ': stock put back',
         jsonb_build_object('order', o.mp_order_id, 'status', o.status), 'order:' || o.id
    FROM (SELECT DISTINCT p.reason, split_part(p.ref, ':', 2)::bigint AS order_id
            FROM put p WHERE p.reason IN ('cancel', 'return')) r
    JOIN "order" o ON o.id = r.order_id
   ORDER BY o.id
  ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;

  -- The stock as each order left it: today's, less what later orders of
  -- the round moved.
  INSERT INTO event (kind, product_id, shop_id, action, reason, detail, dedupe_key)
  SELECT 'oversell', a.product_id, p_shop, 'order', 'more sold or reserved than on hand',
         jsonb_build_object('order', o.mp_order_id, 'sku', v.sku, 'on_hand', a.on_hand,
                            'reserved', a.reserved),
         ocop_order_ref(a.order_id, a.variant_id)
    FROM (SELECT m.pos, m.order_id, m.variant_id, m.to_effect, sl.product_id,
                 sl.on_hand - coalesce(sum(m.d_hand) OVER later, 0) AS on_hand,
                 sl.reserved - coalesce(sum(m.d_reserved) OVER later, 0) AS reserved
            FROM (SELECT mv.*,
                         CASE WHEN mv.to_effect = 'sold' THEN -mv.qty
                              WHEN mv.from_effect = 'sold' THEN mv.qty ELSE 0 END AS d_hand,
                         CASE WHEN mv.to_effect = 'reserved' THEN mv.qty
                              WHEN mv.from_effect = 'reserved' THEN -mv.qty ELSE 0 END AS d_reserved
                    FROM ocop_order_moves(p_order, p_from, p_to, p_reason) mv) m
            JOIN stock_level sl ON sl.variant_id = m.variant_id
          WINDOW later AS (PARTITION BY m.variant_id ORDER BY m.pos
                           ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)) a
    JOIN variant v ON v.id = a.variant_id
    JOIN "order" o ON o.id = a.order_id
   WHERE a.to_effect IN ('reserved', 'sold') AND a.on_hand - a.reserved < 0
   ORDER BY a.pos, a.variant_id
  ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;
END $$;

-- Writes the lines of orders just inserted (p_ids, in the order of
-- p_orders); each line maps to a variant by its seller SKU (a withdrawn
-- variant still counts: its stock moves). An unknown SKU is kept, flagged
-- and recorded, never dropped.
CREATE OR REPLACE FUNCTION ocop_order_lines(p_shop bigint, p_ids bigint[], p_orders jsonb[])
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  WITH added AS (
    INSERT INTO order_line (order_id, line_no, sku, variant_id, product_id, quantity, unit_price)
    SELECT i.id, l.n, l.v ->> 'sku', v.id, v.product_id, (l.v ->> 'qty')::integer,
           (l.v ->> 'unit_price_vnd')::bigint
      FROM unnest(p_ids, p_orders) AS i (id, o)
     CROSS JOIN LATERAL jsonb_array_elements(i.o -> 'lines') WITH ORDINALITY AS l (v, n)
      LEFT JOIN variant v ON v.sku = l.v ->> 'sku'
    RETURNING order_id, line_no, sku, product_id),
  unknown AS (
    SELECT a.order_id, array_agg(a.sku ORDER BY a.line_no) AS skus
      FROM added a WHERE a.product_id IS NULL GROUP BY a.order_id),
  flagged AS (
    UPDATE "order" o SET flags = array_append(o.flags, 'unknown_sku')
      FROM unknown u WHERE o.id = u.order_id)
  INSERT INTO event (kind, shop_id, action, reason, detail, dedupe_key)
  SELECT 'order_unknown_sku', p_shop, 'flag', 'order names SKUs not in the catalogue',
         jsonb_build_object('order', o.mp_order_id, 'skus', to_jsonb(u.skus)), 'order:' || u.order_id
    FROM unknown u JOIN "order" o ON o.id = u.order_id
   ORDER BY u.order_id
  ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;
END $$;

-- Ingests one round of a batch: orders whose ids are all different.
-- A new order is inserted with the effect its first move gives; a stored
-- one is updated when this is newer than what is stored (a status only
-- moves forward by the marketplace's update time), and is otherwise
-- unchanged. Locks are taken in order of the marketplace's id, so two
-- sessions ingesting overlapping batches wait rather than deadlock.
CREATE OR REPLACE FUNCTION ocop_order_round(p_shop bigint, p_orders jsonb[],
                                            OUT new_orders integer, OUT updated integer)
LANGUAGE plpgsql AS $$
DECLARE
  fresh bigint[];
  fresh_pos bigint[];
  fresh_orders jsonb[];
  stored text[];
  m_order bigint[];
  m_from text[];
  m_to text[];
  m_reason text[];
BEGIN
  WITH added AS (
    INSERT INTO "order" (shop_id, mp_order_id, status, mp_update_time, total_vnd, stock_effect)
    SELECT p_shop, b.mp_order_id, b.status, b.ts, b.total_vnd, ocop_order_target(b.effect)
      FROM ocop_order_rows(p_orders) b
     ORDER BY b.mp_order_id
    ON CONFLICT (shop_id, mp_order_id) DO NOTHING
    RETURNING id, mp_order_id)
  SELECT coalesce(array_agg(a.id ORDER BY b.pos), '{}'), coalesce(array_agg(b.pos ORDER BY b.pos), '{}'),
         coalesce(array_agg(p_orders[b.pos] ORDER BY b.pos), '{}')
    INTO fresh, fresh_pos, fresh_orders
    FROM added a JOIN ocop_order_rows(p_orders) b ON b.mp_order_id = a.mp_order_id;
  new_orders := cardinality(fresh);
  PERFORM ocop_order_lines(p_shop, fresh, fresh_orders);

  -- Stored orders (another session may have inserted one meanwhile: the
  -- insert above waited for it and skipped it). A poll of new orders has none.
  stored := ARRAY(SELECT b.mp_order_id FROM ocop_order_rows(p_orders) b WHERE b.pos <> ALL (fresh_pos));
  IF cardinality(stored) > 0 THEN
    PERFORM 1 FROM "order" o
     WHERE o.shop_id = p_shop AND o.mp_order_id = ANY (stored)
     ORDER BY o.mp_order_id
       FOR UPDATE;
  END IF;
  WITH moved AS (
    UPDATE "order" o
       SET status = b.status, mp_update_time = b.ts, total_vnd = coalesce(b.total_vnd, c.total_vnd),
           updated_at = now(),
           stock_effect = ocop_order_effect(c.stock_effect, ocop_order_target(b.effect))
      FROM ocop_order_rows(p_orders) b, "order" c
     WHERE c.shop_id = p_shop AND c.mp_order_id = ANY (stored) AND c.mp_order_id = b.mp_order_id
       AND c.mp_update_time < b.ts AND o.id = c.id
    RETURNING o.id, b.pos, c.stock_effect AS was, o.stock_effect AS now, b.effect),
  moves AS (
    SELECT m.id, m.pos, m.was, m.now, m.effect FROM moved m WHERE m.was <> m.now
    UNION ALL
    SELECT f.id, f.pos, 'none', ocop_order_target(p_orders[f.pos] ->> 'effect'),
           p_orders[f.pos] ->> 'effect'
      FROM unnest(fresh, fresh_pos) AS f (id, pos))
  SELECT (SELECT count(*) FROM moved)::integer,
         coalesce(array_agg(m.id ORDER BY m.pos), '{}'), coalesce(array_agg(m.was ORDER BY m.pos), '{}'),
         coalesce(array_agg(m.now ORDER BY m.pos), '{}'),
         coalesce(array_agg(CASE m.effect WHEN 'returned' THEN 'return' ELSE 'cancel' END
                            ORDER BY m.pos), '{}')
    INTO updated, m_order, m_from, m_to, m_reason
    FROM moves m;
  PERFORM ocop_order_stock(p_shop, m_order, m_from, m_to, m_reason);
END $$;

-- An order that could not be read: try again later, or give up and say why.
CREATE OR REPLACE FUNCTION ocop_order_failed(p_shop bigint, p_order text, p_error text,
                                  p_max_attempts integer) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  f order_fetch%ROWTYPE;
BEGIN
  INSERT INTO order_fetch AS x (shop_id, mp_order_id, attempts, last_error, not_before)
  VALUES (p_shop, left(p_order, 64), 1, left(p_error, 500), now() + interval '2 seconds')
  ON CONFLICT (shop_id, mp_order_id) DO UPDATE
     SET attempts = x.attempts + 1, last_error = EXCLUDED.last_error,
         not_before = now() + least(interval '5 minutes',
                                    interval '2 seconds' * power(2, least(x.attempts, 10)))
   WHERE x.state = 'pending'
  RETURNING * INTO f;
  IF f.attempts >= p_max_attempts THEN
    UPDATE order_fetch SET state = 'dead' WHERE shop_id = p_shop AND mp_order_id = f.mp_order_id;
    INSERT INTO event (kind, shop_id, action, reason, detail, dedupe_key)
    VALUES ('order_dead', p_shop, 'dead_letter', p_error,
            jsonb_build_object('order', f.mp_order_id, 'attempts', f.attempts),
            p_shop || ':' || f.mp_order_id)
    ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;
    RETURN 'dead';
  END IF;
  RETURN 'retry';
END $$;

-- Ingests a batch in one transaction: the orders, their ledger rows, the
-- failures, and (when p_cursor is given) the shop's polling cursor, which
-- therefore never runs ahead of the orders it covers. p_asked lists the ids
-- a GET_ORDERS asked for; one the answer left out counts as a failure.
--
-- The orders are written set-based, a round at a time: a batch may hold two
-- updates of one order (a page of a poll, then a push), and the second must
-- see the first, so round k holds each order's k-th update. Nearly every
-- batch is one round.
CREATE OR REPLACE FUNCTION ocop_ingest_orders(p_shop bigint, p_doc jsonb, p_asked text[],
                                   p_cursor timestamptz, p_max_attempts integer)
RETURNS TABLE (new_orders integer, updated integer, unchanged integer, failed integer,
               dead integer)
LANGUAGE plpgsql AS $$
DECLARE
  o jsonb;
  bad jsonb;
  good jsonb[];
  turns integer[];
  seen text[];
  turn_orders jsonb[];
  r record;
BEGIN
  new_orders := 0; updated := 0; unchanged := 0; failed := 0; dead := 0;
  PERFORM ocop_sync_defer(); -- the stock the orders move is synced once, below
  SELECT coalesce(p_doc -> 'bad', '[]')
           || coalesce(jsonb_agg(jsonb_build_object('id', coalesce(e.o ->> 'id', '?'), 'error', e.problem)
                                 ORDER BY e.n) FILTER (WHERE e.problem IS NOT NULL), '[]'),
         coalesce(array_agg(e.o ORDER BY e.n) FILTER (WHERE e.problem IS NULL), '{}'),
         coalesce(array_agg(e.turn ORDER BY e.n) FILTER (WHERE e.problem IS NULL), '{}')
    INTO bad, good, turns
    FROM (SELECT c.o, c.n, c.problem,
                 row_number() OVER (PARTITION BY c.problem IS NULL, c.o ->> 'id' ORDER BY c.n) AS turn
            FROM (SELECT x.o, x.n, ocop_order_problem(x.o) AS problem
                    FROM jsonb_array_elements(coalesce(p_doc -> 'orders', '[]')) WITH ORDINALITY AS x (o, n)) c) e;
  seen := ARRAY(SELECT g ->> 'id' FROM unnest(good) g);
  FOR i IN 1 .. coalesce((SELECT max(t) FROM unnest(turns) t), 0) LOOP
    turn_orders := ARRAY(SELECT g.o FROM unnest(good, turns) WITH ORDINALITY AS g (o, turn, n)
                          WHERE g.turn = i ORDER BY g.n);
    SELECT * INTO r FROM ocop_order_round(p_shop, turn_orders);
    new_orders := new_orders + r.new_orders;
    updated := updated + r.updated;
    unchanged := unchanged + cardinality(turn_orders) - r.new_orders - r.updated;
  END LOOP;
  PERFORM ocop_sync_deferred();
  IF cardinality(seen) > 0 THEN
    DELETE FROM order_fetch WHERE shop_id = p_shop AND mp_order_id = ANY (seen);
  END IF;
  FOR o IN SELECT * FROM jsonb_array_elements(bad)
           UNION ALL
           SELECT jsonb_build_object('id', a, 'error', 'not in the marketplace''s answer')
             FROM unnest(p_asked) a
            WHERE NOT a = ANY (seen)
              AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(bad) b WHERE b ->> 'id' = a) LOOP
    CONTINUE WHEN coalesce(o ->> 'id', '') = '';
    failed := failed + 1;
    IF ocop_order_failed(p_shop, o ->> 'id', coalesce(o ->> 'error', 'unreadable'),
                         p_max_attempts) = 'dead' THEN
      dead := dead + 1;
    END IF;
  END LOOP;
  IF p_cursor IS NOT NULL THEN
    INSERT INTO order_cursor AS c (shop_id, polled_to) VALUES (p_shop, p_cursor)
    ON CONFLICT (shop_id) DO UPDATE SET polled_to = greatest(c.polled_to, EXCLUDED.polled_to),
                                        updated_at = now();
  END IF;
  RETURN NEXT;
END $$;

-- The shops whose orders the daemon reads, with what a call needs, the
-- cursor, and how many re-reads are due.
CREATE OR REPLACE FUNCTION ocop_order_shops()
RETURNS TABLE (shop_id bigint, shop_name text, marketplace text, mp_shop_id text, base_url text,
               app_key text, options text, access_token text, token_ttl_s integer,
               polled_to bigint, due_fetches integer)
LANGUAGE sql STABLE AS $$
  SELECT s.id, s.name, s.marketplace, s.mp_shop_id, s.base_url, s.app_key, s.options::text,
         tk.access_token, extract(epoch FROM tk.access_expires_at - now())::integer,
         extract(epoch FROM c.polled_to)::bigint,
         (SELECT count(*) FROM order_fetch f
           WHERE f.shop_id = s.id AND f.state = 'pending' AND f.not_before <= now())::integer
    FROM shop s
    LEFT JOIN token tk ON tk.shop_id = s.id
    LEFT JOIN order_cursor c ON c.shop_id = s.id
   WHERE s.status IN ('active', 'removing')
   ORDER BY s.id
$$;

-- Up to p_limit order ids of a shop due to be read again.
CREATE OR REPLACE FUNCTION ocop_order_fetches(p_shop bigint, p_limit integer) RETURNS SETOF text
LANGUAGE sql STABLE AS $$
  SELECT mp_order_id FROM order_fetch
   WHERE shop_id = p_shop AND state = 'pending' AND not_before <= now()
   ORDER BY not_before, mp_order_id
   LIMIT p_limit
$$;
