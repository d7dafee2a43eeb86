package dev.slipway.registry;

import java.nio.file.Path;

class SqliteRegistryTest extends RegistryContract {
    @Override
    RegistryLocation location(Path temp) {
        return RegistryLocation.parse(temp.resolve("registry/registry.db").toString(), null);
    }
}
