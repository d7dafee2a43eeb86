package dev.slipway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import org.junit.jupiter.api.Test;

class TokenStoreTest {

    @Test
    void tokensAreKeptAsDigestsAndMatchedToTheirRole() {
        String reader = TokenStore.newToken();
        String admin = TokenStore.newToken();
        String text = "# comment\n" + TokenStore.entry("ann", Role.READER, reader) + "\n\n"
                + TokenStore.entry("ada", Role.ADMIN, admin);

        TokenStore store = TokenStore.parse(text, "tokens");

        assertThat(text).doesNotContain(reader).doesNotContain(admin);
        assertThat(store.authenticate(reader)).contains(new Principal("ann", Role.READER));
        assertThat(store.authenticate(admin)).contains(new Principal("ada", Role.ADMIN));
        assertThat(store.authenticate(reader + "x")).isEmpty();
        assertThat(store.authenticate("")).isEmpty();
        assertThat(TokenStore.empty().authenticate(reader)).isEmpty();
    }

    @Test
    void entriesMayBeSeparatedByCommasAsInAnEnvironmentVariable() {
        String one = TokenStore.newToken();
        String two = TokenStore.newToken();

        TokenStore store = TokenStore.parse(
                TokenStore.entry("a", Role.OPERATOR, one) + "," + TokenStore.entry("b", Role.READER, two), "env");

        assertThat(store.authenticate(two))
                .hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("b"));
    }

    @Test
    void badEntriesAreAllNamedWithoutEchoingSecrets() {
        String text = "ann:reader:nothex\nbob:root:" + "0".repeat(64) + "\nann:admin:" + "1".repeat(64)
                + "\nann:reader:" + "2".repeat(64);

        assertThatThrownBy(() -> TokenStore.parse(text, "tokens")).isInstanceOfSatisfying(SlipwayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.details()).hasSize(3);
            assertThat(e.details().get(0)).startsWith("entry 1:");
            assertThat(e.details().get(1)).startsWith("entry 2:").contains("reader, operator or admin");
            assertThat(e.details().get(2)).isEqualTo("entry 4: name 'ann' is used twice");
        });
    }

    @Test
    void rolesIncludeTheOnesBelow() {
        assertThat(Role.ADMIN.allows(Role.OPERATOR)).isTrue();
        assertThat(Role.OPERATOR.allows(Role.READER)).isTrue();
        assertThat(Role.READER.allows(Role.OPERATOR)).isFalse();
        assertThat(Role.OPERATOR.allows(Role.ADMIN)).isFalse();
    }
}
