package io.glaux.coordinator.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

class TestJoinTokens
{
    private static final String PIN = "sha256:" + "x".repeat(43);

    /** A clock the test moves by hand. */
    private static final class ManualClock
            extends Clock
    {
        private Instant now = Instant.parse("2026-12-07T12:00:00Z");

        @Override
        public java.time.ZoneId getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone)
        {
            return this;
        }

        @Override
        public Instant instant()
        {
            return now;
        }
    }

    @Test
    void aTokenJoinsAsOftenAsMintedUntilItExpires()
    {
        ManualClock clock = new ManualClock();
        JoinTokens tokens = new JoinTokens(clock, PIN);
        JoinTokens.Minted twice = tokens.mint(Duration.ofMinutes(10), 2, Optional.empty());
        assertThat(twice.toString()).doesNotContain(twice.token().split("\\.")[2]);
        tokens.redeem(twice.token(), "w1");
        tokens.redeem(twice.token(), "w2");
        assertRefused(tokens, twice.token(), "w3", "already used");

        JoinTokens.Minted once = tokens.mint(Duration.ofMinutes(10), 1, Optional.empty());
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        assertRefused(tokens, once.token(), "w4", "expired at 2026-12-07T12:10:00Z");
    }

    @Test
    void forgedMalformedForeignAndMisboundTokensAreRefused()
    {
        JoinTokens tokens = new JoinTokens(new ManualClock(), PIN);
        JoinTokens.Minted minted = tokens.mint(Duration.ofMinutes(10), 1, Optional.of("w1"));
        String[] parts = minted.token().split("\\.");
        assertRefused(tokens, parts[0] + "." + parts[1] + "." + "f".repeat(32) + "." + parts[3], "w1", "not valid on this coordinator");
        assertRefused(tokens, parts[0] + ".0000abcd." + parts[2] + "." + parts[3], "w1", "not valid on this coordinator");
        assertRefused(tokens, parts[0] + "." + parts[1] + "." + parts[2] + "." + "y".repeat(43), "w1", "another cluster");
        assertRefused(tokens, "glaux-join.nonsense", "w1", "Malformed join token");
        assertRefused(tokens, null, "w1", "Malformed join token");
        assertRefused(tokens, minted.token(), "w2", "minted for node w1, not w2");
        // none of those used it up
        tokens.redeem(minted.token(), "w1");
        assertRefused(tokens, minted.token(), "w1", "already used");
    }

    @Test
    void validityAndUsesAreChecked()
    {
        JoinTokens tokens = new JoinTokens(new ManualClock(), PIN);
        assertThatThrownBy(() -> tokens.mint(Duration.ZERO, 1, Optional.empty())).hasMessageContaining("validity must be positive");
        assertThatThrownBy(() -> tokens.mint(Duration.ofMinutes(1), 0, Optional.empty())).hasMessageContaining("number of uses");
    }

    @Test
    void aPreProvisionedTokenJoinsManyNodesUntilItExpiresAndIsKeptToSaySo()
    {
        ManualClock clock = new ManualClock();
        JoinTokens tokens = new JoinTokens(clock, PIN);
        String token = JoinTokens.newToken(PIN);
        String id = tokens.register(token, clock.now.plus(Duration.ofDays(30)), 3);
        assertThat(id).isEqualTo(JoinTokens.idOf(token).orElseThrow()).isEqualTo(token.split("\\.")[1]);
        tokens.redeem(token, "worker-1");
        tokens.redeem(token, "worker-2");
        tokens.redeem(token, "worker-1");
        assertRefused(tokens, token, "worker-3", "already used");

        String second = JoinTokens.newToken(PIN);
        tokens.register(second, clock.now.plus(Duration.ofDays(1)), 10);
        tokens.redeem(second, "worker-4");
        // long past its end (minted tokens are forgotten an hour after it), and minting purges: still "expired"
        clock.now = clock.now.plus(Duration.ofDays(2));
        tokens.mint(Duration.ofMinutes(1), 1, Optional.empty());
        assertRefused(tokens, second, "worker-5", "expired at 2026-12-08T12:00:00Z");
    }

    @Test
    void usesSurviveARestart(@TempDir Path dir)
            throws Exception
    {
        ManualClock clock = new ManualClock();
        Path state = dir.resolve(JoinTokens.STATE_FILE_NAME);
        JoinTokens tokens = new JoinTokens(clock, PIN, Optional.of(state));
        String shared = JoinTokens.newToken(PIN);
        String sharedId = tokens.register(shared, clock.now.plus(Duration.ofDays(30)), 2);
        tokens.redeem(shared, "worker-1");
        JoinTokens.Minted once = tokens.mint(Duration.ofHours(1), 1, Optional.of("worker-9"));
        // the file holds no secret, and only its owner may read it
        assertThat(Files.readString(state)).doesNotContain(shared.split("\\.")[2]).doesNotContain(once.token().split("\\.")[2]);
        assertThat(Files.getPosixFilePermissions(state)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        // a restarted coordinator registers the same configured token: one use left, not two
        JoinTokens restarted = new JoinTokens(clock, PIN, Optional.of(state));
        restarted.register(shared, clock.now.plus(Duration.ofDays(30)), 2);
        assertThat(restarted.usesLeft(sharedId)).contains(1);
        restarted.redeem(shared, "worker-2");
        assertRefused(restarted, shared, "worker-3", "already used");
        // a minted token is still known, and still used once only
        restarted.redeem(once.token(), "worker-9");
        assertRefused(new JoinTokens(clock, PIN, Optional.of(state)), once.token(), "worker-9", "already used");

        // a rotated token (the configuration names another one) admits nobody any more
        JoinTokens rotated = new JoinTokens(clock, PIN, Optional.of(state));
        String next = JoinTokens.newToken(PIN);
        rotated.register(next, clock.now.plus(Duration.ofDays(30)), 5);
        assertRefused(rotated, shared, "worker-4", "is not valid on this coordinator");
        // check() says the same as redeem() without using the token
        rotated.check(next, "worker-4");
        assertThat(rotated.usesLeft(JoinTokens.idOf(next).orElseThrow())).contains(5);
    }

    @Test
    void aPreProvisionedTokenMustBeWellFormedAndNameThisCa()
    {
        JoinTokens tokens = new JoinTokens(new ManualClock(), PIN);
        Instant later = Instant.parse("2027-01-01T00:00:00Z");
        String foreign = JoinTokens.newToken("sha256:" + "y".repeat(43));
        assertThatThrownBy(() -> tokens.register(foreign, later, 5))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JOIN_TOKEN);
                    assertThat(e.getMessage()).contains("names another CA").doesNotContain(foreign.split("\\.")[2]);
                });
        assertThatThrownBy(() -> tokens.register("glaux-join.1234", later, 5)).hasMessageContaining("Malformed pre-provisioned join token");
        assertThatThrownBy(() -> tokens.register(JoinTokens.newToken(PIN), later, 0)).hasMessageContaining("number of uses");
        // nothing was registered by the failed attempts
        assertRefused(tokens, foreign, "w1", "another cluster");
    }

    private static void assertRefused(JoinTokens tokens, String token, String nodeId, String reason)
    {
        assertThatThrownBy(() -> tokens.redeem(token, nodeId))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JOIN_TOKEN);
                    assertThat(e.getMessage()).contains(reason);
                    if (token != null && token.split("\\.").length == 4) {
                        assertThat(e.getMessage()).doesNotContain(token.split("\\.")[2]);
                    }
                });
    }
}
