/**
 * The configuration file, {@code slipway.yaml}, as one tree of records with named defaults; {@link
 * dev.slipway.config.ConfigLoader} rejects a file with every problem listed.
 */
@NullMarked
package dev.slipway.config;

import org.jspecify.annotations.NullMarked;
