-- 010_content.sql — what a listing shows besides its name and price: the
-- product's own images, its category on each marketplace, its attributes
-- and brand, checked against the category's rules before anything is sent
-- (docs/listing-content.md).
--
-- Images. The catalogue names each product's images (a file under ocopd's
-- media_dir, or an https URL); ocopd reads and checks each one
-- (daemon/media.c) and keeps its bytes once per content hash in `media`.
-- An image goes to a marketplace account once per content hash
-- (image_upload) and is sent again only when its bytes change.
--
-- Categories and attributes. OCOP categories map to each marketplace's
-- leaf category (category_map), a product may override it
-- (product_category); a category's rules (its attributes, brands,
-- certifications, required sizes) are read from the marketplace with a
-- shop's credentials and kept with their age (category_rules). Product
-- attributes are free keys (product_attribute); attribute_map names the
-- marketplace attribute each key fills ('*': every marketplace).
--
-- A listing that cannot be sent as the rules require is held: its job goes
-- to the new state 'held' and the listing keeps the reason (listing.problem)
-- until the catalogue changes and a send succeeds.

CREATE TABLE media (
  sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  format     text NOT NULL CHECK (format IN ('jpeg', 'png')),
  width      integer NOT NULL CHECK (width > 0),
  height     integer NOT NULL CHECK (height > 0),
  bytes      integer NOT NULL CHECK (bytes > 0),
  data       bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT media_bytes_match CHECK (octet_length(data) = bytes)
);

CREATE TABLE product_image (
  id         bigserial PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES product (id),
  -- 'gallery': shown on the listing in position order, the first is the
  -- main image; 'certificate': the OCOP certificate scan or star label,
  -- sent as certification evidence where a marketplace takes it.
  role       text NOT NULL DEFAULT 'gallery' CHECK (role IN ('gallery', 'certificate')),
  position   integer NOT NULL CHECK (position BETWEEN 1 AND 99),
  -- A path under media_dir (no "..", not absolute) or an https URL.
  source     text NOT NULL CHECK (length(source) BETWEEN 1 AND 2048
                                  AND (source ~ '^https://[^[:space:]]+$'
                                       OR (source !~ '^/' AND source !~ '(^|/)\.\.(/|$)'
                                           AND source !~ '[[:cntrl:]]'))),
  -- The image shows an OCOP claim (a star label, the logo): withdrawn with
  -- the other claims under the strip policy, restored on re-certification.
  claim      boolean NOT NULL DEFAULT false,
  sha256     text REFERENCES media (sha256), -- NULL until read and checked
  problem    text,                           -- why it cannot be used
  checked_at timestamptz,                    -- NULL: to be read (again)
  UNIQUE (product_id, role, position)
);
CREATE INDEX product_image_unchecked_idx ON product_image (id) WHERE checked_at IS NULL;

CREATE TABLE image_upload (
  shop_id     bigint NOT NULL REFERENCES shop (id),
  sha256      text NOT NULL REFERENCES media (sha256),
  certificate boolean NOT NULL DEFAULT false, -- TikTok uploads evidence apart
  remote_id   text NOT NULL DEFAULT '' CHECK (length(remote_id) <= 255),
  url         text NOT NULL DEFAULT '' CHECK (length(url) <= 1023),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, sha256, certificate),
  CONSTRAINT image_upload_named CHECK (remote_id <> '' OR url <> '')
);

CREATE TABLE category_map (
  marketplace     text NOT NULL CHECK (marketplace ~ '^[a-z0-9_-]{1,32}$'),
  category_code   text NOT NULL REFERENCES category (code),
  remote_category text NOT NULL CHECK (remote_category ~ '^[A-Za-z0-9_.-]{1,64}$'),
  PRIMARY KEY (marketplace, category_code)
);

CREATE TABLE product_category (
  product_id      bigint NOT NULL REFERENCES product (id),
  marketplace     text NOT NULL CHECK (marketplace ~ '^[a-z0-9_-]{1,32}$'),
  remote_category text NOT NULL CHECK (remote_category ~ '^[A-Za-z0-9_.-]{1,64}$'),
  PRIMARY KEY (product_id, marketplace)
);

