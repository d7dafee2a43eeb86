package dev.slipway.cli;

import dev.slipway.api.SlipwayException;
import dev.slipway.server.SlipwayServer;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code slipway} command. */
@Command(
        name = "slipway",
        mixinStandardHelpOptions = true,
        versionProvider = SlipwayCli.Version.class,
        description =
                "Takes machine-learning models from research into production: validate, predict, register, serve, monitor.",
        subcommands = {
            ServeCommand.class,
            ValidateCommand.class,
            PredictCommand.class,
            ModelsCommand.class,
            AuditCommand.class,
            RolloutCommand.class,
            ExperimentCommand.class,
            TokenCommand.class,
            DriftCommand.class,
            MonitoringCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SlipwayCli {

    private SlipwayCli() {}

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new SlipwayCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            if (exception instanceof SlipwayException slipway) {
                line.getErr().println("error: " + slipway.getMessage());
                return ExitCodes.of(slipway.code());
            }
            line.getErr().println("error: unexpected failure: " + exception);
            exception.printStackTrace(line.getErr());
            return ExitCodes.SOFTWARE;
        });
        return commandLine.execute(args);
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"slipway " + SlipwayServer.version()};
        }
    }
}
