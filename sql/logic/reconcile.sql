-- reconcile.sql — reading stock back from the marketplaces.
--
-- The stock ledger is the truth (design §5); a marketplace's count can still
-- drift from it: a seller edits it by hand, a push is lost on the way, the
-- marketplace adjusts it itself. ocopd periodically reads each live listing's
-- stock back (GET_LISTING). A count that differs from the listing's target
-- is recorded as a 'stock_drift' event and corrected by the outbox with an
-- absolute push, like any other stock change.
--
-- As in outbox.sql, each function is one statement for the daemon: pick
-- (commit), read the marketplace, record (commit). Nothing is held across
-- the call (listing.reconciled_at: sql/007_reconcile.sql).

-- Up to p_limit listings due to be read back: live on a marketplace (an id,
-- listed, shown as OCOP or stripped), of an active shop, with no job queued
-- or running (a push under way would make the count a moving target), and
-- not read back in the last p_interval_s seconds. They are stamped in the
-- same statement, and rows another daemon holds are skipped, so two daemons
-- never read the same listing. File channels come back too: the daemon
-- skips them (only it knows a connector's capabilities).
CREATE OR REPLACE FUNCTION ocop_reconcile_due(p_interval_s integer, p_limit integer)
RETURNS TABLE (shop_id bigint, shop_name text, marketplace text, mp_shop_id text, base_url text,
               app_key text, options text, access_token text, token_ttl_s integer,
               listing_id bigint, sku text, item_id text, variants text)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
DECLARE
  ids bigint[];
BEGIN
  -- Cheap filters on the tables first; the views are read for these ids only.
  ids := ARRAY(
    SELECT l.id FROM listing l
      JOIN shop s ON s.id = l.shop_id
     WHERE l.item_id IS NOT NULL AND l.state = 'listed' AND s.status = 'active'
       AND (l.reconciled_at IS NULL
            -- Half a second of slack: a listing stamped just after the
            -- daemon's last look would otherwise wait a whole extra round.
            OR l.reconciled_at < now() - make_interval(secs => greatest(p_interval_s - 0.5, 0)))
       AND (l.lease_until IS NULL OR l.lease_until < now())
       AND NOT EXISTS (SELECT 1 FROM outbox o
                        WHERE o.listing_id = l.id AND o.state IN ('pending', 'running'))
     ORDER BY l.reconciled_at NULLS FIRST, l.id
     LIMIT p_limit
       FOR NO KEY UPDATE OF l SKIP LOCKED);

  IF cardinality(ids) = 0 THEN
    RETURN;
  END IF;
  UPDATE listing l SET reconciled_at = now() WHERE l.id = ANY (ids);

  RETURN QUERY
  SELECT s.id, s.name, s.marketplace, s.mp_shop_id, s.base_url, s.app_key, s.options::text,
         tk.access_token, extract(epoch FROM tk.access_expires_at - now())::integer,
         t.listing_id, t.sku, t.item_id, t.variants::text
    FROM listing_target t
    JOIN shop s ON s.id = t.shop_id
    LEFT JOIN token tk ON tk.shop_id = s.id
   WHERE t.listing_id = ANY (ids)
     AND (t.mirror OR t.effective_policy = 'strip')
   ORDER BY s.id, t.listing_id;
END $$;

-- Records what a read-back found: p_observed against the listing's target
-- stock now. Returns
--   'ok'    the marketplace shows the target;
--   'drift' it does not: a 'stock_drift' event is written, sent_stock is set
--           to what the marketplace shows, and ocop_sync() queues the
--           absolute push that corrects it;
--   'busy'  a job was queued, ran or finished since the listing was picked:
--           the count may predate it, so nothing is concluded (the listing
--           is read again next interval);
--   'gone'  the listing is not live any more.
-- What the marketplace showed for each variant (p_observed: a JSON array
-- of {"sku", "stock", "remote_id"}) against the ledger. Returns 'ok', 'drift' (recorded
-- and corrected), 'busy' (a job or an unread order makes the count a moving
-- target: read again) or 'gone'. A variant the answer does not name is
-- not judged.
CREATE OR REPLACE FUNCTION ocop_reconcile_result(p_listing bigint, p_observed jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  l listing;
  t listing_target;
  drift jsonb;
BEGIN
  -- Locked so an outbox claim of this listing waits for the verdict.
  SELECT * INTO l FROM listing WHERE id = p_listing FOR NO KEY UPDATE;
  IF NOT FOUND OR l.state <> 'listed' OR l.item_id IS NULL THEN
    RETURN 'gone';
  END IF;
  IF l.synced_at > l.reconciled_at OR l.lease_until > now()
     OR EXISTS (SELECT 1 FROM outbox o
                 WHERE o.listing_id = p_listing AND o.state IN ('pending', 'running')) THEN
    RETURN 'busy';
  END IF;

  -- A variant on the item whose id was never learnt ('': listed before
  -- variants existed) takes the id the read-back names.
  UPDATE listing_variant lv SET remote_id = r.e ->> 'remote_id', updated_at = now()
    FROM jsonb_array_elements(coalesce(p_observed, '[]')) AS r(e), variant v
   WHERE lv.listing_id = p_listing AND lv.remote_id = '' AND v.id = lv.variant_id
     AND v.sku = r.e ->> 'sku' AND length(r.e ->> 'remote_id') BETWEEN 1 AND 64;

  SELECT jsonb_agg(jsonb_build_object('sku', v.sku, 'variant_id', v.variant_id,
                                      'observed', (r.e ->> 'stock')::bigint, 'expected', v.stock)
                   ORDER BY v.variant_id)
    INTO drift
    FROM listing_variant_target v
    JOIN jsonb_array_elements(coalesce(p_observed, '[]')) AS r(e) ON r.e ->> 'sku' = v.sku
   WHERE v.listing_id = p_listing AND v.active AND v.remote_id IS NOT NULL
     AND jsonb_typeof(r.e -> 'stock') = 'number'
     AND (r.e ->> 'stock')::bigint IS DISTINCT FROM v.stock;
  IF drift IS NULL THEN
    RETURN 'ok';
  END IF;
  -- Less on the marketplace than in the ledger may be a sale we have not
  -- read yet: correcting it now would put sold units back on sale. Only
  -- once the shop's orders are read past the moment of this read-back is
  -- the difference real drift (shops whose orders are not polled: at once).
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(drift) d
              WHERE (d ->> 'observed')::bigint < (d ->> 'expected')::bigint)
     AND EXISTS (SELECT 1 FROM order_cursor c
                  WHERE c.shop_id = l.shop_id AND c.polled_to < l.reconciled_at) THEN
    UPDATE listing SET reconciled_at = NULL WHERE id = p_listing; -- read again next round
    RETURN 'busy';
  END IF;

  SELECT * INTO t FROM listing_target WHERE listing_id = p_listing;
  INSERT INTO event (kind, product_id, certificate_id, shop_id, listing_id, action, reason, detail)
  VALUES ('stock_drift', l.product_id, t.certificate_id, l.shop_id, l.id, 'correct',
          'marketplace stock differs from the stock ledger',
          jsonb_build_object('variants', drift, 'item_id', l.item_id));
  -- What the marketplace shows is what was last "sent": the stock job that
  -- ocop_sync derives from the difference pushes the ledger's values back.
  UPDATE listing_variant lv SET sent_stock = (d ->> 'observed')::bigint, updated_at = now()
    FROM jsonb_array_elements(drift) d
   WHERE lv.listing_id = p_listing AND lv.variant_id = (d ->> 'variant_id')::bigint;
  PERFORM ocop_sync(ARRAY[l.product_id], ARRAY[l.shop_id]);
  RETURN 'drift';
END $$;
