-- A job's bond terms (the bond its provider must have free, in the job's currency, and the share of it slashed
-- if the provider fails the job) and what was slashed to the client when it ended.
ALTER TABLE jobs ADD COLUMN min_bond BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN slash_bps BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN bond_slashed BIGINT NOT NULL DEFAULT 0;
