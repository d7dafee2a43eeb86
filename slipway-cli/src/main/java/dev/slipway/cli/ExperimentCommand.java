package dev.slipway.cli;

import dev.slipway.api.SlipwayException;
import dev.slipway.registry.ModelRegistry;
import dev.slipway.rollout.RoutingTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code slipway experiment ...}: A/B(/n) tests of model versions on an endpoint. */
@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        description = "Start, report on and stop A/B tests: sticky arms, effects with intervals, sample-ratio check.",
        subcommands = {ExperimentCommand.Start.class, ExperimentCommand.Report.class, ExperimentCommand.Stop.class})
final class ExperimentCommand {
    private ExperimentCommand() {}

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = {
                "Starts an A/B test: the first --arm is the control. Trucks (routing keys) are assigned to arms",
                "by hash and stay there; every arm's version loads on every replica before traffic splits."
            })
    static final class Start extends RolloutCommand.Base {
        @Option(
                names = "--arm",
                required = true,
                paramLabel = "NAME=VERSION:PERCENT",
                description = "an arm, e.g. control=1:50 (repeat; control first; percents sum to 100)")
        List<String> arms = new ArrayList<>();

        @Option(
                names = "--min-rows",
                paramLabel = "N",
                description = "rows each arm must score before its effects count (default: ${DEFAULT-VALUE})")
        long minRows = 1000;

        @Option(names = "--salt", paramLabel = "TEXT", description = "routing salt (default: a fresh one)")
        @Nullable
        String salt;

        @Override
        public Integer call() throws IOException {
            ModelRegistry registry = registry();
            return show(controller(registry)
                    .startExperiment(endpoint, parse(arms), minRows, salt, options.actor(), reason));
        }

        static List<RoutingTable.Arm> parse(List<String> specs) {
            List<RoutingTable.Arm> parsed = new ArrayList<>();
            for (String spec : specs) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                                "([a-z][a-z0-9-]{0,28})=([1-9][0-9]{0,17}):([0-9]+(\\.[0-9]{1,2})?)")
                        .matcher(spec);
                if (!m.matches()) {
                    throw SlipwayException.invalidInput(
                            "--arm '%s' (expected: name=version:percent, such as treatment=3:50; names lower-case,"
                                    + " at most 29 characters)",
                            spec);
                }
                parsed.add(new RoutingTable.Arm(m.group(1), Long.parseLong(m.group(2)), (int)
                        Math.round(Double.parseDouble(m.group(3)) * 100)));
            }
            return parsed;
        }
    }

    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description = "Shows each arm against the control: rates, effect sizes, 95 % intervals, p-values, SRM.")
    static final class Report extends RolloutCommand.Base {
        @Override
        public Integer call() throws IOException {
            return show(controller(registry())
                    .status(endpoint)
                    .orElseThrow(() -> new SlipwayException(
                            dev.slipway.api.ErrorCode.MODEL_NOT_FOUND,
                            "endpoint '" + endpoint + "' has no experiment")));
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = "Stops the test: --winner makes that arm's version production; otherwise the control stays.")
    static final class Stop extends RolloutCommand.Base {
        @Option(names = "--winner", paramLabel = "ARM", description = "the arm whose version becomes production")
        @Nullable
        String winner;

        @Override
        public Integer call() throws IOException {
            return show(controller(registry()).stopExperiment(endpoint, winner, options.actor(), reason));
        }
    }
}
