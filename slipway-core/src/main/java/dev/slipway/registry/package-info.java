/**
 * The model registry: numbered versions with their files in a content-addressed store, push metadata, aliases and an
 * append-only audit log, in a SQLite file or PostgreSQL ({@link dev.slipway.registry.ModelRegistry}); and serving from
 * it ({@link dev.slipway.registry.RegistrySource}, kept in step by {@link dev.slipway.registry.RegistryWatcher}).
 */
@NullMarked
package dev.slipway.registry;

import org.jspecify.annotations.NullMarked;
