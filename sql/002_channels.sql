-- 002_channels.sql — shops, tokens, listings, the outbox, orders and the audit trail.

-- A shop is one seller account on one marketplace. Its secrets (partner key,
-- app secret) are never stored here: ocopd reads them from its credentials
-- directory. `options` holds connector settings (category ids, logistics).
CREATE TABLE shop (
  id              bigserial PRIMARY KEY,
  name            text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  marketplace     text NOT NULL CHECK (marketplace IN ('shopee', 'lazada', 'tiktok', 'postmart')),
  mp_shop_id      text NOT NULL DEFAULT '' CHECK (length(mp_shop_id) <= 64),
  base_url        text NOT NULL DEFAULT '' CHECK (base_url = '' OR base_url ~ '^https?://[^\s/]+$'),
  app_key         text NOT NULL DEFAULT '' CHECK (length(app_key) <= 128),
  policy          text NOT NULL DEFAULT 'delist' CHECK (policy IN ('delist', 'strip')),
  stock_buffer    integer NOT NULL DEFAULT 0 CHECK (stock_buffer >= 0),
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'needs_reauth')),
  options         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object'),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (marketplace, mp_shop_id, app_key)
);

-- Access and refresh tokens of a shop. Refreshed in place, the new refresh
-- token in the same transaction as the new access token.
CREATE TABLE token (
  shop_id            bigint PRIMARY KEY REFERENCES shop (id),
  access_token       text NOT NULL DEFAULT '',
  refresh_token      text NOT NULL DEFAULT '',
  access_expires_at  timestamptz,
  refresh_expires_at timestamptz,
  refreshing_until   timestamptz, -- single-flight lease across daemons
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- What ocopd believes each marketplace shows for a product: the values it
-- last sent successfully. The desired values come from the catalogue; any
-- difference becomes an outbox job (see 003_sync.sql).
CREATE TABLE listing (
  id                bigserial PRIMARY KEY,
  shop_id           bigint NOT NULL REFERENCES shop (id),
  product_id        bigint NOT NULL REFERENCES product (id),
  item_id           text CHECK (length(item_id) <= 64),
  -- 'new': not created; 'listed': visible; 'delisted': hidden by ocopd.
  state             text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'listed', 'delisted')),
  -- Set before a create is sent, cleared when its outcome is known: a create
  -- whose outcome is unknown is resolved by a look-up by SKU, never re-sent blind.
  create_started_at timestamptz,
  sent_name         text,
  sent_description  text,
  sent_stars        smallint,      -- stars the listing claims; 0 = no claim
  sent_price        bigint,
  sent_stock        bigint,
  synced_at         timestamptz,
  lease_until       timestamptz,   -- one writer per listing at a time
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (shop_id, product_id),
  CONSTRAINT listing_item_id_when_listed CHECK (state = 'new' OR item_id IS NOT NULL)
);
CREATE UNIQUE INDEX listing_item_idx ON listing (shop_id, item_id) WHERE item_id IS NOT NULL;
CREATE INDEX listing_product_idx ON listing (product_id);

-- The outbox: one live row per (listing, kind). Rows are written by the
-- sync functions in the same transaction as the catalogue change, claimed by
-- workers with FOR UPDATE SKIP LOCKED under a lease, and kept as history.
CREATE TABLE outbox (
  id          bigserial PRIMARY KEY,
  listing_id  bigint NOT NULL REFERENCES listing (id),
  kind        text NOT NULL CHECK (kind IN ('publish', 'update', 'stock', 'price', 'delist', 'relist')),
  state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'dead', 'skipped')),
  priority    smallint NOT NULL DEFAULT 5, -- lower first: withdrawals before everything
  attempts    integer NOT NULL DEFAULT 0,
  next_at     timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  lease_owner text,
  last_error  text,
  -- What the job set out to send (ocop_job_target), recorded when claimed.
  -- A dead job blocks only a job with the same target: a new price is tried
  -- again, the same refused price is not retried in a storm.
  target      text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT outbox_running_has_lease CHECK (state <> 'running' OR lease_until IS NOT NULL)
);
-- At most one live job per listing and kind. Covering running jobs too
-- matters: a sweep whose snapshot predates a claim would otherwise queue a
-- second job for a listing being worked on. A change that arrives while a
-- job runs is queued when the job finishes (ocop_finish_job syncs).
CREATE UNIQUE INDEX outbox_live_idx ON outbox (listing_id, kind) WHERE state IN ('pending', 'running');
CREATE INDEX outbox_due_idx ON outbox (priority, next_at, id) WHERE state = 'pending';
CREATE INDEX outbox_running_idx ON outbox (lease_until) WHERE state = 'running';
CREATE INDEX outbox_listing_idx ON outbox (listing_id);
CREATE INDEX outbox_dead_idx ON outbox (listing_id, kind) WHERE state = 'dead';

-- Orders pulled back from the marketplaces.
CREATE TABLE "order" (
  id             bigserial PRIMARY KEY,
  shop_id        bigint NOT NULL REFERENCES shop (id),
  mp_order_id    text NOT NULL CHECK (length(mp_order_id) BETWEEN 1 AND 64),
  status         text NOT NULL,
  stock_effect   text NOT NULL DEFAULT 'none' CHECK (stock_effect IN ('none', 'reserved', 'sold', 'released')),
  mp_update_time timestamptz NOT NULL,
  total_vnd      bigint,
  flags          text[] NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (shop_id, mp_order_id)
);

CREATE TABLE order_line (
  id         bigserial PRIMARY KEY,
  order_id   bigint NOT NULL REFERENCES "order" (id),
  line_no    integer NOT NULL CHECK (line_no >= 1),
  sku        text NOT NULL,
  product_id bigint REFERENCES product (id), -- NULL: unknown SKU, kept and flagged
  quantity   integer NOT NULL CHECK (quantity > 0),
  unit_price bigint CHECK (unit_price >= 0),
  UNIQUE (order_id, line_no)
);
CREATE INDEX order_line_product_idx ON order_line (product_id);

-- Per-shop polling position, committed with the orders it covers.
CREATE TABLE order_cursor (
  shop_id    bigint PRIMARY KEY REFERENCES shop (id),
  polled_to  timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Webhook deliveries already seen: a replay inserts nothing.
CREATE TABLE webhook_inbox (
  provider    text NOT NULL,
  event_key   text NOT NULL,
  shop_id     bigint REFERENCES shop (id),
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, event_key)
);

-- The audit trail: append-only. Inspectors check how OCOP claims were shown,
-- so every listing action names its product, certificate, shop and reason.
CREATE TABLE event (
  id             bigserial PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  kind           text NOT NULL,
  product_id     bigint REFERENCES product (id),
  certificate_id bigint REFERENCES certificate (id),
  shop_id        bigint REFERENCES shop (id),
  listing_id     bigint REFERENCES listing (id),
  action         text,
  reason         text,
  detail         jsonb,
  dedupe_key     text
);
CREATE INDEX event_kind_at_idx ON event (kind, at);
CREATE INDEX event_product_idx ON event (product_id);
-- Some events happen once ever (an expiry warning per certificate and tier).
CREATE UNIQUE INDEX event_dedupe_idx ON event (kind, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event
  FOR EACH ROW EXECUTE FUNCTION ocop_append_only();
