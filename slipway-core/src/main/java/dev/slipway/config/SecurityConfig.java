package dev.slipway.config;

import dev.slipway.security.TokenStore;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Bearer-token authentication and TLS.
 *
 * <pre>
 * security:
 *   tokens-file: /etc/slipway/tokens     # name:role:sha256 per line; or the SLIPWAY_TOKENS environment variable
 *   inference: reader                    # open (default) or reader: inference needs any valid token
 *   tls-cert: /etc/slipway/tls.crt       # PEM; with tls-key, REST and gRPC serve TLS only
 *   tls-key: /etc/slipway/tls.key        # PEM, PKCS#8
 * </pre>
 *
 * <p>The admin API ({@code /admin/v1}) and the repository extension always need a token; health checks never do.
 *
 * @param tokensFile the tokens file
 * @param inference {@code open} or {@code reader}
 * @param tlsCert the server certificate chain (PEM)
 * @param tlsKey the server's private key (PEM, PKCS#8)
 */
public record SecurityConfig(
        @Nullable String tokensFile, @Nullable String inference, @Nullable String tlsCert, @Nullable String tlsKey) {
    public SecurityConfig {
        inference = inference == null ? "open" : inference;
    }

    /** No tokens from a file, open inference, no TLS. */
    public static SecurityConfig none() {
        return new SecurityConfig(null, null, null, null);
    }

    /** Whether inference needs a token. */
    public boolean inferenceProtected() {
        return "reader".equals(inference);
    }

    /** Whether TLS is configured. */
    public boolean tls() {
        return tlsCert != null && tlsKey != null;
    }

    /** The tokens: from the file when given, else from {@code SLIPWAY_TOKENS}, else none. */
    public TokenStore tokens() {
        if (tokensFile != null) {
            return TokenStore.load(Path.of(tokensFile));
        }
        String fromEnvironment = System.getenv("SLIPWAY_TOKENS");
        return fromEnvironment == null || fromEnvironment.isBlank()
                ? TokenStore.empty()
                : TokenStore.parse(fromEnvironment, "SLIPWAY_TOKENS");
    }

    void problems(String path, List<String> problems) {
        if (!"open".equals(inference) && !"reader".equals(inference)) {
            problems.add(path + ".inference: '" + inference + "' (expected: open or reader)");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            problems.add(path + ": tls-cert and tls-key go together (expected: both or neither)");
        }
        for (String file : new String[] {tokensFile, tlsCert, tlsKey}) {
            if (file != null && !java.nio.file.Files.isReadable(Path.of(file))) {
                problems.add(path + ": file '" + file + "' cannot be read");
            }
        }
    }
}