CREATE TABLE product_attribute (
  product_id bigint NOT NULL REFERENCES product (id),
  key        text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,47}$'),
  value      text NOT NULL CHECK (length(value) BETWEEN 1 AND 1000 AND value = btrim(value)),
  PRIMARY KEY (product_id, key)
);

CREATE TABLE attribute_map (
  marketplace text NOT NULL CHECK (marketplace = '*' OR marketplace ~ '^[a-z0-9_-]{1,32}$'),
  key         text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,47}$' AND key <> 'brand'),
  remote_name text NOT NULL CHECK (length(remote_name) BETWEEN 1 AND 128),
  PRIMARY KEY (marketplace, key)
);
INSERT INTO attribute_map (marketplace, key, remote_name) VALUES
  ('*', 'origin', 'Country of Origin'),
  ('*', 'shelf_life', 'Shelf Life'),
  ('*', 'ingredients', 'Ingredients'),
  ('*', 'net_weight', 'Net Weight'),
  ('*', 'storage', 'Storage Condition'),
  ('*', 'material', 'Material');

CREATE TABLE category_rules (
  shop_id         bigint NOT NULL REFERENCES shop (id),
  remote_category text NOT NULL,
  rules           jsonb NOT NULL CHECK (jsonb_typeof(rules) = 'object'),
  fetched_at      timestamptz NOT NULL DEFAULT now(),
  -- A publish was refused for its content: read the rules again first.
  stale           boolean NOT NULL DEFAULT false,
  PRIMARY KEY (shop_id, remote_category)
);

-- Why a listing is held ('content': it lacks what its category requires;
-- 'strip': a withdrawal of claims could not be sent, so the listing is
-- withdrawn instead), and the content signature last sent.
ALTER TABLE listing ADD COLUMN problem text,
  ADD COLUMN problem_kind text CHECK (problem_kind IN ('content', 'strip')),
  ADD COLUMN problem_at timestamptz,
  ADD COLUMN sent_content text,
  ADD CONSTRAINT listing_problem_kind CHECK ((problem IS NULL) = (problem_kind IS NULL));

ALTER TABLE outbox DROP CONSTRAINT outbox_state_check,
  ADD CONSTRAINT outbox_state_check
    CHECK (state IN ('pending', 'running', 'done', 'dead', 'skipped', 'held'));

-- The shop-wide options that stood in for a product's own content go. A
-- shop's category becomes its marketplace's map for every product category
-- not mapped yet, so an upgraded catalogue keeps its categories; images
-- must come from the catalogue now. The shop triggers stay off while the
-- options are rewritten: nothing about what a shop carries changes.
INSERT INTO category_map (marketplace, category_code, remote_category)
SELECT DISTINCT ON (s.marketplace, c.code) s.marketplace, c.code, s.options->>'category_id'
  FROM shop s CROSS JOIN category c
 WHERE NOT c.service AND s.options->>'category_id' ~ '^[A-Za-z0-9_.-]{1,64}$'
 ORDER BY s.marketplace, c.code, s.id
ON CONFLICT DO NOTHING;

ALTER TABLE shop DISABLE TRIGGER USER;
UPDATE shop SET options = options - 'category_id' - 'image_id' - 'image_url' - 'image_uri'
 WHERE options ?| ARRAY['category_id', 'image_id', 'image_url', 'image_uri'];
ALTER TABLE shop ENABLE TRIGGER USER;

-- Connectors that take a listing's content (CATEGORY and UPLOAD_IMAGE):
-- ocopd records it with the other capabilities at start. A file channel
-- (PostMart) takes none: its listings are never held for content.
ALTER TABLE connector_caps ADD COLUMN content boolean NOT NULL DEFAULT false;

-- ocop_finish_job takes the content signature that was sent (logic/outbox.sql).
DROP FUNCTION IF EXISTS ocop_finish_job(bigint, text, text, text, text, integer, integer, text, text,
                                        smallint, jsonb);
