-- Bumped whenever corps, apps or tokens are replaced (fixture load, reset, callback change), so every
-- process can cache token → app lookups and drop them the moment they may be stale (it reads this row,
-- with the clock, on every request anyway).
ALTER TABLE clock_state ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
