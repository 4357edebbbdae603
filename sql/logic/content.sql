-- content.sql — a listing's content (images, category, brand, attributes)
-- resolved against its category's rules, and what ocopd records while it
-- prepares a send: checked images, uploads, rules (docs/listing-content.md).
-- Applied before listing_jobs.sql, whose listing_target reads
-- ocop_content_sigs.

-- How long a category's rules are trusted before they are read again.
CREATE OR REPLACE FUNCTION ocop_rules_ttl() RETURNS interval
LANGUAGE sql IMMUTABLE AS $$ SELECT interval '7 days' $$;

-- A product's category on a marketplace: its own override, else the map of
-- its OCOP category; no row for an unknown product. A table function of one
-- SELECT, so that a query asking for many products gets it written into
-- its plan (ocop_content_sigs).
CREATE OR REPLACE FUNCTION ocop_remote_categories(p_product bigint, p_marketplace text)
RETURNS TABLE (remote_category text)
LANGUAGE sql STABLE ROWS 1 AS $$
  SELECT coalesce(pc.remote_category, cm.remote_category)
    FROM product p
    LEFT JOIN product_category pc ON pc.product_id = p.id AND pc.marketplace = p_marketplace
    LEFT JOIN category_map cm ON cm.marketplace = p_marketplace AND cm.category_code = p.category_code
   WHERE p.id = p_product
$$;

-- The same as a value (NULL when neither exists), for one listing at a
-- time. PL/pgSQL for its plan kept across calls (ocop_create_sending,
-- outbox.sql).
CREATE OR REPLACE FUNCTION ocop_remote_category(p_product bigint, p_marketplace text)
RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT c.remote_category FROM ocop_remote_categories(p_product, p_marketplace) c);
END $$;

-- The images a listing shows with these stars, in order: gallery images
-- first, then certificate images. Without stars (the strip policy) the
-- images that show an OCOP claim and the certificate itself are left out.
CREATE OR REPLACE FUNCTION ocop_listing_images(p_product bigint, p_stars smallint)
RETURNS SETOF product_image
LANGUAGE sql STABLE AS $$
  SELECT i.* FROM product_image i
   WHERE i.product_id = p_product
     AND (p_stars > 0 OR (i.role = 'gallery' AND NOT i.claim))
   ORDER BY i.role DESC, i.position
$$;

