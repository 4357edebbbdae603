-- 009_variants.sql — a product has variants; a shop has an owner and an
-- assortment.
--
-- Variants. A product (the certified thing) is sold in one or more pack
-- sizes; each is a variant with its own seller SKU, label, price, weight,
-- package size, GTIN and stock. The certificate stays with the product.
-- Every existing product becomes a product with one variant whose SKU is its
-- code, carrying its price, weight and GTIN; stock, ledger rows, order lines
-- and listings move to that variant, so an upgraded database shows the
-- marketplaces exactly what it showed before (no create, no withdrawal).
--
-- Stock rows keep their product_id next to the new variant_id: a composite
-- foreign key to variant (id, product_id) keeps the two in agreement, and
-- everything that reasons per product (eligibility, events, syncs) reads
-- it without a join.
--
-- Shops. A shop belongs to an owner: a producer (a cooperative's own shop,
-- which carries that producer's products) or the operator (owner NULL: a
-- centre's store, which carries what its assortment rules select). Every
-- existing shop carried every product; it keeps doing so through one rule
-- that selects everything.
--
-- The views and functions that read the columns this file moves are
-- dropped with them (CASCADE) and created again by the logic files
-- (sql/README.md). The ledger is append-only; its rows are rewritten here,
-- once, with the user triggers off.

CREATE TABLE variant (
  id         bigserial PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES product (id),
  sku        text NOT NULL UNIQUE CHECK (sku ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  label      text NOT NULL DEFAULT '' CHECK (length(label) <= 64 AND label = btrim(label)),
  position   integer NOT NULL DEFAULT 1 CHECK (position >= 1),
  price_vnd  bigint NOT NULL CHECK (price_vnd >= 0),
  weight_g   integer CHECK (weight_g > 0),
  gtin       text CHECK (ocop_gtin_ok(gtin)),
  length_mm  integer CHECK (length_mm > 0),
  width_mm   integer CHECK (width_mm > 0),
  height_mm  integer CHECK (height_mm > 0),
  -- false: withdrawn from the catalogue. Kept for the ledger and the
  -- orders that name it; taken off every marketplace item.
  active     boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, product_id),
  CONSTRAINT variant_package_all_or_none CHECK (num_nulls(length_mm, width_mm, height_mm) IN (0, 3))
);
CREATE INDEX variant_product_idx ON variant (product_id, position);
CREATE UNIQUE INDEX variant_label_idx ON variant (product_id, label) WHERE active;

INSERT INTO variant (product_id, sku, price_vnd, weight_g, gtin, created_at, updated_at)
SELECT id, code, price_vnd, weight_g, gtin, created_at, updated_at FROM product ORDER BY id;

-- ---- stock, per variant ----------------------------------------------------

ALTER TABLE stock_ledger DISABLE TRIGGER USER;
ALTER TABLE stock_ledger ADD COLUMN variant_id bigint;
UPDATE stock_ledger l SET variant_id = v.id FROM variant v WHERE v.product_id = l.product_id;
-- Sale and restock references name the variant now ('order:<order>:<variant>').
UPDATE stock_ledger l SET ref = 'order:' || split_part(l.ref, ':', 2) || ':' || l.variant_id
 WHERE l.ref LIKE 'order:%:%';
ALTER TABLE stock_ledger ALTER COLUMN variant_id SET NOT NULL,
  ADD CONSTRAINT stock_ledger_variant_fkey FOREIGN KEY (variant_id, product_id)
      REFERENCES variant (id, product_id);
CREATE INDEX stock_ledger_variant_idx ON stock_ledger (variant_id);
ALTER TABLE stock_ledger ENABLE TRIGGER USER;

ALTER TABLE stock_level DISABLE TRIGGER USER;
ALTER TABLE stock_level ADD COLUMN variant_id bigint;
UPDATE stock_level s SET variant_id = v.id FROM variant v WHERE v.product_id = s.product_id;
ALTER TABLE stock_level DROP CONSTRAINT stock_level_pkey CASCADE,
  ALTER COLUMN variant_id SET NOT NULL,
  ADD PRIMARY KEY (variant_id),
  ADD CONSTRAINT stock_level_variant_fkey FOREIGN KEY (variant_id, product_id)
      REFERENCES variant (id, product_id);
CREATE INDEX stock_level_product_idx ON stock_level (product_id);
ALTER TABLE stock_level ENABLE TRIGGER USER;

ALTER TABLE order_line ADD COLUMN variant_id bigint,
  ADD CONSTRAINT order_line_variant_fkey FOREIGN KEY (variant_id, product_id)
      REFERENCES variant (id, product_id);
UPDATE order_line o SET variant_id = v.id FROM variant v WHERE v.product_id = o.product_id;
ALTER TABLE order_line ADD CONSTRAINT order_line_variant_with_product
  CHECK ((variant_id IS NULL) = (product_id IS NULL));

-- ---- listings: one item per product, a row per variant on it ---------------

CREATE TABLE listing_variant (
  listing_id bigint NOT NULL REFERENCES listing (id),
  variant_id bigint NOT NULL REFERENCES variant (id),
  -- The marketplace's id of the variant (Shopee model_id, "0" for an item
  -- without models; Lazada SkuId; TikTok sku id); '' when it is on the item
  -- but its id is not known; NULL when it is not on the item.
  remote_id  text CHECK (length(remote_id) <= 64),
  sent_price bigint,
  sent_stock bigint,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (listing_id, variant_id)
);
CREATE INDEX listing_variant_variant_idx ON listing_variant (variant_id);

