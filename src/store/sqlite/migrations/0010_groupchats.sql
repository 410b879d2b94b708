-- Customer groups (spec §10.6). A group's member_list and admin_list are JSON text: they are read and
-- rewritten whole (a group has at most a few thousand members and changes only when its owner does),
-- never queried member by member.
CREATE TABLE groupchats (
  corpid TEXT NOT NULL REFERENCES corps(corpid) ON DELETE CASCADE,
  chat_id TEXT NOT NULL,
  name TEXT NOT NULL,
  owner TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  notice TEXT NOT NULL,
  members TEXT NOT NULL,            -- JSON array of {userid, type, join_time, join_scene, invitor, group_nickname}
  admins TEXT NOT NULL,             -- JSON array of userids
  inherited INTEGER NOT NULL DEFAULT 0,  -- 1 once a resigned owner's inheritance completed (status 3)
  PRIMARY KEY (corpid, chat_id)
);
CREATE INDEX groupchats_by_owner ON groupchats (corpid, owner, chat_id);

CREATE TABLE group_transfers (
  id INTEGER PRIMARY KEY,
  corpid TEXT NOT NULL,
  chat_id TEXT NOT NULL,
  kind TEXT NOT NULL,               -- groupchat_onjob, groupchat_resigned
  handover_userid TEXT NOT NULL,
  takeover_userid TEXT NOT NULL,
  status INTEGER NOT NULL,          -- 1 done, 2 in progress
  started_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  ended_at INTEGER
);
-- Group transfers take their id from the customer transfers' AUTOINCREMENT counter (PostgreSQL: the same
-- sequence), so every transfer of any kind has one stable id and the history (spec §10.8) pages all kinds
-- by one ascending id. The counter row exists once any transfer was inserted; the first statement makes it.
-- One line: migrate.ts splits statements at a ';' that ends a line.
CREATE TRIGGER group_transfers_shared_id AFTER INSERT ON group_transfers BEGIN INSERT INTO sqlite_sequence (name, seq) SELECT 'transfers', COALESCE((SELECT MAX(id) FROM transfers), 0) WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'transfers'); UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT MAX(id) FROM transfers), 0)) + 1 WHERE name = 'transfers'; UPDATE group_transfers SET id = (SELECT seq FROM sqlite_sequence WHERE name = 'transfers') WHERE id = NEW.id; END;
-- The database itself guarantees one inheritance in progress per group.
CREATE UNIQUE INDEX group_transfers_one_in_progress ON group_transfers (corpid, chat_id) WHERE status = 2;
CREATE INDEX group_transfers_due ON group_transfers (due_at, id) WHERE status = 2;
CREATE INDEX group_transfers_by_chat ON group_transfers (corpid, chat_id, started_at);
CREATE INDEX group_transfers_by_handover ON group_transfers (corpid, handover_userid, started_at);
