-- Outbox rows become per recipient app (issue 3): an event that several apps may receive is one row per
-- app; an event no app may receive is kept as one row with agentid NULL and status 'undeliverable', so
-- GET /admin/events still shows everything that happened.
ALTER TABLE events ADD COLUMN agentid INTEGER;
-- "Events for one customer are delivered in the order they happened": the claim looks for an earlier
-- pending row of the same (corp, app, customer), which this index answers.
CREATE INDEX events_delivery_order ON events (corpid, agentid, external_userid, id) WHERE status = 'pending';
