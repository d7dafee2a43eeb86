package dev.slipway.cli;

import dev.slipway.inference.Engines;
import dev.slipway.inference.ModelLoader;
import dev.slipway.registry.ModelRegistry;
import dev.slipway.registry.PushListener;
import dev.slipway.registry.PushOptions;
import dev.slipway.registry.RegistryLocation;
import dev.slipway.registry.VersionFile;
import dev.slipway.spi.EngineOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Pushes a model version and stops dead once its files are stored and before it is registered, printing STORED, so a
 * test can kill -9 it exactly there. Usage: {@code PushAndHang <registry-file> <model-dir>}.
 */
public final class PushAndHang {
    private PushAndHang() {}

    public static void main(String[] args) {
        ModelRegistry registry = ModelRegistry.open(RegistryLocation.parse(args[0], null), Clock.systemUTC());
        ModelLoader loader = new ModelLoader(Engines.discover(), EngineOptions.defaults(), Clock.systemUTC());
        registry.push(
                Path.of(args[1]), new PushOptions("crash-test", "production", null, null), loader, new PushListener() {
                    @Override
                    public void stored(List<VersionFile> files) {
                        System.out.println("STORED " + files.size());
                        System.out.flush();
                        while (true) {
                            try {
                                Thread.sleep(60_000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }
                });
    }
}
