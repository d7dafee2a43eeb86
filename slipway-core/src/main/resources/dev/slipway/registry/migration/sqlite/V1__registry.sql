-- Slipway model registry, SQLite dialect (keep in step with ../postgresql/V1__registry.sql).
CREATE TABLE models (
    name        TEXT    NOT NULL PRIMARY KEY,
    created_at  BIGINT  NOT NULL,
    created_by  TEXT    NOT NULL
);

CREATE TABLE model_versions (
    model            TEXT    NOT NULL REFERENCES models (name),
    version          BIGINT  NOT NULL,
    format           TEXT    NOT NULL,
    artifact_sha256  TEXT    NOT NULL,
    manifest         TEXT    NOT NULL,
    pushed_by        TEXT    NOT NULL,
    pushed_at        BIGINT  NOT NULL,
    source           TEXT,
    parity           TEXT    NOT NULL,
    archived         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (model, version)
);

CREATE TABLE version_files (
    model    TEXT    NOT NULL,
    version  BIGINT  NOT NULL,
    path     TEXT    NOT NULL,
    sha256   TEXT    NOT NULL,
    size     BIGINT  NOT NULL,
    PRIMARY KEY (model, version, path),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE TABLE aliases (
    model       TEXT    NOT NULL,
    alias       TEXT    NOT NULL,
    version     BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    updated_by  TEXT    NOT NULL,
    PRIMARY KEY (model, alias),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            BIGINT  NOT NULL,
    actor         TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    model         TEXT,
    version       BIGINT,
    reason        TEXT,
    before_state  TEXT,
    after_state   TEXT
);
CREATE INDEX audit_log_model ON audit_log (model, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Bumped by every change serving replicas must see; they poll it.
CREATE TABLE registry_generation (
    id          INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    generation  BIGINT  NOT NULL
);
INSERT INTO registry_generation (id, generation) VALUES (1, 0);
