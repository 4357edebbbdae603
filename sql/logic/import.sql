-- import.sql — the catalogue import in bulk (ctl/import_bulk.c): the rows
-- of a checked file are copied into staging tables, then merged into the
-- catalogue with one statement per step instead of a dozen per product.
-- What each step does is what ctl/import.c, import_variants.c and
-- import_content.c do for one product (docs/catalogue-csv.md); the counts
-- it returns are the same. A statement the database refuses fails the
-- whole merge, and ocopctl then runs the product-by-product import to name
-- the line.

-- The staging tables, empty, for this transaction. import_row: one row per
-- CSV row of a product with no problem (pos: its place among the
-- product's rows, 1 first; producer_province/commune: the producer's
-- current address, from the row import.c chose). import_image: the images
-- of each product, when the file has the column. import_attr and
-- import_category: one row per product and attribute or marketplace
-- column the file has ('' removes).
CREATE OR REPLACE FUNCTION ocop_import_stage() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  -- Dropped at the commit, or with the savepoint they were made under.
  CREATE TEMP TABLE import_row (
    line bigint NOT NULL, pos integer NOT NULL, product_code text NOT NULL, name_vi text,
    producer_name text, producer_type text, producer_province text, producer_commune text,
    province text, commune text, category_code text, stars smallint NOT NULL,
    certificate_no text, certified_on date, expires_on date, revoked_on date,
    price_vnd bigint, stock bigint, unit text, weight_g integer, gtin text,
    description_vi text, sku text NOT NULL, label text, length_mm integer,
    width_mm integer, height_mm integer,
    product_id bigint, variant_id bigint, existing boolean NOT NULL DEFAULT false
  ) ON COMMIT DROP;
  CREATE TEMP TABLE import_image (product_code text NOT NULL, role text NOT NULL,
    position integer NOT NULL, source text NOT NULL, claim boolean NOT NULL) ON COMMIT DROP;
  CREATE TEMP TABLE import_attr (product_code text NOT NULL, key text NOT NULL,
    value text NOT NULL) ON COMMIT DROP;
  CREATE TEMP TABLE import_category (product_code text NOT NULL, marketplace text NOT NULL,
    value text NOT NULL) ON COMMIT DROP;
  -- The products any step changed: they alone are synced at the end.
  CREATE TEMP TABLE import_changed (product_id bigint NOT NULL) ON COMMIT DROP;
END $$;

-- Producers by name: inserted, or their kind and address updated.
CREATE OR REPLACE FUNCTION ocop_import_producers() RETURNS TABLE (counter text, n bigint)
LANGUAGE plpgsql AS $$
DECLARE
  created bigint;
  updated bigint;
BEGIN
  CREATE TEMP TABLE import_producer ON COMMIT DROP AS
  SELECT DISTINCT ON (producer_name) producer_name AS name, producer_type AS kind,
         producer_province AS province, producer_commune AS commune
    FROM import_row WHERE pos = 1 ORDER BY producer_name, line;
  UPDATE producer p SET kind = s.kind, province = s.province, commune = s.commune,
                        updated_at = now()
    FROM import_producer s
   WHERE p.name = s.name AND (p.kind, p.province, p.commune) IS DISTINCT FROM
                             (s.kind, s.province, s.commune);
  GET DIAGNOSTICS updated = ROW_COUNT;
  INSERT INTO producer (name, kind, province, commune)
  SELECT s.name, s.kind, s.province, s.commune FROM import_producer s
   WHERE NOT EXISTS (SELECT 1 FROM producer p WHERE p.name = s.name)
   ORDER BY s.name;
  GET DIAGNOSTICS created = ROW_COUNT;
  DROP TABLE import_producer;
  RETURN QUERY VALUES ('producers_created', created), ('producers_updated', updated);
END $$;

-- Products by code, from each product's first row.
CREATE OR REPLACE FUNCTION ocop_import_products() RETURNS TABLE (counter text, n bigint)
LANGUAGE plpgsql AS $$
DECLARE
  known bigint;
  created bigint;
  updated bigint;
