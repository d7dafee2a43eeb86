/** The {@code slipway} command line: serve, validate and predict, with exit codes mapped from error codes. */
@NullMarked
package dev.slipway.cli;

import org.jspecify.annotations.NullMarked;
