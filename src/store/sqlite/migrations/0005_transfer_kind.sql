-- Transfers get a kind (issue 10): 'onjob' (在职继承) or 'resigned' (离职继承, spec §10.3). Every transfer
-- before this migration was in service. The one-waiting-transfer index stays across kinds: a customer is
-- "in transfer" whatever kind is waiting (spec §10.3, 40129).
ALTER TABLE transfers ADD COLUMN kind TEXT NOT NULL DEFAULT 'onjob';
