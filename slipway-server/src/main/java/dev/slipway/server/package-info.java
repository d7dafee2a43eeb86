/** The server lifecycle: starting the model repository, the inference executor and the protocol listeners. */
@NullMarked
package dev.slipway.server;

import org.jspecify.annotations.NullMarked;
