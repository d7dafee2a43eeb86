package dev.slipway.cli;

import dev.slipway.api.SlipwayException;
import dev.slipway.config.EnginesConfig;
import dev.slipway.inference.Engines;
import dev.slipway.inference.ModelLoader;
import dev.slipway.registry.ModelRegistry;
import dev.slipway.registry.ModelSummary;
import dev.slipway.registry.PushListener;
import dev.slipway.registry.PushOptions;
import dev.slipway.registry.RegisteredVersion;
import dev.slipway.registry.VersionFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slipway models ...}: the model registry from the command line. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Push, list, show, alias and archive model versions in the registry.",
        subcommands = {
            ModelsCommand.Push.class,
            ModelsCommand.ListModels.class,
            ModelsCommand.Show.class,
            ModelsCommand.Alias.class,
            ModelsCommand.Unalias.class,
            ModelsCommand.Archive.class
        })
final class ModelsCommand {
    private ModelsCommand() {}

    /** A {@code name:version} (or {@code name:alias}) argument. */
    record Reference(String model, String version) {
        static Reference parse(String text, boolean versionRequired) {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                if (versionRequired) {
                    throw SlipwayException.invalidInput(
                            "'%s' (expected: name:version, such as stall-detector:3)", text);
                }
                return new Reference(text, "");
            }
            return new Reference(text.substring(0, colon), text.substring(colon + 1));
        }

