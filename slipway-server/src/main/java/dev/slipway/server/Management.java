package dev.slipway.server;

import dev.slipway.feedback.FeedbackService;
import dev.slipway.inference.ModelLoader;
import dev.slipway.inference.ModelRepository;
import dev.slipway.observe.ServingListeners;
import dev.slipway.payload.PayloadLog;
import dev.slipway.registry.ModelRegistry;
import dev.slipway.rollout.Delivery;
import org.jspecify.annotations.Nullable;

/**
 * What the admin API manages: the registry (when serving from one), the loader that checks pushed versions, and the
 * repository to sync after a change, so this replica follows at once rather than at its next poll.
 *
 * @param registry the registry, or {@code null} when serving a folder
 * @param loader checks pushed versions
 * @param repository the models served
 * @param delivery routing, flags and the rollout controller
 * @param listeners told of every answered request
 * @param payloadLog the payload log, or {@code null} when it is off
 * @param feedback the prediction store and label join, or {@code null} when feedback is off
 */
public record Management(
        @Nullable ModelRegistry registry,
        ModelLoader loader,
        ModelRepository repository,
        Delivery delivery,
        ServingListeners listeners,
        @Nullable PayloadLog payloadLog,
        @Nullable FeedbackService feedback) {}
