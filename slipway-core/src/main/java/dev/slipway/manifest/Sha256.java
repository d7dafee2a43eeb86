package dev.slipway.manifest;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests of artifact files. */
public final class Sha256 {
    private Sha256() {}

    /** The lower-case hex SHA-256 of a file's bytes. */
    public static String of(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "artifact '" + file + "' cannot be read: " + e, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Checks a file against the digest its manifest records.
     *
     * @throws SlipwayException {@code CONFIG_INVALID} naming both digests when they differ
     */
    public static void verify(Path file, String expected) {
        String actual = of(file);
        if (!actual.equals(expected)) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "artifact '" + file.getFileName() + "': sha256 " + actual + " (expected: " + expected
                            + " from the manifest; the file was changed or truncated)");
        }
    }
}