-- TikTok item ids were "<product_id>:<sku_id>"; the item id is now the
-- product id and the sku id is the variant's.
INSERT INTO listing_variant (listing_id, variant_id, remote_id, sent_price, sent_stock)
SELECT l.id, v.id,
       CASE WHEN l.item_id IS NULL THEN NULL
            WHEN s.marketplace = 'shopee' THEN '0'
            WHEN s.marketplace = 'tiktok' AND l.item_id LIKE '%:%' THEN split_part(l.item_id, ':', 2)
            WHEN s.marketplace = 'postmart' THEN v.sku
            ELSE '' END,
       l.sent_price, l.sent_stock
  FROM listing l
  JOIN shop s ON s.id = l.shop_id
  JOIN variant v ON v.product_id = l.product_id;
UPDATE listing l SET item_id = split_part(l.item_id, ':', 1)
  FROM shop s WHERE s.id = l.shop_id AND s.marketplace = 'tiktok' AND l.item_id LIKE '%:%';

ALTER TABLE listing DROP COLUMN sent_price CASCADE, DROP COLUMN sent_stock CASCADE;
ALTER TABLE product DROP COLUMN price_vnd CASCADE, DROP COLUMN weight_g CASCADE,
  DROP COLUMN gtin CASCADE;

ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check,
  ADD CONSTRAINT outbox_kind_check
      CHECK (kind IN ('publish', 'update', 'stock', 'price', 'delist', 'relist', 'variants'));

-- ---- shops: owners and assortments ------------------------------------------

ALTER TABLE shop ADD COLUMN owner_producer_id bigint REFERENCES producer (id);
CREATE INDEX shop_owner_idx ON shop (owner_producer_id);

-- What an operator's shop carries, and what any shop leaves out: a product
-- is carried when it belongs to the shop's owner or an include rule selects
-- it, and no exclude rule does. A rule selects every product (no selector),
-- or those of one producer, one OCOP category (a code or a group prefix such
-- as 'I.5'), a star rating and above, or one product.
CREATE TABLE assortment_rule (
  id            bigserial PRIMARY KEY,
  shop_id       bigint NOT NULL REFERENCES shop (id) ON DELETE CASCADE,
  include       boolean NOT NULL,
  producer_id   bigint REFERENCES producer (id),
  category      text CHECK (category ~ '^(I|II|III|IV|V|VI)(\.[0-9]+(\.[a-z])?)?$'),
  min_stars     smallint CHECK (min_stars BETWEEN 3 AND 5),
  product_id    bigint REFERENCES product (id),
  created_by    text NOT NULL DEFAULT '' CHECK (length(created_by) <= 200),
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT assortment_rule_one_selector
    CHECK (num_nonnulls(producer_id, category, min_stars, product_id) <= 1)
);
CREATE UNIQUE INDEX assortment_rule_unique_idx ON assortment_rule
  (shop_id, include, coalesce(producer_id, 0), coalesce(category, ''), coalesce(min_stars, 0),
   coalesce(product_id, 0));

INSERT INTO assortment_rule (shop_id, include, created_by)
SELECT id, true, 'migration 009' FROM shop;

-- Functions whose arguments or results changed: the logic files create the
-- new ones (a logic file only creates, sql/README.md).
DROP FUNCTION IF EXISTS ocop_order_ref(bigint, bigint);
DROP FUNCTION IF EXISTS ocop_finish_job(bigint, text, text, text, text, integer, integer,
                                        text, text, smallint, bigint, bigint);
DROP FUNCTION IF EXISTS ocop_reconcile_due(integer, integer);
DROP FUNCTION IF EXISTS ocop_reconcile_result(bigint, bigint);
