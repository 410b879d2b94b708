-- handover schema v1 (PostgreSQL twin of sqlite/migrations/0001_init.sql: BIGINT for INTEGER, BIGSERIAL ids). Instants are integer epoch milliseconds of the server clock in every table
-- (architecture note: the controllable clock is one number and both adapters compare time identically).
-- Booleans are 0/1 integers, JSON is text: the PostgreSQL twin uses the same representation.
-- Identifiers (corpid, userid, external_userid, …) are COLLATE "C": they compare byte by byte as in SQLite
-- (BINARY), whatever the database's default collation. With en_US.UTF-8, say, transfer_result and the
-- contact lists would page in another order than on SQLite ('wmA_b' sorts before 'wmAb' there), and a
-- cursor taken from one order would skip or repeat ids in the other.

CREATE TABLE clock_state (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  offset_ms BIGINT NOT NULL,      -- server clock = real time + offset …
  frozen_at BIGINT                -- … unless frozen at this instant
);
INSERT INTO clock_state (id, offset_ms, frozen_at) VALUES (1, 0, NULL);

CREATE TABLE corps (
  corpid TEXT COLLATE "C" PRIMARY KEY,
  name TEXT NOT NULL
);

CREATE TABLE apps (
  corpid TEXT COLLATE "C" NOT NULL REFERENCES corps(corpid) ON DELETE CASCADE,
  agentid BIGINT NOT NULL,
  secret TEXT NOT NULL,
  kind TEXT NOT NULL,
  customer_contact_callable BIGINT NOT NULL,
  permissions TEXT NOT NULL,        -- JSON array
  visible_userids TEXT NOT NULL,    -- JSON array, ["*"] = whole corp
  callback_url TEXT,
  callback_token TEXT,
  callback_aes_key TEXT,
  PRIMARY KEY (corpid, agentid)
);
CREATE UNIQUE INDEX apps_secret ON apps (corpid, secret);

CREATE TABLE tokens (
  token TEXT PRIMARY KEY,
  corpid TEXT COLLATE "C" NOT NULL,
  agentid BIGINT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX tokens_by_app ON tokens (corpid, agentid, expires_at);

CREATE TABLE members (
  corpid TEXT COLLATE "C" NOT NULL REFERENCES corps(corpid) ON DELETE CASCADE,
  userid TEXT COLLATE "C" NOT NULL,
  name TEXT NOT NULL,
  activated BIGINT NOT NULL,
  real_name_verified BIGINT NOT NULL,
  customer_contact_enabled BIGINT NOT NULL,
  last_login_at BIGINT NOT NULL,
  customer_cap BIGINT NOT NULL,
  -- Kept by every statement that adds or removes a relation or a waiting transfer, so the cap check of
  -- spec §9.1.7 reads one row instead of counting thousands (the takeover may have 100k+ waiting).
  customer_count BIGINT NOT NULL DEFAULT 0,
  waiting_incoming BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (corpid, userid)
);

CREATE TABLE customers (
  corpid TEXT COLLATE "C" NOT NULL REFERENCES corps(corpid) ON DELETE CASCADE,
  external_userid TEXT COLLATE "C" NOT NULL,
  name TEXT NOT NULL,
  type BIGINT NOT NULL,
  corp_name TEXT,
  corp_full_name TEXT,
  position TEXT,
  avatar TEXT NOT NULL,
  gender BIGINT NOT NULL,
  unionid TEXT,
  PRIMARY KEY (corpid, external_userid)
);
CREATE INDEX customers_by_external_userid ON customers (external_userid);

CREATE TABLE relations (
  corpid TEXT COLLATE "C" NOT NULL,
  userid TEXT COLLATE "C" NOT NULL,
  external_userid TEXT COLLATE "C" NOT NULL,
  remark TEXT NOT NULL,
  description TEXT NOT NULL,
  tags TEXT NOT NULL,               -- JSON array of {group_name, tag_name, type, tag_id?}
  created_at BIGINT NOT NULL,
  add_way BIGINT NOT NULL,
  state TEXT,
  oper_userid TEXT COLLATE "C" NOT NULL,
  remark_corp_name TEXT,
  remark_mobiles TEXT NOT NULL,     -- JSON array
  PRIMARY KEY (corpid, userid, external_userid),
  FOREIGN KEY (corpid, external_userid) REFERENCES customers(corpid, external_userid) ON DELETE CASCADE
);
CREATE INDEX relations_by_customer ON relations (corpid, external_userid);

CREATE TABLE transfers (
  id BIGSERIAL PRIMARY KEY,
  corpid TEXT COLLATE "C" NOT NULL,
  external_userid TEXT COLLATE "C" NOT NULL,
  handover_userid TEXT COLLATE "C" NOT NULL,
  takeover_userid TEXT COLLATE "C" NOT NULL,
  status BIGINT NOT NULL,          -- 1 done, 2 waiting, 3 refused, 4 takeover full
  started_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  ended_at BIGINT
);
-- The database itself guarantees "no customer ever has two waiting transfers" (spec §9.1.7, issue 4).
CREATE UNIQUE INDEX transfers_one_waiting ON transfers (corpid, external_userid) WHERE status = 2;
-- (due_at, id): the claim's ORDER BY due_at, id straight from the index (SQLite gets id as the rowid).
CREATE INDEX transfers_due ON transfers (due_at, id) WHERE status = 2;
CREATE INDEX transfers_by_customer ON transfers (corpid, external_userid, started_at);
CREATE INDEX transfers_by_pair ON transfers (corpid, handover_userid, takeover_userid, external_userid, id);

CREATE TABLE messages (
  id BIGSERIAL PRIMARY KEY,
  corpid TEXT COLLATE "C" NOT NULL,
  external_userid TEXT COLLATE "C" NOT NULL,
  from_userid TEXT COLLATE "C" NOT NULL,
  content TEXT NOT NULL,
  sent_at BIGINT NOT NULL
);
CREATE INDEX messages_by_customer ON messages (corpid, external_userid, id);

-- The outbox (spec §9.5): written in the transaction of the change that causes the event.
CREATE TABLE events (
  id BIGSERIAL PRIMARY KEY,
  corpid TEXT COLLATE "C" NOT NULL,
  type TEXT NOT NULL,
  userid TEXT COLLATE "C" NOT NULL,
  external_userid TEXT COLLATE "C" NOT NULL,
  payload TEXT NOT NULL,            -- JSON object of the event's own XML fields
  created_at BIGINT NOT NULL,
  status TEXT NOT NULL,             -- pending, delivered, dead, undeliverable
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT,
  delivered_at BIGINT
);
CREATE INDEX events_pending ON events (next_attempt_at) WHERE status = 'pending';
CREATE INDEX events_by_corp ON events (corpid, id);
