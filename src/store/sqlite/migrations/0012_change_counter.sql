-- The console's live updates (issue 12): every write transaction that changed a row adds 1 to one shard;
-- the sum of the shards is a version every node can poll cheaply (one 8-row read) to learn that state
-- changed, whichever process wrote it. Numbered 0012 (the issue) so that other branches' 0004+ stay free.
-- Eight shards, one picked at random per transaction, so that PostgreSQL writers on several nodes rarely
-- wait on one row lock for the moment between their bump and their commit.
CREATE TABLE change_counter (
  shard INTEGER PRIMARY KEY,
  version BIGINT NOT NULL
);
INSERT INTO change_counter (shard, version) VALUES (0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0);
