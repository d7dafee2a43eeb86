-- Rollouts and routing tables, one row per endpoint (keep in step with ../postgresql/V2__rollouts.sql).
-- revision grows with every write (compare-and-set); epoch grows with every routing change;
-- the lease names the one controller allowed to move the rollout.
CREATE TABLE rollouts (
    endpoint     TEXT    NOT NULL PRIMARY KEY REFERENCES models (name),
    revision     BIGINT  NOT NULL,
    epoch        BIGINT  NOT NULL,
    phase        TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    routing      TEXT    NOT NULL,
    lease_owner  TEXT,
    lease_until  BIGINT  NOT NULL DEFAULT 0,
    updated_at   BIGINT  NOT NULL
);
