package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.security.Role;
import dev.slipway.security.TokenStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry commands on the sample models: the README's walkthrough, as a test. */
class RegistryCommandsIT {
    static final Path MODELS = Path.of("../examples/whatsup-logistics/models");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    record Run(int exit, String out, String err) {}

    Run run(String... args) {
        String[] withRegistry = new String[args.length + 4];
        System.arraycopy(args, 0, withRegistry, 0, args.length);
        withRegistry[args.length] = "--registry";
        withRegistry[args.length + 1] = temp.resolve("registry.db").toString();
        withRegistry[args.length + 2] = "--actor";
        withRegistry[args.length + 3] = "dana";
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SlipwayCli.run(withRegistry, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void pushPromoteAndRollBack() throws Exception {
        Run first = run("models", "push", MODELS.resolve("stall-detector/1").toString(), "--reason", "research model");
        Run second = run("models", "push", MODELS.resolve("stall-detector/2").toString(), "--alias", "candidate");
        Run promote = run("models", "alias", "stall-detector:1", "production", "--reason", "first release");
        Run next = run("models", "alias", "stall-detector:2", "production", "--reason", "onnx is faster");
        Run back = run("models", "alias", "stall-detector:1", "production", "--reason", "roll back");

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("checked: parity gate passed").contains("registered stall-detector version 1");
        assertThat(second.out()).contains("registered stall-detector version 2 as candidate");
        assertThat(promote.out()).contains("production -> stall-detector version 1");
        assertThat(next.exit()).isZero();
        assertThat(back.exit()).isZero();

        Run list = run("models", "list");
        assertThat(list.out()).containsPattern("stall-detector\\s+2\\s+2\\s+candidate=2, production=1");
        JsonNode production = JSON.readTree(
                run("models", "show", "stall-detector:production", "--json").out());
        assertThat(production.get("version").asInt()).isEqualTo(1);
        assertThat(production.get("pushedBy").asText()).isEqualTo("dana");
        JsonNode audit = JSON.readTree(
                run("audit", "--model", "stall-detector", "--json").out());
        assertThat(audit).hasSize(6);
        assertThat(audit.get(0).get("reason").asText()).isEqualTo("roll back");
        assertThat(audit.get(0).get("before").asText()).contains("\"version\":2");
        assertThat(run("audit").out()).contains("roll back").contains("first release");
    }

    @Test
    void aPushThatFailsItsChecksIsRefusedWithTheParityExitCode() throws Exception {
        Path model = temp.resolve("bad");
        Files.createDirectories(model);
        try (Stream<Path> files = Files.list(MODELS.resolve("stall-detector/1"))) {
            for (Path file : files.toList()) {
                Files.copy(file, model.resolve(file.getFileName()));
            }
        }
        Path golden = model.resolve("golden.csv");
        Files.writeString(golden, Files.readString(golden).replace(",0.9205124378204346,", ",0.5,"));

        Run push = run("models", "push", model.toString());

        assertThat(push.exit()).isEqualTo(ExitCodes.PARITY_MISMATCH);
        assertThat(push.err()).contains("is refused").contains("parity gate failed");
        assertThat(run("models", "list").out()).doesNotContain("stall-detector");
    }

    @Test
    void badReferencesAndUnknownModelsGetClearErrors() {
        Run noVersion = run("models", "alias", "stall-detector", "production");
        Run unknown = run("models", "show", "nothing-here");
        Run badAlias = run("models", "alias", "x:1", "Prod");

        assertThat(noVersion.exit()).isEqualTo(ExitCodes.DATA);
        assertThat(noVersion.err()).contains("expected: name:version");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.NO_INPUT);
        assertThat(badAlias.exit()).isEqualTo(ExitCodes.DATA);
        assertThat(badAlias.err()).contains("alias 'Prod'");
    }

    @Test
    void tokenNewPrintsATokenAndItsEntry() {
        StringWriter out = new StringWriter();
        int exit = SlipwayCli.run(
                new String[] {"token", "new", "--name", "ci-bot", "--role", "operator"},
                new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));

        assertThat(exit).isZero();
        String token = out.toString()
                .lines()
                .filter(l -> l.startsWith("token: "))
                .findFirst()
                .orElseThrow()
                .substring(7);
        String entry = out.toString()
                .lines()
                .filter(l -> l.startsWith("entry: "))
                .findFirst()
                .orElseThrow()
                .substring(7);
        assertThat(entry).startsWith("ci-bot:operator:").doesNotContain(token);
        assertThat(TokenStore.parse(entry, "test").authenticate(token))
                .hasValueSatisfying(p -> assertThat(p.role()).isEqualTo(Role.OPERATOR));
    }
}
