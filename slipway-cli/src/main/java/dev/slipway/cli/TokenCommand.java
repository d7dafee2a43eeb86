package dev.slipway.cli;

import dev.slipway.security.Role;
import dev.slipway.security.TokenStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slipway token new}: makes a bearer token and the line that grants it a role. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Bearer tokens for the API.",
        subcommands = {TokenCommand.New.class})
final class TokenCommand {
    private TokenCommand() {}

    @Command(
            name = "new",
            mixinStandardHelpOptions = true,
            description = {
                "Makes a random token. Give the token to its holder; add the printed entry (its SHA-256,",
                "never the token) to the tokens file or SLIPWAY_TOKENS."
            })
    static final class New implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--name",
                required = true,
                paramLabel = "NAME",
                description = "who holds it; the audit log's actor")
        @SuppressWarnings("NullAway.Init")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "reader, operator or admin")
        @SuppressWarnings("NullAway.Init")
        String role;

        @Override
        public Integer call() {
            Role parsed;
            try {
                parsed = Role.valueOf(role.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw dev.slipway.api.SlipwayException.invalidInput(
                        "--role: '%s' (expected: reader, operator or admin)", role);
            }
            String token = TokenStore.newToken();
            String entry = TokenStore.entry(name, parsed, token);
            TokenStore.parse(entry, "--name");
            PrintWriter out = spec.commandLine().getOut();
            out.println("token: " + token);
            out.println("entry: " + entry);
            return ExitCodes.OK;
        }
    }
}
