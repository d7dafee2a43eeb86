/**
 * Test kit shared by Slipway's modules: the {@link dev.slipway.testing.EngineCompatibilityKit} every engine's tests
 * extend, a {@link dev.slipway.testing.FakeEngine} without native code, a manual clock and tiny model fixtures.
 */
@NullMarked
package dev.slipway.testing;

import org.jspecify.annotations.NullMarked;
