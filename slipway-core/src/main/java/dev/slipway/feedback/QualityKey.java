package dev.slipway.feedback;

/**
 * One series of quality metrics: the predictions an endpoint got from one model version as one variant. Bounded in
 * number by the versions served, so usable as metric tags.
 */
public record QualityKey(String endpoint, String model, String version, String variant) {}