        long number() {
            if (!version.matches("[1-9][0-9]{0,17}")) {
                throw SlipwayException.invalidInput("version '%s' of %s (expected: a version number)", version, model);
            }
            return Long.parseLong(version);
        }
    }

    @Command(
            name = "push",
            mixinStandardHelpOptions = true,
            description = {
                "Checks a model version directory (manifest, digest, signature, parity gate) and registers it",
                "as the model's next version; refused, with nothing registered, if any check fails."
            })
    static final class Push implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOptions options = new RegistryOptions();

        @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "directory holding model.yaml and its files")
        @SuppressWarnings("NullAway.Init")
        Path directory;

        @Option(
                names = "--alias",
                paramLabel = "ALIAS",
                description = "point this alias at the new version (e.g. candidate)")
        @Nullable
        String alias;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why, for the audit log")
        @Nullable
        String reason;

        @Option(names = "--source", paramLabel = "LINK", description = "where it came from: a notebook run, a commit")
        @Nullable
        String source;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            ModelRegistry registry = options.open();
            ModelLoader validator =
                    new ModelLoader(Engines.discover(), EnginesConfig.defaults().options(), Clock.systemUTC());
            RegisteredVersion version = registry.push(
                    directory, new PushOptions(options.actor(), alias, reason, source), validator, new PushListener() {
                        @Override
                        public void validated(String summary) {
                            if (!options.json) {
                                out.println("checked: " + summary);
                            }
                        }

                        @Override
                        public void stored(List<VersionFile> files) {
                            if (!options.json) {
                                out.println("stored: " + files.size() + " files");
                            }
                        }
                    });
            if (options.json) {
                out.println(RegistryOptions.JSON.writeValueAsString(version));
            } else {
                out.printf(
                        "registered %s version %d%s%n",
                        version.model(), version.version(), alias == null ? "" : " as " + alias);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the registered models.")
    static final class ListModels implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOptions options = new RegistryOptions();

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            List<ModelSummary> models = options.open().list();
            if (options.json) {
                out.println(RegistryOptions.JSON.writeValueAsString(models));
                return ExitCodes.OK;
            }
            out.printf("%-28s %8s %7s  %s%n", "MODEL", "VERSIONS", "LATEST", "ALIASES");
            for (ModelSummary model : models) {
                out.printf(
                        "%-28s %8d %7s  %s%n",
                        model.name(),
                        model.versions(),
                        model.latest() == null ? "-" : model.latest(),
                        aliases(model.aliases()));
            }
            return ExitCodes.OK;
        }

        private static String aliases(Map<String, Long> aliases) {
            StringBuilder text = new StringBuilder();
            new java.util.TreeMap<>(aliases).forEach((alias, version) -> text.append(text.length() == 0 ? "" : ", ")
                    .append(alias)
                    .append('=')
                    .append(version));
            return text.toString();
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Shows a model's versions, or one version (name:version or name:alias) in detail.")
    static final class Show implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOptions options = new RegistryOptions();

        @Parameters(index = "0", paramLabel = "NAME[:VERSION]", description = "a model, or one version or alias of it")
        @SuppressWarnings("NullAway.Init")
        String target;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Reference reference = Reference.parse(target, false);
            ModelRegistry registry = options.open();
            if (reference.version().isEmpty()) {
                List<RegisteredVersion> versions = registry.versions(reference.model());
                if (options.json) {
                    out.println(RegistryOptions.JSON.writeValueAsString(versions));
                    return ExitCodes.OK;
                }
                out.printf(
                        "%7s  %-8s %-20s %-12s %-22s %s%n", "VERSION", "FORMAT", "PUSHED", "BY", "ALIASES", "PARITY");
                for (RegisteredVersion version : versions) {
                    out.printf(
                            "%7d  %-8s %-20s %-12s %-22s %s%n",
                            version.version(),
                            version.format(),
                            version.pushedAt().toString().substring(0, 19),
                            version.pushedBy(),
                            (version.archived() ? "[archived] " : "") + String.join(",", version.aliases()),
                            version.parity());
                }
                return ExitCodes.OK;
            }
            RegisteredVersion version = registry.version(reference.model(), reference.version());
            if (options.json) {
                out.println(RegistryOptions.JSON.writeValueAsString(version));
                return ExitCodes.OK;
            }
            out.printf(
                    "model      %s%nversion    %d%nformat     %s%npushed     %s by %s%nsource     %s%n"
                            + "aliases    %s%narchived   %s%nparity     %s%nartifact   %s%nfiles%n",
                    version.model(),
                    version.version(),
                    version.format(),
                    version.pushedAt(),
                    version.pushedBy(),
                    version.source() == null ? "-" : version.source(),
                    String.join(", ", version.aliases()),
                    version.archived(),
                    version.parity(),
                    version.artifactSha256());
            for (VersionFile file : version.files()) {
                out.printf("  %-24s %10d  %s%n", file.path(), file.size(), file.sha256());
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "alias",
            mixinStandardHelpOptions = true,
            description = {
                "Points an alias at a version: models alias stall-detector:3 production.",
                "Servers following the registry swap to it within their poll interval."
            })
    static final class Alias implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOptions options = new RegistryOptions();

        @Parameters(index = "0", paramLabel = "NAME:VERSION")
        @SuppressWarnings("NullAway.Init")
        String target;

        @Parameters(index = "1", paramLabel = "ALIAS", description = "e.g. candidate, production")
        @SuppressWarnings("NullAway.Init")
        String alias;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why, for the audit log")
        @Nullable
        String reason;

        @Override
        public Integer call() {
            Reference reference = Reference.parse(target, true);
            options.open().alias(reference.model(), reference.number(), alias, options.actor(), reason);
            spec.commandLine().getOut().printf("%s -> %s version %d%n", alias, reference.model(), reference.number());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "unalias",
            mixinStandardHelpOptions = true,
            description = "Removes an alias: models unalias stall-detector candidate.")
    static final class Unalias implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOptions options = new RegistryOptions();

        @Parameters(index = "0", paramLabel = "NAME")
        @SuppressWarnings("NullAway.Init")
        String model;

        @Parameters(index = "1", paramLabel = "ALIAS")
        @SuppressWarnings("NullAway.Init")
        String alias;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why, for the audit log")
        @Nullable
        String reason;

        @Override
        public Integer call() {
            options.open().removeAlias(model, alias, options.actor(), reason);
            spec.commandLine().getOut().printf("removed alias %s of %s%n", alias, model);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "archive",
            mixinStandardHelpOptions = true,
            description = "Archives a version (kept on record, no longer served): models archive stall-detector:2.")
    static final class Archive implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOptions options = new RegistryOptions();

        @Parameters(index = "0", paramLabel = "NAME:VERSION")
        @SuppressWarnings("NullAway.Init")
        String target;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why, for the audit log")
        @Nullable
        String reason;

        @Override
        public Integer call() {
            Reference reference = Reference.parse(target, true);
            options.open().archive(reference.model(), reference.number(), options.actor(), reason);
            spec.commandLine().getOut().printf("archived %s version %d%n", reference.model(), reference.number());
            return ExitCodes.OK;
        }
    }
}
