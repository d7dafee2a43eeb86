package dev.slipway.cli;

import dev.slipway.registry.AuditEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slipway audit}: the registry's append-only audit log, newest first. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Shows the registry's audit log, newest first.")
final class AuditCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init")
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    RegistryOptions options = new RegistryOptions();

    @Option(names = "--model", paramLabel = "NAME", description = "only this model's entries")
    @Nullable
    String model;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most N entries (default: 50)")
    int limit;

    @Override
    public Integer call() throws IOException {
        if (limit < 1 || limit > 100_000) {
            throw dev.slipway.api.SlipwayException.invalidInput("--limit: %d (expected: 1..100000)", limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<AuditEntry> entries = options.open().audit(model, limit);
        if (options.json) {
            out.println(RegistryOptions.JSON.writeValueAsString(entries));
            return ExitCodes.OK;
        }
        out.printf(
                "%5s  %-20s %-12s %-8s %-24s %s%n", "ID", "AT", "ACTOR", "ACTION", "MODEL:VERSION", "REASON / CHANGE");
        for (AuditEntry entry : entries) {
            String change = (entry.before() == null ? "" : entry.before() + " -> ")
                    + (entry.after() == null ? "" : entry.after());
            out.printf(
                    "%5d  %-20s %-12s %-8s %-24s %s%n",
                    entry.id(),
                    entry.at().toString().substring(0, 19),
                    entry.actor(),
                    entry.action(),
                    entry.model() + (entry.version() == null ? "" : ":" + entry.version()),
                    (entry.reason() == null ? "" : entry.reason() + "  ") + change);
        }
        return ExitCodes.OK;
    }
}
