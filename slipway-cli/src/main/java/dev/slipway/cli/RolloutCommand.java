package dev.slipway.cli;

import dev.slipway.api.Ticker;
import dev.slipway.config.ConfigLoader;
import dev.slipway.registry.ModelRegistry;
import dev.slipway.registry.RegistryRollouts;
import dev.slipway.rollout.Check;
import dev.slipway.rollout.EndpointPolicy;
import dev.slipway.rollout.Flags;
import dev.slipway.rollout.Judgement;
import dev.slipway.rollout.Observations;
import dev.slipway.rollout.Rollout;
import dev.slipway.rollout.RolloutController;
import dev.slipway.rollout.RolloutPlan;
import dev.slipway.rollout.RolloutPlans;
import dev.slipway.rollout.RolloutStore;
import dev.slipway.rollout.RoutingTable;
import dev.slipway.rollout.VersionStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code slipway rollout ...}: progressive delivery from the command line. Commands write to the registry; every
 * serving replica's controller and router follow within one poll interval.
 */
@Command(
        name = "rollout",
        mixinStandardHelpOptions = true,
        description = "Start, watch, promote, pause, resume, abort and roll back rollouts of an endpoint.",
        subcommands = {
            RolloutCommand.Start.class,
            RolloutCommand.Status.class,
            RolloutCommand.Promote.class,
            RolloutCommand.Pause.class,
            RolloutCommand.Resume.class,
            RolloutCommand.Abort.class,
            RolloutCommand.Rollback.class
        })
final class RolloutCommand {
    private static final int BAR = 40;

    private RolloutCommand() {}

