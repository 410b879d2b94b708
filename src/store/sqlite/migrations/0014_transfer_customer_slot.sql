-- Issue 13: one index on a customer's transfers instead of two. transfers_one_waiting (corpid, external_userid)
-- WHERE status = 2 and transfers_by_customer (corpid, external_userid, started_at) both sorted a start
-- onto a random page by its customer; every start wrote both. One unique index over
-- (corpid, external_userid, slot), where the slot is 0 for a waiting transfer and the transfer's own id
-- otherwise, does both jobs: the database still refuses a customer's second waiting transfer (two slots 0;
-- INSERT … ON CONFLICT DO NOTHING skips it, as before), and every lookup by customer — the facts of a
-- start, the quota count, a refusal's waiting transfer, the takeover engine's earlier transfers, the
-- inbox — searches its (corpid, external_userid) prefix, a customer having a handful of transfers.
-- Existing rows satisfy it: the old unique index held at most one waiting transfer per customer.
CREATE UNIQUE INDEX transfers_by_customer_slot ON transfers (corpid, external_userid, (CASE WHEN status = 2 THEN 0 ELSE id END));
DROP INDEX transfers_one_waiting;
DROP INDEX transfers_by_customer;