-- What the catalogue says of a listing's content, as one value: a listing
-- whose signature differs from the one last sent needs an update
-- (listing_jobs.sql). The rules are not part of it: a change of rules is
-- met when a send is refused (ocop_finish_job). NULL unless p_wanted (the
-- marketplace's connector sends content).
--
-- A table function of one SELECT, so that the planner expands it into the
-- query that calls it (listing_target), as it does the table functions it
-- reads: a scalar SQL function with subqueries is run as a query of its own
-- on every call, which cost 97 us a listing against 9 us expanded, and
-- every claim, outcome and sweep derives it.
CREATE OR REPLACE FUNCTION ocop_content_sigs(p_product bigint, p_marketplace text,
                                             p_stars smallint, p_wanted boolean)
RETURNS TABLE (sig text)
LANGUAGE sql STABLE ROWS 1 AS $$
  SELECT md5(concat_ws('|', rc.remote_category, im.sig, at.sig))
    FROM product p
    LEFT JOIN LATERAL ocop_remote_categories(p.id, p_marketplace) rc ON true
   CROSS JOIN LATERAL (
     SELECT string_agg(concat_ws(':', i.role, i.position, coalesce(i.sha256, i.problem, '?'),
                                 i.claim), ',' ORDER BY i.role DESC, i.position) AS sig
       FROM ocop_listing_images(p.id, p_stars) i) im
   CROSS JOIN LATERAL (
     SELECT string_agg(a.key || '=' || a.value, ',' ORDER BY a.key) AS sig
       FROM product_attribute a WHERE a.product_id = p.id) at
   WHERE p.id = p_product AND p_wanted
$$;

-- The same for one listing's content (ocop_listing_content).
CREATE OR REPLACE FUNCTION ocop_content_sig(p_product bigint, p_marketplace text, p_stars smallint)
RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT sig FROM ocop_content_sigs(p_product, p_marketplace, p_stars, true)
$$;

-- The product's value for a marketplace attribute name, through
-- attribute_map (the marketplace's own row first, then '*'). NULL: the
-- product has none; `key` says which key would fill it. PL/pgSQL, as
-- ocop_remote_category, for its plan kept across calls (ocop_create_sending,
-- outbox.sql): it is asked for every attribute of every listing sent.
CREATE OR REPLACE FUNCTION ocop_attr_value(p_product bigint, p_marketplace text, p_name text,
                                           OUT key text, OUT value text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  SELECT m.key, a.value INTO key, value
    FROM attribute_map m
    LEFT JOIN product_attribute a ON a.product_id = p_product AND a.key = m.key
   WHERE m.marketplace IN (p_marketplace, '*') AND lower(m.remote_name) = lower(p_name)
   ORDER BY m.marketplace = '*', a.value IS NULL
   LIMIT 1;
END $$;

-- One rule list entry whose name matches `v` (case and outer blanks aside).
CREATE OR REPLACE FUNCTION ocop_rules_pick(p_list jsonb, p_v text) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT e FROM jsonb_array_elements(coalesce(p_list, '[]')) e
   WHERE lower(btrim(e->>'name')) = lower(btrim(p_v))
   LIMIT 1
$$;

-- The attributes a listing sends, resolved against the rules: each
-- attribute of the category that the product fills, with the allowed
-- value's id. Sets p_problem to the first thing the category requires and
-- the product lacks.
CREATE OR REPLACE FUNCTION ocop_listing_attrs(p_product bigint, p_marketplace text, p_category text,
                                              p_rules jsonb, INOUT p_problem text,
                                              OUT attrs jsonb)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  a jsonb;
  v record;
  pick jsonb;
BEGIN
  attrs := '[]';
  FOR a IN SELECT e FROM jsonb_array_elements(coalesce(p_rules->'attrs', '[]')) e LOOP
    SELECT * INTO v FROM ocop_attr_value(p_product, p_marketplace, a->>'name');
    IF v.value IS NULL THEN
      IF (a->>'required')::boolean AND p_problem IS NULL THEN
        p_problem := CASE WHEN v.key IS NULL
          THEN format('%s category %s requires "%s"; no catalogue attribute is mapped to it (ocopctl attribute map)',
                      p_marketplace, p_category, a->>'name')
          ELSE format('%s category %s requires "%s"; the product has no %s attribute',
                      p_marketplace, p_category, a->>'name', v.key) END;
      END IF;
      CONTINUE;
    END IF;
    IF jsonb_array_length(coalesce(a->'values', '[]')) = 0 THEN
      attrs := attrs || jsonb_build_object('id', a->>'id', 'name', a->>'name', 'value_id', '',
                                           'value', v.value);
      CONTINUE;
    END IF;
    pick := ocop_rules_pick(a->'values', v.value);
    IF pick IS NULL THEN
      IF p_problem IS NULL THEN
        p_problem := format('%s category %s: "%s" does not allow "%s" (allowed: %s)', p_marketplace,
                            p_category, a->>'name', v.value,
                            (SELECT string_agg(x->>'name', ', ') FROM jsonb_array_elements(a->'values') x));
      END IF;
      CONTINUE;
    END IF;
    attrs := attrs || jsonb_build_object('id', a->>'id', 'name', a->>'name',
                                         'value_id', pick->>'id', 'value', pick->>'name');
  END LOOP;
END $$;

-- The brand a listing sends: the product's brand attribute as the
-- marketplace names it, or the category's "no brand" entry where the
-- category allows one. Sets p_problem when the category requires a brand
-- the product does not have among the marketplace's.
CREATE OR REPLACE FUNCTION ocop_listing_brand(p_product bigint, p_marketplace text, p_category text,
                                              p_rules jsonb, INOUT p_problem text,
                                              OUT brand jsonb)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  mine text;
  required boolean := coalesce((p_rules->>'brand_required')::boolean, false);
BEGIN
  SELECT value INTO mine FROM product_attribute WHERE product_id = p_product AND key = 'brand';
  IF mine IS NOT NULL THEN
    brand := ocop_rules_pick(p_rules->'brands', mine);
  END IF;
  IF brand IS NOT NULL THEN
    RETURN;
  END IF;
  IF required THEN
    IF p_problem IS NULL THEN
      p_problem := CASE WHEN mine IS NULL
        THEN format('%s category %s requires a brand; the product has no brand attribute',
                    p_marketplace, p_category)
        ELSE format('%s category %s requires a brand; "%s" is not among the marketplace''s brands',
                    p_marketplace, p_category, mine) END;
    END IF;
    RETURN;
  END IF;
  brand := CASE WHEN jsonb_typeof(p_rules->'no_brand') = 'object' THEN p_rules->'no_brand'
                ELSE jsonb_build_object('id', '', 'name', '') END;
END $$;

-- The first thing the category's rules ask of sizes and certificates that
-- the product lacks, or NULL.
CREATE OR REPLACE FUNCTION ocop_listing_rule_gaps(p_product bigint, p_marketplace text,
                                                  p_category text, p_rules jsonb, p_stars smallint)
RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    (SELECT format('%s category %s requires package dimensions; variant %s has none',
                   p_marketplace, p_category, v.sku)
       FROM variant v
      WHERE (p_rules->>'dimensions_required')::boolean AND v.product_id = p_product AND v.active
        AND (v.length_mm IS NULL OR v.width_mm IS NULL OR v.height_mm IS NULL)
      ORDER BY v.position LIMIT 1),
    (SELECT format('%s category %s requires certification "%s"; the product has no certificate image',
                   p_marketplace, p_category, c->>'name')
       FROM jsonb_array_elements(coalesce(p_rules->'certifications', '[]')) c
      WHERE (c->>'required')::boolean
        AND NOT EXISTS (SELECT 1 FROM ocop_listing_images(p_product, p_stars) i
                         WHERE i.role = 'certificate')
      LIMIT 1))
$$;

-- Everything a publish or update of this listing needs to know of its
-- content, as one JSON value for ocopd (daemon/prepare.c):
--   problem      the first reason it cannot be sent, or null
--   rules_due    the category's rules must be read (again) first
--   category     the marketplace category (null: none mapped)
--   waiting      an image is not read and checked yet
--   uploads      [{sha256, certificate, format, name}]: images this shop lacks
--   content      {category_id, brand_id, brand_name, attrs, images,
--                 certification_id}: what the connector sends (connector.h)
--   sig          ocop_content_sig: recorded when the send succeeds
CREATE OR REPLACE FUNCTION ocop_listing_content(p_listing bigint) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
  r record;
  cat text;
  rules category_rules;
  problem text;
  images jsonb := '[]';
  uploads jsonb := '[]';
  waiting boolean := false;
  i record;
  attrs jsonb;
  brand jsonb;
  cert_id text;
  takes_certs boolean;
BEGIN
  SELECT l.shop_id, l.product_id, s.marketplace, p.code, p.category_code,
         CASE WHEN e.eligible THEN e.stars ELSE 0 END::smallint AS stars
    INTO r
    FROM listing l JOIN shop s ON s.id = l.shop_id JOIN product p ON p.id = l.product_id
    JOIN product_eligibility e ON e.product_id = p.id
   WHERE l.id = p_listing;
  cat := ocop_remote_category(r.product_id, r.marketplace);
  IF cat IS NULL THEN
    problem := format('no %s category for OCOP category %s (ocopctl category map)',
                      r.marketplace, r.category_code);
  END IF;

  IF cat IS NOT NULL THEN
    SELECT * INTO rules FROM category_rules WHERE shop_id = r.shop_id AND remote_category = cat;
  END IF;
  -- Certificate images go only where the category takes certifications.
  takes_certs := jsonb_array_length(coalesce(rules.rules->'certifications', '[]')) > 0;

  FOR i IN SELECT g.*, u.remote_id, u.url, m.format
             FROM ocop_listing_images(r.product_id, r.stars) g
             LEFT JOIN media m ON m.sha256 = g.sha256
             LEFT JOIN image_upload u ON u.shop_id = r.shop_id AND u.sha256 = g.sha256
                                     AND u.certificate = (g.role = 'certificate')
            WHERE g.role = 'gallery' OR takes_certs
            ORDER BY g.role DESC, g.position
  LOOP
    IF i.problem IS NOT NULL THEN
      problem := coalesce(problem, format('image %s: %s', i.source, i.problem));
    ELSIF i.sha256 IS NULL THEN
      waiting := true;
    ELSIF i.remote_id IS NULL THEN
      uploads := uploads || jsonb_build_object('sha256', i.sha256, 'certificate', i.role = 'certificate',
                   'format', i.format,
                   'name', format('%s-%s%s.%s', r.code, CASE WHEN i.role = 'certificate' THEN 'cert-' ELSE '' END,
                                  i.position, CASE i.format WHEN 'png' THEN 'png' ELSE 'jpg' END));
    ELSE
      images := images || jsonb_build_object('remote_id', i.remote_id, 'url', i.url,
                                             'certificate', i.role = 'certificate');
    END IF;
  END LOOP;
  IF NOT EXISTS (SELECT 1 FROM ocop_listing_images(r.product_id, r.stars) g WHERE g.role = 'gallery') THEN
    problem := coalesce(problem, 'the product has no image (catalogue column images)');
  END IF;

  IF problem IS NULL AND rules.rules IS NOT NULL AND NOT rules.stale THEN
    IF NOT coalesce((rules.rules->>'leaf')::boolean, true) THEN
      problem := format('%s category %s is not a leaf category', r.marketplace, cat);
    END IF;
    SELECT x.p_problem, x.attrs INTO problem, attrs
      FROM ocop_listing_attrs(r.product_id, r.marketplace, cat, rules.rules, problem) x;
    SELECT x.p_problem, x.brand INTO problem, brand
      FROM ocop_listing_brand(r.product_id, r.marketplace, cat, rules.rules, problem) x;
    problem := coalesce(problem, ocop_listing_rule_gaps(r.product_id, r.marketplace, cat,
                                                        rules.rules, r.stars));
    SELECT c->>'id' INTO cert_id
      FROM jsonb_array_elements(coalesce(rules.rules->'certifications', '[]')) WITH ORDINALITY AS t(c, n)
     WHERE EXISTS (SELECT 1 FROM ocop_listing_images(r.product_id, r.stars) g WHERE g.role = 'certificate')
     ORDER BY (c->>'required')::boolean DESC, n LIMIT 1;
  END IF;

  RETURN jsonb_build_object(
    'problem', problem,
    'rules_due', cat IS NOT NULL AND (rules.rules IS NULL OR rules.stale
                                      OR rules.fetched_at < now() - ocop_rules_ttl()),
    'category', cat, 'waiting', waiting, 'uploads', uploads,
    'content', jsonb_build_object('category_id', cat, 'brand_id', coalesce(brand->>'id', ''),
                                  'brand_name', coalesce(brand->>'name', ''),
                                  'attrs', coalesce(attrs, '[]'), 'images', images,
                                  'certification_id', cert_id),
    'sig', ocop_content_sig(r.product_id, r.marketplace, r.stars));
END $$;

-- ---- what ocopd records while it prepares a send ---------------------------

-- Images to read and check, once per source however many products name
-- it: never checked, or checked longer ago than p_rescan (the file or URL
-- may have changed).
DROP FUNCTION IF EXISTS ocop_media_due(integer, interval);
CREATE FUNCTION ocop_media_due(p_limit integer, p_rescan interval)
RETURNS TABLE (source text)
LANGUAGE sql STABLE AS $$
  SELECT i.source FROM product_image i
   WHERE i.checked_at IS NULL OR (p_rescan IS NOT NULL AND i.checked_at < now() - p_rescan)
   GROUP BY i.source
   ORDER BY min(i.checked_at) NULLS FIRST, min(i.id)
   LIMIT p_limit
$$;

-- Records what reading a source found, for every image that names it: its
-- checked bytes (kept once per hash), or why it cannot be used. An image
-- unchanged since its last check changes nothing but its check time, so it
-- queues no job.
CREATE OR REPLACE FUNCTION ocop_media_checked(p_source text, p_sha256 text, p_format text,
                                              p_width integer, p_height integer, p_data bytea,
                                              p_problem text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF p_sha256 IS NOT NULL THEN
    INSERT INTO media (sha256, format, width, height, bytes, data)
    VALUES (p_sha256, p_format, p_width, p_height, octet_length(p_data), p_data)
    ON CONFLICT (sha256) DO NOTHING;
  END IF;
  UPDATE product_image SET checked_at = now() WHERE source = p_source
     AND sha256 IS NOT DISTINCT FROM p_sha256 AND problem IS NOT DISTINCT FROM p_problem;
  UPDATE product_image SET sha256 = p_sha256, problem = p_problem, checked_at = now()
   WHERE source = p_source
     AND (sha256 IS DISTINCT FROM p_sha256 OR problem IS DISTINCT FROM p_problem);
END $$;

CREATE OR REPLACE FUNCTION ocop_record_upload(p_shop bigint, p_sha256 text, p_certificate boolean,
                                              p_remote_id text, p_url text)
RETURNS void
LANGUAGE sql AS $$
  INSERT INTO image_upload (shop_id, sha256, certificate, remote_id, url)
  VALUES (p_shop, p_sha256, p_certificate, coalesce(p_remote_id, ''), coalesce(p_url, ''))
  ON CONFLICT (shop_id, sha256, certificate)
  DO UPDATE SET remote_id = EXCLUDED.remote_id, url = EXCLUDED.url, uploaded_at = now()
$$;

CREATE OR REPLACE FUNCTION ocop_store_rules(p_shop bigint, p_category text, p_rules jsonb)
RETURNS void
LANGUAGE sql AS $$
  INSERT INTO category_rules (shop_id, remote_category, rules)
  VALUES (p_shop, p_category, p_rules)
  ON CONFLICT (shop_id, remote_category)
  DO UPDATE SET rules = EXCLUDED.rules, fetched_at = now(), stale = false
$$;

-- ---- triggers: a change of content re-derives the jobs --------------------

CREATE OR REPLACE FUNCTION ocop_sync_content_products() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  products bigint[] := ARRAY(SELECT DISTINCT product_id FROM changed);
BEGIN
  -- ocop_sync_later (sync.sql): a bulk change may sync at its end.
  IF NOT ocop_sync_later(products) THEN
    PERFORM ocop_sync(products, NULL);
  END IF;
  RETURN NULL;
END $$;

-- New or replaced images are read at once: ocopd's media reader listens
-- (daemon/main.c, payload 'media').
CREATE OR REPLACE FUNCTION ocop_sync_product_images() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  products bigint[] := ARRAY(SELECT DISTINCT product_id FROM changed);
BEGIN
  IF NOT ocop_sync_later(products) THEN
    PERFORM ocop_sync(products, NULL);
  END IF;
  IF EXISTS (SELECT 1 FROM changed WHERE checked_at IS NULL) THEN
    PERFORM pg_notify('ocop_outbox', 'media');
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_sync_category_map() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ocop_sync(ARRAY(SELECT p.id FROM product p
                           WHERE p.category_code IN (SELECT category_code FROM changed)), NULL);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ocop_sync_everything() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ocop_sync(NULL, NULL);
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER product_image_sync_ins AFTER INSERT ON product_image
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_product_images();
CREATE OR REPLACE TRIGGER product_image_sync_upd AFTER UPDATE ON product_image
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_product_images();
CREATE OR REPLACE TRIGGER product_image_sync_del AFTER DELETE ON product_image
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_content_products();
CREATE OR REPLACE TRIGGER product_attribute_sync_ins AFTER INSERT ON product_attribute
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_content_products();
CREATE OR REPLACE TRIGGER product_attribute_sync_upd AFTER UPDATE ON product_attribute
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_content_products();
CREATE OR REPLACE TRIGGER product_attribute_sync_del AFTER DELETE ON product_attribute
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_content_products();
CREATE OR REPLACE TRIGGER product_category_sync_ins AFTER INSERT ON product_category
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_content_products();
CREATE OR REPLACE TRIGGER product_category_sync_upd AFTER UPDATE ON product_category
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_content_products();
CREATE OR REPLACE TRIGGER product_category_sync_del AFTER DELETE ON product_category
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_content_products();
CREATE OR REPLACE TRIGGER category_map_sync_ins AFTER INSERT ON category_map
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_category_map();
CREATE OR REPLACE TRIGGER category_map_sync_upd AFTER UPDATE ON category_map
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_category_map();
CREATE OR REPLACE TRIGGER category_map_sync_del AFTER DELETE ON category_map
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_category_map();
CREATE OR REPLACE TRIGGER attribute_map_sync_ins AFTER INSERT ON attribute_map
  FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_everything();
CREATE OR REPLACE TRIGGER attribute_map_sync_upd AFTER UPDATE ON attribute_map
  FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_everything();
CREATE OR REPLACE TRIGGER attribute_map_sync_del AFTER DELETE ON attribute_map
  FOR EACH STATEMENT EXECUTE FUNCTION ocop_sync_everything();
