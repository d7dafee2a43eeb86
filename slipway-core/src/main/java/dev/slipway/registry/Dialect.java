package dev.slipway.registry;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;

/** The databases the registry runs on, and the little SQL that differs between them. */
enum Dialect {
    SQLITE("sqlite", ""),
    POSTGRESQL("postgresql", " FOR UPDATE");

    private final String migrations;
    private final String lockSuffix;

    Dialect(String migrations, String lockSuffix) {
        this.migrations = migrations;
        this.lockSuffix = lockSuffix;
    }

    static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new SlipwayException(
                ErrorCode.CONFIG_INVALID,
                "registry '" + jdbcUrl + "' (expected: a SQLite file, jdbc:sqlite:<file> or jdbc:postgresql://...)");
    }

    /** The Flyway location of this dialect's migrations. */
    String migrations() {
        return "classpath:dev/slipway/registry/migration/" + migrations;
    }

    /**
     * What turns a select into a row lock. SQLite has none: its write transactions are serialized as a whole
     * (connections begin IMMEDIATE).
     */
    String lockSuffix() {
        return lockSuffix;
    }
}
