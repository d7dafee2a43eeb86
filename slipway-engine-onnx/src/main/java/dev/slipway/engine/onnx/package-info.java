/** The ONNX Runtime engine: loads {@code .onnx} files and runs them on the CPU. */
@NullMarked
package dev.slipway.engine.onnx;

import org.jspecify.annotations.NullMarked;