    /** What every rollout command shares. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOptions options = new RegistryOptions();

        @Parameters(index = "0", paramLabel = "ENDPOINT", description = "the model name clients call")
        @SuppressWarnings("NullAway.Init")
        String endpoint;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why, for the audit log")
        @Nullable
        String reason;

        ModelRegistry registry() {
            return options.open();
        }

        RolloutController controller(ModelRegistry registry) {
            Clock clock = Clock.systemUTC();
            return new RolloutController(
                    new RegistryRollouts(registry, clock),
                    new Observations(Ticker.system()),
                    (model, version) -> VersionStatus.State.LOADING,
                    Flags.none(),
                    table -> {},
                    () -> {},
                    clock,
                    "cli",
                    Duration.ofSeconds(30));
        }

        Integer show(RolloutStore.Stored stored) throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            if (options.json) {
                out.println(RegistryOptions.JSON.writeValueAsString(stored));
            } else {
                print(out, stored);
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = {
                "Starts rolling a candidate version out: it loads on every replica, then follows the plan",
                "(shadow, canary steps judged against the primary) and is promoted or rolled back on evidence.",
                "Plan: --plan FILE, else the candidate manifest's rollout: section, else the endpoint's in",
                "--config, else 5 % -> 25 % -> 50 % with 5-10 minute bakes."
            })
    static final class Start extends Base {
        @Option(names = "--candidate", required = true, paramLabel = "VERSION", description = "the version to roll out")
        long candidate;

        @Option(names = "--plan", paramLabel = "FILE", description = "a rollout plan (YAML)")
        @Nullable
        Path plan;

        @Option(names = "--config", paramLabel = "FILE", description = "slipway.yaml with the endpoint's policy")
        @Nullable
        Path config;

        @Override
        public Integer call() throws IOException {
            ModelRegistry registry = registry();
            EndpointPolicy policy = config == null
                    ? EndpointPolicy.DEFAULT
                    : ConfigLoader.load(config).endpointPolicies().getOrDefault(endpoint, EndpointPolicy.DEFAULT);
            RolloutPlan chosen = RolloutPlans.choose(
                    plan == null ? null : RolloutPlans.read(plan),
                    registry.version(endpoint, Long.toString(candidate)).manifest(),
                    endpoint + ":" + candidate,
                    policy.rollout());
            return show(
                    controller(registry).start(endpoint, candidate, chosen, policy.salt(), options.actor(), reason));
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Shows the phase, weights, the latest verdict and every check's evidence.")
    static final class Status extends Base {
        @Override
        public Integer call() throws IOException {
            return show(controller(registry())
                    .status(endpoint)
                    .orElseThrow(() -> new dev.slipway.api.SlipwayException(
                            dev.slipway.api.ErrorCode.MODEL_NOT_FOUND, "endpoint '" + endpoint + "' has no rollout")));
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Promotes now, skipping the steps left.")
    static final class Promote extends Base {
        @Override
        public Integer call() throws IOException {
            return show(controller(registry()).promote(endpoint, options.actor(), reason));
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Holds the rollout where it is.")
    static final class Pause extends Base {
        @Override
        public Integer call() throws IOException {
            return show(controller(registry()).pause(endpoint, options.actor(), reason));
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = "Resumes a paused rollout; the current step observes afresh.")
    static final class Resume extends Base {
        @Override
        public Integer call() throws IOException {
            return show(controller(registry()).resume(endpoint, options.actor(), reason));
        }
    }

    @Command(
            name = "abort",
            mixinStandardHelpOptions = true,
            description = "Stops the rollout: all traffic back on the primary in one routing change.")
    static final class Abort extends Base {
        @Override
        public Integer call() throws IOException {
            return show(controller(registry()).abort(endpoint, options.actor(), reason));
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = {
                "Rolls back: an active rollout returns all traffic to its primary; with --to (or after a",
                "promotion) production and all traffic move to that version at once, without steps."
            })
    static final class Rollback extends Base {
        @Option(names = "--to", paramLabel = "VERSION", description = "the version to go back to")
        @Nullable
        Long to;

        @Override
        public Integer call() throws IOException {
            return show(controller(registry()).rollback(endpoint, to, options.actor(), reason));
        }
    }

    /** The human form of a rollout: phase, a weight bar, the verdict and its checks. */
    static void print(PrintWriter out, RolloutStore.Stored stored) {
        Rollout rollout = stored.rollout();
        RoutingTable table = stored.table();
        if (rollout.experiment() != null) {
            out.printf(
                    "%s  %s  A/B test of %d arms, control %s v%d  (routing epoch %d)%n",
                    rollout.endpoint(),
                    rollout.phase() == dev.slipway.rollout.Phase.EXPERIMENT ? "RUNNING" : rollout.phase(),
                    rollout.experiment().arms().size(),
                    rollout.experiment().control().variant(),
                    rollout.experiment().control().version(),
                    table.epoch());
        } else {
            out.printf(
                    "%s  %s%s  candidate %d vs primary %d  (routing epoch %d)%n",
                    rollout.endpoint(),
                    rollout.phase(),
                    rollout.paused() ? " (paused)" : "",
                    rollout.candidate(),
                    rollout.primary(),
                    table.epoch());
        }
        if (rollout.phase() == dev.slipway.rollout.Phase.CANARY) {
            RolloutPlan.Step step = rollout.plan().steps().get(rollout.step());
            out.printf(
                    "  step %d of %d, bake %s, at least %d requests per arm%n",
                    rollout.step() + 1, rollout.plan().steps().size(), step.bake(), step.minRequests());
        }
        for (RoutingTable.Arm arm : table.arms()) {
            out.printf(
                    "  %-8s v%-4d %s %5.1f %%%n",
                    arm.variant(), arm.version(), bar(arm.weight()), arm.weight() / 100.0);
        }
        if (table.shadow() != null) {
            out.printf(
                    "  %-8s v%-4d copies of %.1f %% of requests%n",
                    "shadow", table.shadow().version(), table.shadow().sample() / 100.0);
        }
        out.printf(
                "  started %s by %s; this step since %s%n",
                rollout.startedAt(), rollout.startedBy(), rollout.stepStartedAt());
        if (rollout.outcome() != null) {
            out.println("  " + rollout.outcome());
        }
        Judgement last = rollout.last();
        if (last == null) {
            return;
        }
        out.printf("  latest verdict: %s%s%n", last.verdict(), verdictNote(last));
        boolean experiment = rollout.experiment() != null;
        out.printf(
                "  %-24s %-13s %12s %12s %12s %10s %15s%n",
                "CHECK",
                "VERDICT",
                experiment ? "ARM" : "CANDIDATE",
                experiment ? "CONTROL" : "PRIMARY",
                "STATISTIC",
                "P-VALUE",
                experiment ? "N (ARM/CONTROL)" : "N (CAND/PRIM)");
        for (Check check : last.checks()) {
            out.printf(
                    Locale.ROOT,
                    "  %-24s %-13s %12.5g %12.5g %12.5g %10.3g %15s%n",
                    check.name(),
                    check.verdict(),
                    check.candidate(),
                    check.primary(),
                    check.statistic(),
                    check.pValue(),
                    check.candidateN() + "/" + check.primaryN());
        }
        for (Check check : last.checks()) {
            out.printf("    %s: %s%n", check.name(), check.detail());
        }
    }

    private static String verdictNote(Judgement last) {
        if (last.baked()) {
            return "";
        }
        return last.verdict() == dev.slipway.rollout.Verdict.FAIL
                ? " (before the bake ended: the evidence cleared alpha/100)"
                : " (still baking)";
    }

    private static String bar(int basisPoints) {
        int filled = (int) Math.round(basisPoints / 10_000.0 * BAR);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "]";
    }
}
