-- Resigned members (spec §10.1): the instant a member resigned, epoch ms; NULL while in service.
ALTER TABLE members ADD COLUMN dimission_time INTEGER;
