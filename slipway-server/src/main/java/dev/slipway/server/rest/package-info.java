/**
 * The REST adapter: the Open Inference Protocol v2 endpoints (health, metadata, inference, repository extension) and
 * the KServe V1 records endpoint, on Netty's HTTP codec, with JSON read and written by Jackson's streaming API.
 */
@NullMarked
package dev.slipway.server.rest;

import org.jspecify.annotations.NullMarked;
