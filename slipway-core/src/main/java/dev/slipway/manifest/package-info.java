/**
 * Reading model manifests ({@code model.yaml}) and checking artifact digests. {@link
 * dev.slipway.manifest.ManifestReader} reports every problem of a document at once, each with its YAML path.
 */
@NullMarked
package dev.slipway.manifest;

import org.jspecify.annotations.NullMarked;