BEGIN
  SELECT count(*) INTO known FROM import_row r JOIN product p ON p.code = r.product_code
   WHERE r.pos = 1;
  WITH changed AS (
    UPDATE product p
       SET (name_vi, producer_id, category_code, unit, description_vi, updated_at) =
           (r.name_vi, pr.id, r.category_code, r.unit, r.description_vi, now())
      FROM import_row r JOIN producer pr ON pr.name = r.producer_name
     WHERE r.pos = 1 AND p.code = r.product_code
       AND (p.name_vi, p.producer_id, p.category_code, p.unit, p.description_vi)
           IS DISTINCT FROM (r.name_vi, pr.id, r.category_code, r.unit, r.description_vi)
    RETURNING p.id)
  INSERT INTO import_changed SELECT id FROM changed;
  GET DIAGNOSTICS updated = ROW_COUNT;
  WITH added AS (
    INSERT INTO product (code, name_vi, producer_id, category_code, unit, description_vi)
    SELECT r.product_code, r.name_vi, pr.id, r.category_code, r.unit, r.description_vi
      FROM import_row r JOIN producer pr ON pr.name = r.producer_name
     WHERE r.pos = 1 AND NOT EXISTS (SELECT 1 FROM product p WHERE p.code = r.product_code)
     ORDER BY r.line
    RETURNING id)
  INSERT INTO import_changed SELECT id FROM added;
  GET DIAGNOSTICS created = ROW_COUNT;
  UPDATE import_row r SET product_id = p.id FROM product p WHERE p.code = r.product_code;
  -- Later steps join on product_id: without fresh statistics the planner
  -- takes it for NULL everywhere and loops over the whole table per row.
  ANALYZE import_row;
  RETURN QUERY VALUES ('products_created', created), ('products_updated', updated),
                      ('products_unchanged', known - updated);
END $$;

-- Each rated product's rating or decision, found by number and date: new
-- ones added; known ones get stars, and a validity or revocation the file
-- gives (an empty cell keeps what is recorded).
CREATE OR REPLACE FUNCTION ocop_import_certificates() RETURNS TABLE (counter text, n bigint)
LANGUAGE plpgsql AS $$
DECLARE
  added bigint;
  updated bigint;
BEGIN
  WITH changed AS (
    UPDATE certificate c
       SET stars = r.stars, valid_until = coalesce(r.expires_on, c.valid_until),
           revoked_on = coalesce(r.revoked_on, c.revoked_on)
      FROM import_row r
     WHERE r.pos = 1 AND r.stars > 0 AND c.product_id = r.product_id AND c.issuer = ''
       AND c.decision_no IS NOT DISTINCT FROM r.certificate_no
       AND c.decision_date IS NOT DISTINCT FROM r.certified_on
       AND (c.stars, c.valid_until, c.revoked_on) IS DISTINCT FROM
           (r.stars, coalesce(r.expires_on, c.valid_until), coalesce(r.revoked_on, c.revoked_on))
    RETURNING c.product_id)
  INSERT INTO import_changed SELECT product_id FROM changed;
  GET DIAGNOSTICS updated = ROW_COUNT;
  WITH fresh AS (
    INSERT INTO certificate (product_id, stars, decision_no, decision_date, valid_until,
                             revoked_on, province_at_cert, commune_at_cert, source)
    SELECT r.product_id, r.stars, r.certificate_no, r.certified_on, r.expires_on,
           r.revoked_on, r.province, r.commune, current_setting('ocop.import_source')
      FROM import_row r
     WHERE r.pos = 1 AND r.stars > 0
       AND NOT EXISTS (SELECT 1 FROM certificate c
                        WHERE c.product_id = r.product_id AND c.issuer = ''
                          AND c.decision_no IS NOT DISTINCT FROM r.certificate_no
                          AND c.decision_date IS NOT DISTINCT FROM r.certified_on)
     ORDER BY r.line
    RETURNING product_id)
  INSERT INTO import_changed SELECT product_id FROM fresh;
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN QUERY VALUES ('certificates_added', added), ('certificates_updated', updated);
END $$;

-- Variants by SKU: the product's variants the file no longer names are
-- withdrawn; those whose label changes first take a placeholder no CSV
-- label can be (labels are unique among a product's active variants, and
-- may trade places); then each is updated, or inserted.
CREATE OR REPLACE FUNCTION ocop_import_variants() RETURNS TABLE (counter text, n bigint)
LANGUAGE plpgsql AS $$
DECLARE
  known bigint;
  created bigint;
  updated bigint;
  withdrawn bigint;
