package io.glaux.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

class TestCertificateRenewal
{
    @Test
    void renewsAtTwoThirdsOfTheLifetimeLeftWhenReceived()
    {
        Instant received = Instant.parse("2026-12-07T12:00:00Z");
        // a certificate backdated an hour for clock skew: its lifetime counts from when it arrived
        assertThat(io.glaux.engine.exchange.NodeKeys.renewalTime(received, received.minus(Duration.ofHours(1)), received.plusSeconds(30)))
                .isEqualTo(received.plusSeconds(20));
        // one loaded at start, five years left: renewed in three and a third years
        Instant notAfter = received.plus(Duration.ofDays(1800));
        assertThat(io.glaux.engine.exchange.NodeKeys.renewalTime(received, received.minus(Duration.ofDays(1852)), notAfter))
                .isEqualTo(received.plus(Duration.ofDays(1200)));
        // a certificate that starts later than it arrived (clock skew the other way)
        assertThat(io.glaux.engine.exchange.NodeKeys.renewalTime(received, received.plusSeconds(3), received.plusSeconds(33)))
                .isEqualTo(received.plusSeconds(23));
        // an expired one: at once
        assertThat(io.glaux.engine.exchange.NodeKeys.renewalTime(received, received.minusSeconds(60), received.minusSeconds(1))).isEqualTo(received);
    }
}
