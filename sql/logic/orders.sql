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

-- Records an oversell: an order took stock that was not there (two channels
-- sold the last unit before either heard of the other).
CREATE OR REPLACE FUNCTION ocop_order_check_oversell(p_order bigint, p_shop bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event (kind, product_id, shop_id, action, reason, detail, dedupe_key)
  SELECT 'oversell', sl.product_id, p_shop, 'order', 'more sold or reserved than on hand',
         jsonb_build_object('order', o.mp_order_id, 'sku', v.sku, 'on_hand', sl.on_hand,
                            'reserved', sl.reserved),
         ocop_order_ref(p_order, sl.variant_id)
    FROM (SELECT DISTINCT variant_id FROM order_line
           WHERE order_id = p_order AND variant_id IS NOT NULL) ol
    JOIN stock_level sl ON sl.variant_id = ol.variant_id
    JOIN variant v ON v.id = sl.variant_id
    JOIN "order" o ON o.id = p_order
   WHERE sl.on_hand - sl.reserved < 0
  ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;
END $$;

-- Moves an order's stock effect from p_from to p_to (none, reserved, sold,
-- released); p_reason is 'cancel' or 'return' for a release. Returns the
-- effect the order now has: a move backwards (sold -> reserved, released ->
-- anything) changes nothing.
CREATE OR REPLACE FUNCTION ocop_order_move(p_order bigint, p_shop bigint, p_from text, p_to text,
                                p_reason text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  n integer;
  restocked integer := 0;
BEGIN
  IF p_from = p_to OR p_from = 'released' OR (p_from = 'sold' AND p_to = 'reserved') THEN
    RETURN p_from;
  END IF;
  FOR r IN SELECT variant_id, product_id, sum(quantity)::bigint AS qty FROM order_line
            WHERE order_id = p_order AND variant_id IS NOT NULL
            GROUP BY variant_id, product_id ORDER BY variant_id LOOP
    IF p_from = 'reserved' THEN
      UPDATE stock_level SET reserved = reserved - r.qty WHERE variant_id = r.variant_id;
    END IF;
    IF p_to = 'reserved' THEN
      INSERT INTO stock_level AS s (variant_id, product_id, reserved)
      VALUES (r.variant_id, r.product_id, r.qty)
      ON CONFLICT (variant_id) DO UPDATE SET reserved = s.reserved + EXCLUDED.reserved;
    ELSIF p_to = 'sold' THEN
      INSERT INTO stock_ledger (variant_id, product_id, delta, reason, ref)
      VALUES (r.variant_id, r.product_id, -r.qty, 'sale', ocop_order_ref(p_order, r.variant_id))
      ON CONFLICT (reason, ref) WHERE ref IS NOT NULL DO NOTHING;
    ELSIF p_to = 'released' AND p_from = 'sold' THEN
      -- Put back exactly what the sale took, once.
      INSERT INTO stock_ledger (variant_id, product_id, delta, reason, ref)
      SELECT l.variant_id, l.product_id, -l.delta, p_reason, l.ref FROM stock_ledger l
       WHERE l.reason = 'sale' AND l.ref = ocop_order_ref(p_order, r.variant_id)
         AND NOT EXISTS (SELECT 1 FROM stock_ledger x WHERE x.reason IN ('cancel', 'return')
                            AND x.ref = l.ref);
      GET DIAGNOSTICS n = ROW_COUNT;
      restocked := restocked + n;
    END IF;
  END LOOP;
  IF p_to IN ('reserved', 'sold') THEN
    PERFORM ocop_order_check_oversell(p_order, p_shop);
  END IF;
  IF restocked > 0 THEN
    INSERT INTO event (kind, shop_id, action, reason, detail, dedupe_key)
    SELECT 'order_restock', p_shop, p_reason, CASE p_reason WHEN 'return' THEN 'order returned' ELSE 'order cancelled' END || ': stock put back',
           jsonb_build_object('order', o.mp_order_id, 'status', o.status), 'order:' || p_order
      FROM "order" o WHERE o.id = p_order
    ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;
  END IF;
  RETURN p_to;
END $$;

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

-- Inserts a new order with its lines; each line maps to a variant by its
-- seller SKU (a withdrawn variant still counts: its stock moves). An unknown
-- SKU is kept, flagged and recorded, never dropped. Returns the order's id.
CREATE OR REPLACE FUNCTION ocop_order_insert(p_shop bigint, o jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  oid bigint;
  unknown text[];
BEGIN
  INSERT INTO "order" (shop_id, mp_order_id, status, mp_update_time, total_vnd)
  VALUES (p_shop, o ->> 'id', o ->> 'status', to_timestamp((o ->> 'update_time')::bigint),
          (o ->> 'total_vnd')::bigint)
  ON CONFLICT (shop_id, mp_order_id) DO NOTHING
  RETURNING id INTO oid;
  IF oid IS NULL THEN
    RETURN NULL; -- another session inserted it meanwhile: the caller re-reads
  END IF;
  INSERT INTO order_line (order_id, line_no, sku, variant_id, product_id, quantity, unit_price)
  SELECT oid, l.n, l.v ->> 'sku', v.id, v.product_id, (l.v ->> 'qty')::integer,
         (l.v ->> 'unit_price_vnd')::bigint
    FROM jsonb_array_elements(o -> 'lines') WITH ORDINALITY AS l (v, n)
    LEFT JOIN variant v ON v.sku = l.v ->> 'sku';
  unknown := ARRAY(SELECT sku FROM order_line WHERE order_id = oid AND product_id IS NULL ORDER BY line_no);
  IF cardinality(unknown) > 0 THEN
    UPDATE "order" SET flags = array_append(flags, 'unknown_sku') WHERE id = oid;
    INSERT INTO event (kind, shop_id, action, reason, detail, dedupe_key)
    VALUES ('order_unknown_sku', p_shop, 'flag', 'order names SKUs not in the catalogue',
            jsonb_build_object('order', o ->> 'id', 'skus', to_jsonb(unknown)), 'order:' || oid)
    ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;
  END IF;
  RETURN oid;
END $$;

-- Ingests one canonical order. Returns 'new', 'updated' or 'unchanged'
-- (not newer than what is stored: a status only moves forward by the
-- marketplace's update time).
CREATE OR REPLACE FUNCTION ocop_order_ingest(p_shop bigint, o jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  cur "order"%ROWTYPE;
  ts timestamptz := to_timestamp((o ->> 'update_time')::bigint);
  target text := CASE o ->> 'effect' WHEN 'cancelled' THEN 'released'
                                     WHEN 'returned' THEN 'released' ELSE o ->> 'effect' END;
  reason text := CASE o ->> 'effect' WHEN 'returned' THEN 'return' ELSE 'cancel' END;
  effect text;
  oid bigint;
  verdict text := 'updated';
BEGIN
  SELECT * INTO cur FROM "order" WHERE shop_id = p_shop AND mp_order_id = o ->> 'id' FOR UPDATE;
  IF NOT FOUND THEN
    oid := ocop_order_insert(p_shop, o);
    IF oid IS NULL THEN
      SELECT * INTO cur FROM "order" WHERE shop_id = p_shop AND mp_order_id = o ->> 'id' FOR UPDATE;
    ELSE
      SELECT * INTO cur FROM "order" WHERE id = oid;
      cur.mp_update_time := '-infinity';
      verdict := 'new';
    END IF;
  END IF;
  IF cur.mp_update_time >= ts THEN
    RETURN 'unchanged';
  END IF;
  UPDATE "order"
     SET status = o ->> 'status', mp_update_time = ts,
         total_vnd = coalesce((o ->> 'total_vnd')::bigint, total_vnd), updated_at = now()
   WHERE id = cur.id;
  effect := ocop_order_move(cur.id, p_shop, cur.stock_effect, target, reason);
  IF effect <> cur.stock_effect THEN
    UPDATE "order" SET stock_effect = effect WHERE id = cur.id;
  END IF;
  RETURN verdict;
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
CREATE OR REPLACE FUNCTION ocop_ingest_orders(p_shop bigint, p_doc jsonb, p_asked text[],
                                   p_cursor timestamptz, p_max_attempts integer)
RETURNS TABLE (new_orders integer, updated integer, unchanged integer, failed integer,
               dead integer)
LANGUAGE plpgsql AS $$
DECLARE
  o jsonb;
  problem text;
  verdict text;
  seen text[] := '{}';
BEGIN
  new_orders := 0; updated := 0; unchanged := 0; failed := 0; dead := 0;
  PERFORM ocop_sync_defer(); -- the stock the orders move is synced once, below
  FOR o IN SELECT * FROM jsonb_array_elements(coalesce(p_doc -> 'orders', '[]')) LOOP
    problem := ocop_order_problem(o);
    IF problem IS NOT NULL THEN
      o := jsonb_build_object('id', coalesce(o ->> 'id', '?'), 'error', problem);
      p_doc := jsonb_set(p_doc, '{bad}', coalesce(p_doc -> 'bad', '[]') || o);
      CONTINUE;
    END IF;
    verdict := ocop_order_ingest(p_shop, o);
    CASE verdict WHEN 'new' THEN new_orders := new_orders + 1;
                 WHEN 'updated' THEN updated := updated + 1;
                 ELSE unchanged := unchanged + 1; END CASE;
    seen := seen || (o ->> 'id');
  END LOOP;
  PERFORM ocop_sync_deferred();
  IF cardinality(seen) > 0 THEN
    DELETE FROM order_fetch WHERE shop_id = p_shop AND mp_order_id = ANY (seen);
  END IF;
  FOR o IN SELECT * FROM jsonb_array_elements(coalesce(p_doc -> 'bad', '[]'))
           UNION ALL
           SELECT jsonb_build_object('id', a, 'error', 'not in the marketplace''s answer')
             FROM unnest(p_asked) a
            WHERE NOT a = ANY (seen)
              AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(p_doc -> 'bad', '[]')) b
                               WHERE b ->> 'id' = a) LOOP
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