BEGIN
  UPDATE import_row r SET variant_id = v.id, existing = true
    FROM variant v WHERE v.sku = r.sku AND v.product_id = r.product_id;
  GET DIAGNOSTICS known = ROW_COUNT;
  WITH gone AS (
    UPDATE variant v SET active = false, updated_at = now()
     WHERE v.active AND v.product_id IN (SELECT product_id FROM import_row)
       AND NOT EXISTS (SELECT 1 FROM import_row r
                        WHERE r.product_id = v.product_id AND r.sku = v.sku)
    RETURNING v.product_id)
  INSERT INTO import_changed SELECT product_id FROM gone;
  GET DIAGNOSTICS withdrawn = ROW_COUNT;
  UPDATE variant v SET label = chr(1) || v.id::text
    FROM import_row r WHERE v.id = r.variant_id AND v.label <> r.label;
  WITH changed AS (
    UPDATE variant v
       SET (position, label, price_vnd, weight_g, gtin, length_mm, width_mm, height_mm,
            active, updated_at) =
           (r.pos, r.label, r.price_vnd, r.weight_g, r.gtin, r.length_mm, r.width_mm,
            r.height_mm, true, now())
      FROM import_row r
     WHERE v.id = r.variant_id
       AND (v.position, v.label, v.price_vnd, v.weight_g, v.gtin, v.length_mm, v.width_mm,
            v.height_mm, v.active) IS DISTINCT FROM
           (r.pos, r.label, r.price_vnd, r.weight_g, r.gtin, r.length_mm, r.width_mm,
            r.height_mm, true)
    RETURNING v.product_id)
  INSERT INTO import_changed SELECT product_id FROM changed;
  GET DIAGNOSTICS updated = ROW_COUNT;
  WITH fresh AS (
    INSERT INTO variant (sku, product_id, position, label, price_vnd, weight_g, gtin,
                         length_mm, width_mm, height_mm)
    SELECT r.sku, r.product_id, r.pos, r.label, r.price_vnd, r.weight_g, r.gtin,
           r.length_mm, r.width_mm, r.height_mm
      FROM import_row r WHERE NOT r.existing ORDER BY r.line
    RETURNING product_id)
  INSERT INTO import_changed SELECT product_id FROM fresh;
  GET DIAGNOSTICS created = ROW_COUNT;
  UPDATE import_row r SET variant_id = v.id FROM variant v
   WHERE NOT r.existing AND v.sku = r.sku;
  ANALYZE import_row;
  RETURN QUERY VALUES ('variants_created', created), ('variants_updated', updated),
                      ('variants_unchanged', known - updated), ('variants_withdrawn', withdrawn);
END $$;

-- The stock column: a new variant's opening balance; for a known variant
-- ignored (and counted when it differs from on hand), or with p_stocktake a
-- stocktake noting the file.
CREATE OR REPLACE FUNCTION ocop_import_stock(p_stocktake boolean)
RETURNS TABLE (counter text, n bigint)
LANGUAGE plpgsql AS $$
DECLARE
  adjusted bigint;
  ignored bigint;
BEGIN
  ignored := 0;
  IF NOT p_stocktake THEN
    SELECT count(*) INTO ignored FROM import_row r
      LEFT JOIN stock_level s ON s.variant_id = r.variant_id
     WHERE r.existing AND r.stock IS DISTINCT FROM coalesce(s.on_hand, 0);
  END IF;
  INSERT INTO stock_ledger (variant_id, product_id, delta, reason, note)
  SELECT r.variant_id, r.product_id, r.stock - coalesce(s.on_hand, 0),
         CASE WHEN r.existing THEN 'stocktake' ELSE 'import' END,
         CASE WHEN r.existing THEN 'stocktake from catalogue file '
                                   || substr(current_setting('ocop.import_source'), 5) END
    FROM import_row r LEFT JOIN stock_level s ON s.variant_id = r.variant_id
   WHERE (p_stocktake OR NOT r.existing) AND r.stock <> coalesce(s.on_hand, 0)
   ORDER BY r.line;
  GET DIAGNOSTICS adjusted = ROW_COUNT;
  RETURN QUERY VALUES ('stock_adjustments', adjusted), ('stock_ignored', ignored);
END $$;

-- Images replaced to match the cell, place by place: a place whose source
-- is unchanged keeps its check; a new source is read again; places past
-- the new list are deleted.
CREATE OR REPLACE FUNCTION ocop_import_images() RETURNS TABLE (counter text, n bigint)
LANGUAGE plpgsql AS $$
DECLARE
  added bigint;
  changed bigint;
  removed bigint;
BEGIN
  WITH gone AS (
    DELETE FROM product_image i USING import_row r
     WHERE r.pos = 1 AND i.product_id = r.product_id
       AND NOT EXISTS (SELECT 1 FROM import_image x
                        WHERE x.product_code = r.product_code AND x.role = i.role
                          AND x.position = i.position)
    RETURNING i.product_id)
  INSERT INTO import_changed SELECT product_id FROM gone;
  GET DIAGNOSTICS removed = ROW_COUNT;
  WITH moved AS (
    UPDATE product_image i
       SET claim = x.claim, source = x.source,
           sha256 = CASE WHEN i.source = x.source THEN i.sha256 END,
           problem = CASE WHEN i.source = x.source THEN i.problem END,
           checked_at = CASE WHEN i.source = x.source THEN i.checked_at END
      FROM import_image x JOIN import_row r ON r.pos = 1 AND r.product_code = x.product_code
     WHERE i.product_id = r.product_id AND i.role = x.role AND i.position = x.position
       AND (i.source, i.claim) IS DISTINCT FROM (x.source, x.claim)
    RETURNING i.product_id)
  INSERT INTO import_changed SELECT product_id FROM moved;
  GET DIAGNOSTICS changed = ROW_COUNT;
  WITH fresh AS (
    INSERT INTO product_image (product_id, role, position, source, claim)
    SELECT r.product_id, x.role, x.position, x.source, x.claim
      FROM import_image x JOIN import_row r ON r.pos = 1 AND r.product_code = x.product_code
     WHERE NOT EXISTS (SELECT 1 FROM product_image i WHERE i.product_id = r.product_id
                          AND i.role = x.role AND i.position = x.position)
     ORDER BY r.line, x.role DESC, x.position
    RETURNING product_id)
  INSERT INTO import_changed SELECT product_id FROM fresh;
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN QUERY VALUES ('images_added', added), ('images_changed', changed),
                      ('images_removed', removed);
