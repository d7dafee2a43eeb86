package dev.slipway.registry;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Blobs in a local directory, {@code <root>/<first two hex digits>/<sha256>}. Writes go to a temporary file that is
 * flushed to disk and then renamed, so readers and crashes never see half a blob.
 */
public final class LocalArtifactStore implements ArtifactStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    /** A store rooted at {@code root}, created when missing. */
    public LocalArtifactStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("tmp"));
        } catch (IOException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID, "artifact store '" + root + "' cannot be created: " + e, e);
        }
    }

    @Override
    public Stored put(Path file) {
        Path temporary = null;
        try {
            temporary = Files.createTempFile(root.resolve("tmp"), "upload-", ".part");
            MessageDigest digest = sha256();
            long size;
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest);
                    OutputStream out = Files.newOutputStream(temporary)) {
                size = in.transferTo(out);
            }
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            Path target = blob(sha256);
            Files.createDirectories(target.getParent());
            if (Files.exists(target)) {
                Files.delete(temporary);
            } else {
                move(temporary, target);
            }
            return new Stored(sha256, size);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "cannot store '" + file + "': " + e, e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.delete(from);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void copyTo(String sha256, Path target) {
        Path source = blob(sha256);
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(source), digest);
                OutputStream out = Files.newOutputStream(target)) {
            in.transferTo(out);
        } catch (NoSuchFileException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID, "artifact " + sha256 + " is missing from the store " + root, e);
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "artifact " + sha256 + " cannot be read: " + e, e);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(sha256)) {
            deleteQuietly(target);
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "artifact " + sha256 + " in the store now has sha256 " + actual
                            + " (it was changed or truncated after it was pushed); refused");
        }
    }

    /** Where a blob lives. */
    Path blob(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a sha256: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void deleteQuietly(@org.jspecify.annotations.Nullable Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Best effort: a leftover temporary file is harmless.
        }
    }
}
