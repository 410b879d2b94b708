-- Issue 13: a transfer call in a shared transaction (group commit) re-counts each started customer's starts
-- in the quota window in the same statement as its takeover reservation, sent with the COMMIT (one statement
-- less a call). A count other than the one the call judged plus its own start means another transfer started
-- and ended meanwhile; nothing can look at the answer before the COMMIT, so the statement casts the number
-- of such customers to this domain, which refuses anything but 0 (SQLSTATE 23514): the group runs again,
-- each call alone, where the separate re-count withdraws exactly those starts.
CREATE DOMAIN starts_as_judged AS BIGINT CHECK (VALUE = 0);
