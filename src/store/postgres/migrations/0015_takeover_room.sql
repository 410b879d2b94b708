-- Issue 13: a transfer call in a shared transaction (group commit) reserves its takeover's places in the
-- same round trip as the COMMIT, so the member's row is locked only through the commit. Nothing can look at
-- the answer in between, so a reservation that would pass the cap must fail the transaction instead of
-- changing no row: it casts the room left (cap − load after) to this domain, which refuses a negative one
-- (SQLSTATE 23514), and the group runs again, each call alone, where the conditional reservation decides.
CREATE DOMAIN takeover_room AS BIGINT CHECK (VALUE >= 0);
