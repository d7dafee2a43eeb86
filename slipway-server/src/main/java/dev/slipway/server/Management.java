package dev.slipway.server;

import dev.slipway.inference.ModelLoader;
import dev.slipway.inference.ModelRepository;
import dev.slipway.observe.ServingListeners;
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
 */
public record Management(
        @Nullable ModelRegistry registry,
        ModelLoader loader,
        ModelRepository repository,
        Delivery delivery,
        ServingListeners listeners) {}
