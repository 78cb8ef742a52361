package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The zone keys come from a fixed table, so that nodes on different JDKs decode a packed value to the same zone. */
class TestTimeZoneKeys
{
    @Test
    void keysAreFixedByTheTable()
    {
        // keys travel between nodes: these must never change (a changed one means the table was reordered)
        assertThat(TimeZones.key("Africa/Abidjan")).isEqualTo(2048);
        assertThat(TimeZones.key("America/New_York")).isEqualTo(2218);
        assertThat(TimeZones.key("asia/kolkata")).isEqualTo(2332);
        assertThat(TimeZones.key("Europe/Berlin")).isEqualTo(2480);
        assertThat(TimeZones.name(2480)).isEqualTo("Europe/Berlin");
        assertThat(TimeZones.zoneId(2218)).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(TimeZones.key("+05:30")).isEqualTo(TimeZones.offsetMinutesKey(330));
        assertThat(TimeZones.key("UTC")).isEqualTo(TimeZones.UTC_KEY);
        assertThatThrownBy(() -> TimeZones.key("Mars/Olympus_Mons"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_FUNCTION_ARGUMENT))
                .hasMessage("Time zone not supported: Mars/Olympus_Mons");
    }

    @Test
    void theTableHoldsEveryZoneOfThisJdkOnce()
    {
        List<String> table = TimeZones.readKeyTable();
        assertThat(new HashSet<>(table)).hasSameSizeAs(table);
        assertThat(table.size()).isLessThanOrEqualTo(2048);
        // a newer JDK that knows a zone the table lacks: append it to time-zone-keys.txt (never reorder)
        Set<String> missing = new TreeSet<>(ZoneId.getAvailableZoneIds());
        missing.removeAll(table);
        assertThat(missing).as("zones of this JDK missing from time-zone-keys.txt").isEmpty();
        for (int i = 0; i < table.size(); i++) {
            // the names of UTC (Etc/UTC, Zulu, ...) are UTC itself, key 0
            assertThat(TimeZones.key(table.get(i))).as(table.get(i)).isIn(2048 + i, TimeZones.UTC_KEY);
            assertThat(TimeZones.name(2048 + i)).isEqualTo(table.get(i));
        }
        assertThat(TimeZones.key("Etc/UTC")).isEqualTo(TimeZones.UTC_KEY);
    }
}
