-- Issue 13: the notice a transfer call writes to its customers' inboxes (behaviour §9.2, §10.4) is one row
-- per call, shared by the call's customers through transfers.notice_id, instead of one messages row per
-- customer (a row plus a messages_by_customer entry on a random page each). A customer's inbox is now its
-- transfers that carry a notice (from = handover_userid, sent = started_at, the very values the messages
-- row held), after the messages rows written before this migration, which stay and are never added to.
CREATE TABLE notices (
  id BIGSERIAL PRIMARY KEY,
  corpid TEXT COLLATE "C" NOT NULL,
  content TEXT NOT NULL
);
CREATE INDEX notices_by_corp ON notices (corpid, id);
ALTER TABLE transfers ADD COLUMN notice_id BIGINT;
-- The change counter (0012) gets 64 shards, and a transaction bumps the one of its connection's backend
-- (pg_backend_pid() % 64) instead of a random one of 8: two transactions of one connection never overlap, so
-- writers wait on each other's shard (held from the bump through the commit's fsync) only when two
-- backends' pids agree mod 64, instead of whenever two of ~20 concurrent writers drew the same of 8.
INSERT INTO change_counter (shard, version) SELECT s, 0 FROM generate_series(8, 63) AS s;
