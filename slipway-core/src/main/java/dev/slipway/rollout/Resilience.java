package dev.slipway.rollout;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Ticker;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A Resilience4j circuit breaker and time limiter per model version. A call the breaker refuses, that times out, or
 * that fails on the server's side counts against the version and may fall through to the next in a fallback chain; a
 * caller's mistake ({@code INVALID_INPUT} and the like) neither counts nor falls through.
 */
final class Resilience implements AutoCloseable {
    private final Clock clock;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, TimeLimiter> limiters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "slipway-time-limiter");
        thread.setDaemon(true);
        return thread;
    });

    Resilience(Clock clock) {
        this.clock = clock;
    }

    /** Runs a call through the version's breaker and time limiter. */
    <T> CompletableFuture<T> call(
            String target, EndpointPolicy policy, long startNanos, Ticker ticker, Supplier<CompletableFuture<T>> work) {
        CircuitBreaker breaker = breaker(target, policy.circuitBreaker());
        if (!breaker.tryAcquirePermission()) {
            return CompletableFuture.failedFuture(CallNotPermittedException.createCallNotPermittedException(breaker));
        }
        CompletableFuture<T> started;
        try {
            started = work.get();
        } catch (RuntimeException e) {
            breaker.releasePermission();
            throw e;
        }
        // A call answered on the caller's thread is over before any timer could fire: none is scheduled for it.
        CompletableFuture<T> limited = started.isDone()
                ? started
                : limiter(target, policy.timeoutMs())
                        .executeCompletionStage(timer, () -> started)
                        .toCompletableFuture();
        return limited.whenComplete((result, failure) -> {
            long nanos = ticker.nanos() - startNanos;
            if (failure == null) {
                breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            } else if (countsAgainst(failure)) {
                breaker.onError(nanos, TimeUnit.NANOSECONDS, unwrap(failure));
            } else {
                breaker.releasePermission();
            }
        });
    }

    /** The breaker state of a version, for status pages. */
    CircuitBreaker.State state(String target) {
        CircuitBreaker breaker = breakers.get(target);
        return breaker == null ? CircuitBreaker.State.CLOSED : breaker.getState();
    }

    /** The state of every breaker, by target, as a lower-case name ({@code closed}, {@code open}, {@code half_open}). */
    Map<String, String> states() {
        Map<String, String> states = new java.util.TreeMap<>();
        breakers.forEach((target, breaker) ->
                states.put(target, breaker.getState().name().toLowerCase(java.util.Locale.ROOT)));
        return states;
    }

    /** Whether a failure is the version's fault (and so may fall back). */
    static boolean countsAgainst(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof CallNotPermittedException || cause instanceof TimeoutException) {
            return true;
        }
        if (cause instanceof SlipwayException e) {
            ErrorCode code = e.code();
            return code == ErrorCode.ENGINE_FAILURE
                    || code == ErrorCode.DEADLINE_EXCEEDED
                    || code == ErrorCode.OVERLOADED
                    || code == ErrorCode.MODEL_NOT_READY
                    || code == ErrorCode.MODEL_NOT_FOUND
                    || code == ErrorCode.INTERNAL;
        }
        return true;
    }

    /** A failure as the protocol reports it. */
    static SlipwayException asSlipway(Throwable failure, String target) {
        Throwable cause = unwrap(failure);
        if (cause instanceof SlipwayException e) {
            return e;
        }
        if (cause instanceof CallNotPermittedException) {
            return new SlipwayException(
                    ErrorCode.MODEL_NOT_READY,
                    "model " + target + " is failing and its circuit breaker is open; no fallback answered");
        }
        if (cause instanceof TimeoutException) {
            return new SlipwayException(
                    ErrorCode.DEADLINE_EXCEEDED, "model " + target + " did not answer within its time limit", cause);
        }
        return new SlipwayException(ErrorCode.INTERNAL, "model " + target + " failed: " + cause, cause);
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private CircuitBreaker breaker(String target, EndpointPolicy.Breaker settings) {
        return breakers.computeIfAbsent(
                target,
                name -> CircuitBreaker.of(
                        name,
                        CircuitBreakerConfig.custom()
                                .failureRateThreshold((float) settings.failureRate())
                                .minimumNumberOfCalls(settings.minimumCalls())
                                .slidingWindowSize(settings.window())
                                .waitDurationInOpenState(settings.openFor())
                                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                                .recordException(Resilience::countsAgainst)
                                .clock(clock)
                                .build()));
    }

    private TimeLimiter limiter(String target, long timeoutMs) {
        return limiters.computeIfAbsent(
                target + "@" + timeoutMs,
                name -> TimeLimiter.of(
                        name,
                        TimeLimiterConfig.custom()
                                .timeoutDuration(Duration.ofMillis(timeoutMs))
                                .cancelRunningFuture(true)
                                .build()));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
