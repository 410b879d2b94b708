-- Issue 13: the notice a transfer call writes to its customers' inboxes (behaviour §9.2, §10.4) is one row
-- per call, shared by the call's customers through transfers.notice_id, instead of one messages row per
-- customer. A messages row cost a row plus an entry in messages_by_customer on a random page, ~15% of a
-- 100-id call's SQL time (bench figure 3, --cpu-prof with SQL timing). A customer's inbox is now its
-- transfers that carry a notice (from = handover_userid, sent = started_at, the very values the messages row
-- held), after the messages rows written before this migration, which stay as they are and are never added
-- to again. No foreign key: the notice is written once, read by id, and deleted with its corp.
CREATE TABLE notices (
  id INTEGER PRIMARY KEY,
  corpid TEXT NOT NULL,
  content TEXT NOT NULL
);
CREATE INDEX notices_by_corp ON notices (corpid, id);
ALTER TABLE transfers ADD COLUMN notice_id INTEGER;
