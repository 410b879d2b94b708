-- Customer groups (spec §10.6). PostgreSQL twin of sqlite/migrations/0010_groupchats.sql.
-- A group's member_list and admin_list are JSON text: they are read and rewritten whole (a group has at
-- most a few thousand members and changes only when its owner does), never queried member by member.
CREATE TABLE groupchats (
  corpid TEXT COLLATE "C" NOT NULL REFERENCES corps(corpid) ON DELETE CASCADE,
  chat_id TEXT COLLATE "C" NOT NULL,
  name TEXT NOT NULL,
  owner TEXT COLLATE "C" NOT NULL,
  create_time BIGINT NOT NULL,
  notice TEXT NOT NULL,
  members TEXT NOT NULL,            -- JSON array of {userid, type, join_time, join_scene, invitor, group_nickname}
  admins TEXT NOT NULL,             -- JSON array of userids
  inherited BIGINT NOT NULL DEFAULT 0,  -- 1 once a resigned owner's inheritance completed (status 3)
  PRIMARY KEY (corpid, chat_id)
);
CREATE INDEX groupchats_by_owner ON groupchats (corpid, owner, chat_id);

-- Group transfers share the customer transfers' id sequence: every transfer of any kind has one stable id
-- and the history (spec §10.8) pages all kinds by one ascending id.
CREATE TABLE group_transfers (
  id BIGINT PRIMARY KEY DEFAULT nextval('transfers_id_seq'),
  corpid TEXT COLLATE "C" NOT NULL,
  chat_id TEXT COLLATE "C" NOT NULL,
  kind TEXT NOT NULL,               -- groupchat_onjob, groupchat_resigned
  handover_userid TEXT COLLATE "C" NOT NULL,
  takeover_userid TEXT COLLATE "C" NOT NULL,
  status BIGINT NOT NULL,           -- 1 done, 2 in progress
  started_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  ended_at BIGINT
);
-- The database itself guarantees one inheritance in progress per group, whatever the nodes do.
CREATE UNIQUE INDEX group_transfers_one_in_progress ON group_transfers (corpid, chat_id) WHERE status = 2;
CREATE INDEX group_transfers_due ON group_transfers (due_at, id) WHERE status = 2;
CREATE INDEX group_transfers_by_chat ON group_transfers (corpid, chat_id, started_at);
CREATE INDEX group_transfers_by_handover ON group_transfers (corpid, handover_userid, started_at);