END $$;

-- Attributes and marketplace categories: set where the value differs,
-- removed where the cell is empty.
CREATE OR REPLACE FUNCTION ocop_import_attributes() RETURNS TABLE (counter text, n bigint)
LANGUAGE plpgsql AS $$
DECLARE
  set_ bigint;
  removed bigint;
  categories_set bigint;
  categories_removed bigint;
BEGIN
  WITH gone AS (
    DELETE FROM product_attribute a USING import_attr x, product p
     WHERE x.value = '' AND p.code = x.product_code AND a.product_id = p.id AND a.key = x.key
    RETURNING a.product_id)
  INSERT INTO import_changed SELECT product_id FROM gone;
  GET DIAGNOSTICS removed = ROW_COUNT;
  WITH fresh AS (
    INSERT INTO product_attribute AS a (product_id, key, value)
    SELECT p.id, x.key, x.value FROM import_attr x JOIN product p ON p.code = x.product_code
     WHERE x.value <> ''
       AND NOT EXISTS (SELECT 1 FROM product_attribute a
                        WHERE a.product_id = p.id AND a.key = x.key AND a.value = x.value)
     ORDER BY p.id, x.key
    ON CONFLICT (product_id, key) DO UPDATE SET value = EXCLUDED.value
    RETURNING a.product_id)
  INSERT INTO import_changed SELECT product_id FROM fresh;
  GET DIAGNOSTICS set_ = ROW_COUNT;
  WITH gone AS (
    DELETE FROM product_category c USING import_category x, product p
     WHERE x.value = '' AND p.code = x.product_code AND c.product_id = p.id
       AND c.marketplace = x.marketplace
    RETURNING c.product_id)
  INSERT INTO import_changed SELECT product_id FROM gone;
  GET DIAGNOSTICS categories_removed = ROW_COUNT;
  WITH fresh AS (
    INSERT INTO product_category AS c (product_id, marketplace, remote_category)
    SELECT p.id, x.marketplace, x.value FROM import_category x
      JOIN product p ON p.code = x.product_code
     WHERE x.value <> ''
       AND NOT EXISTS (SELECT 1 FROM product_category c WHERE c.product_id = p.id
                          AND c.marketplace = x.marketplace AND c.remote_category = x.value)
     ORDER BY p.id, x.marketplace
    ON CONFLICT (product_id, marketplace) DO UPDATE SET remote_category = EXCLUDED.remote_category
    RETURNING c.product_id)
  INSERT INTO import_changed SELECT product_id FROM fresh;
  GET DIAGNOSTICS categories_set = ROW_COUNT;
  RETURN QUERY VALUES ('attributes_set', set_), ('attributes_removed', removed),
                      ('categories_set', categories_set),
                      ('categories_removed', categories_removed);
END $$;

-- The whole merge, from the staging tables ocop_import_stage made and the
-- caller filled. p_source: 'csv:<file name>'; p_images: the file has the
-- images column. The catalogue triggers' syncs are held (sync.sql) and the
-- products that changed are synced once at the end. Returns each count
-- by the name ctl/import_bulk.c reads.
CREATE OR REPLACE FUNCTION ocop_import_merge(p_source text, p_stocktake boolean,
                                             p_images boolean)
RETURNS TABLE (counter text, n bigint)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('ocop.import_source', p_source, true);
  PERFORM ocop_sync_hold();
  ANALYZE import_row;
  RETURN QUERY SELECT * FROM ocop_import_producers();
  RETURN QUERY SELECT * FROM ocop_import_products();
  RETURN QUERY SELECT * FROM ocop_import_certificates();
  RETURN QUERY SELECT * FROM ocop_import_variants();
  RETURN QUERY SELECT * FROM ocop_import_stock(p_stocktake);
  IF p_images THEN
    RETURN QUERY SELECT * FROM ocop_import_images();
  END IF;
  RETURN QUERY SELECT * FROM ocop_import_attributes();
  PERFORM ocop_sync_release();
  PERFORM ocop_sync(ARRAY(SELECT DISTINCT product_id FROM import_changed ORDER BY 1), NULL);
END $$;
