/** The rules engine: declarative fallback models written as ordered CEL conditions with scores. */
@NullMarked
package dev.slipway.engine.rules;

import org.jspecify.annotations.NullMarked;
