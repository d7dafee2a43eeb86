package dev.slipway.registry;

/**
 * One file of a registered version.
 *
 * @param path its name inside the version directory
 * @param sha256 the digest it is stored under
 * @param size its length in bytes
 */
public record VersionFile(String path, String sha256, long size) {}
