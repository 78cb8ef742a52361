package io.glaux.engine.expr;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code timestamp(p) with time zone} values, packed into one long as Trino packs its short
 * timestamp with time zone: the instant in epoch milliseconds shifted left by 12 bits, or-ed with a
 * 12-bit time zone key. One long per value keeps the type in a BigInt vector, so projection,
 * exchange, sorting and hashing treat it like any other long; ordering the packed values orders the
 * instants (the key only breaks ties). 52 bits of milliseconds reach ±71,000 years.
 *
 * <p>Keys: 0 is {@code UTC} (and every zero offset); 1 ... 1681 are the fixed offsets -14:00 ...
 * +14:00 by minute; from 2048 on, the region zones in the order of the resource
 * {@code time-zone-keys.txt} (the tz database's ids, sorted, as of JDK 25; zones added later are
 * appended). The table, not the running JDK's zone list, fixes the keys, so nodes on different JDKs
 * decode a value to the same zone; a zone the running JDK does not know cannot be named, and one
 * missing from the table is "not supported" until it is appended.
 */
public final class TimeZones
{
    public static final int UTC_KEY = 0;
    private static final int OFFSET_BASE = 1;
    private static final int MAX_OFFSET_MINUTES = 14 * 60;
    private static final int REGION_BASE = 2048;
    public static final int KEY_BITS = 12;
    private static final long KEY_MASK = (1L << KEY_BITS) - 1;
    /**
     * Clears the zone key of a packed value: what hashing and equality of {@code timestamp with time zone}
     * use, so that equal instants in different zones are one value (one group, one join key), as in Trino.
     */
    public static final long INSTANT_MASK = ~KEY_MASK;

    private static final String KEY_TABLE = "time-zone-keys.txt";
    private static final String[] REGION_IDS;
    private static final Map<String, Integer> REGION_KEYS = new HashMap<>();
    private static final ZoneRules[] RULES = new ZoneRules[1 << KEY_BITS];

    static {
        List<String> regions = readKeyTable();
        if (REGION_BASE + regions.size() > (1 << KEY_BITS)) {
            throw new IllegalStateException(KEY_TABLE + " lists " + regions.size() + " zones, more than the " + ((1 << KEY_BITS) - REGION_BASE) + " keys allow");
        }
        REGION_IDS = regions.toArray(String[]::new);
        Set<String> known = ZoneId.getAvailableZoneIds();
        for (int i = 0; i < REGION_IDS.length; i++) {
            // a zone this JDK does not know (an older tz database) keeps its key but cannot be named here
            if (known.contains(REGION_IDS[i])) {
                REGION_KEYS.put(REGION_IDS[i].toLowerCase(Locale.ROOT), REGION_BASE + i);
            }
        }
    }

    /** The zone ids of {@value #KEY_TABLE}, in key order. */
    static List<String> readKeyTable()
    {
        List<String> ids = new ArrayList<>();
        try (InputStream in = TimeZones.class.getResourceAsStream(KEY_TABLE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + KEY_TABLE);
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String id = line.strip();
                if (!id.isEmpty() && !id.startsWith("#")) {
                    ids.add(id);
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + KEY_TABLE, e);
        }
        return ids;
    }

    private TimeZones() {}

    public static long pack(long epochMillis, int zoneKey)
    {
        return (epochMillis << KEY_BITS) | zoneKey;
    }

    public static long millis(long packed)
    {
        return packed >> KEY_BITS;
    }

    public static int zoneKey(long packed)
    {
        return (int) (packed & KEY_MASK);
    }

    /** The key of a zone written as Trino accepts it: a region ({@code America/New_York}), {@code UTC}, {@code Z} or an offset ({@code +02:00}, {@code -0530}, {@code +5}). */
    public static int key(String zone)
    {
        String text = zone.strip();
        int key = keyOrInvalid(text);
        if (key < 0) {
            throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Time zone not supported: " + zone);
        }
        return key;
    }

    /** The key of {@code zone}, or -1 when it names no zone. */
    static int keyOrInvalid(String text)
    {
        if (text.isEmpty()) {
            return -1;
        }
        char first = text.charAt(0);
        if (first == '+' || first == '-') {
            return offsetKey(text);
        }
        String lower = text.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "utc", "z", "gmt", "ut", "zulu", "uct", "universal", "greenwich", "etc/utc", "etc/gmt", "etc/uct", "etc/universal", "etc/zulu",
                 "etc/greenwich", "etc/ut", "gmt0", "etc/gmt0", "etc/gmt+0", "etc/gmt-0", "gmt+0", "gmt-0" -> {
                return UTC_KEY;
            }
            default -> { }
        }
        for (String prefix : List.of("utc", "gmt", "ut")) {
            if (lower.startsWith(prefix) && lower.length() > prefix.length() && (lower.charAt(prefix.length()) == '+' || lower.charAt(prefix.length()) == '-')) {
                return offsetKey(text.substring(prefix.length()));
            }
        }
        Integer region = REGION_KEYS.get(lower);
        return region == null ? -1 : region;
    }

    /** {@code +HH:MM}, {@code +HHMM}, {@code +HH} or {@code +H}: the key of that offset. */
    private static int offsetKey(String text)
    {
        int sign = text.charAt(0) == '-' ? -1 : 1;
        String digits = text.substring(1).replace(":", "");
        if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int hours;
        int minutes;
        if (digits.length() <= 2) {
            hours = Integer.parseInt(digits);
            minutes = 0;
        }
        else if (digits.length() == 4) {
            hours = Integer.parseInt(digits.substring(0, 2));
            minutes = Integer.parseInt(digits.substring(2));
        }
        else {
            return -1;
        }
        if (minutes >= 60) {
            return -1;
        }
        int total = sign * (hours * 60 + minutes);
        if (total < -MAX_OFFSET_MINUTES || total > MAX_OFFSET_MINUTES) {
            return -1;
        }
        return offsetMinutesKey(total);
    }

    public static int offsetMinutesKey(int minutes)
    {
        return minutes == 0 ? UTC_KEY : OFFSET_BASE + minutes + MAX_OFFSET_MINUTES;
    }

    /** The zone's name as Trino prints it: {@code UTC}, {@code +02:00}, {@code America/New_York}. */
    public static String name(int key)
    {
        if (key == UTC_KEY) {
            return "UTC";
        }
        if (key < REGION_BASE) {
            int minutes = key - OFFSET_BASE - MAX_OFFSET_MINUTES;
            int abs = Math.abs(minutes);
            return (minutes < 0 ? "-" : "+") + two(abs / 60) + ":" + two(abs % 60);
        }
        return REGION_IDS[key - REGION_BASE];
    }

    private static String two(int value)
    {
        return value < 10 ? "0" + value : Integer.toString(value);
    }

    public static ZoneId zoneId(int key)
    {
        if (key == UTC_KEY) {
            return ZoneOffset.UTC;
        }
        if (key < REGION_BASE) {
            return ZoneOffset.ofTotalSeconds((key - OFFSET_BASE - MAX_OFFSET_MINUTES) * 60);
        }
        return ZoneId.of(REGION_IDS[key - REGION_BASE]);
    }

    /** The key of a Java zone (a session's time zone). */
    public static int key(ZoneId zone)
    {
        if (zone instanceof ZoneOffset offset) {
            return offset.getTotalSeconds() % 60 == 0 ? offsetMinutesKey(offset.getTotalSeconds() / 60) : UTC_KEY;
        }
        return key(zone.getId());
    }

    static ZoneRules rules(int key)
    {
        ZoneRules rules = RULES[key];
        if (rules == null) {
            try {
                rules = zoneId(key).getRules();
            }
            catch (DateTimeException e) {
                rules = ZoneOffset.UTC.getRules();
            }
            RULES[key] = rules;
        }
        return rules;
    }

    /**
     * Offsets of zones at instants, remembering the span around the last answer so that a run of
     * values in one zone and one period costs a comparison per value, with no allocation.
     */
    static final class OffsetCache
    {
        private int key = -1;
        private long from;
        private long until;
        private long offsetMillis;
        /** The names of the zones seen, as ASCII bytes, by key (made once per zone, not once per value). */
        private byte[][] names;

        /** The zone's name as Trino prints it, as ASCII bytes; the array must not be changed. */
        byte[] nameBytes(int zoneKey)
        {
            if (names == null) {
                names = new byte[1 << KEY_BITS][];
            }
            byte[] name = names[zoneKey];
            if (name == null) {
                name = name(zoneKey).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                names[zoneKey] = name;
            }
            return name;
        }

        /** The zone's offset from UTC at {@code epochMillis}, in milliseconds. */
        long offsetMillis(int zoneKey, long epochMillis)
        {
            if (zoneKey == key && epochMillis >= from && epochMillis < until) {
                return offsetMillis;
            }
            if (zoneKey < REGION_BASE) {
                key = zoneKey;
                from = Long.MIN_VALUE;
                until = Long.MAX_VALUE;
                offsetMillis = zoneKey == UTC_KEY ? 0 : (zoneKey - OFFSET_BASE - MAX_OFFSET_MINUTES) * 60_000L;
                return offsetMillis;
            }
            ZoneRules rules = rules(zoneKey);
            Instant instant = Instant.ofEpochMilli(epochMillis);
            offsetMillis = rules.getOffset(instant).getTotalSeconds() * 1000L;
            ZoneOffsetTransition previous = rules.previousTransition(instant.plusMillis(1));
            ZoneOffsetTransition next = rules.nextTransition(instant);
            from = previous == null ? Long.MIN_VALUE : previous.getInstant().toEpochMilli();
            until = next == null ? Long.MAX_VALUE : next.getInstant().toEpochMilli();
            key = zoneKey;
            return offsetMillis;
        }

        /**
         * The instant (epoch millis) of the wall-clock time {@code localMillis} in the zone; in a gap the
         * time moves forward by the gap, in an overlap the earlier offset wins (as java.time and Trino do).
         */
        long instantOf(int zoneKey, long localMillis)
        {
            if (zoneKey < REGION_BASE) {
                return localMillis - offsetMillis(zoneKey, 0);
            }
            // no transition within a day either side: one offset for the whole neighbourhood
            long offset = offsetMillis(zoneKey, localMillis - 86_400_000L);
            if (localMillis - 2 * 86_400_000L >= from && localMillis + 2 * 86_400_000L < until) {
                return localMillis - offset;
            }
            java.time.LocalDateTime local = java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(localMillis, 1000L),
                    (int) Math.floorMod(localMillis, 1000L) * 1_000_000, ZoneOffset.UTC);
            return local.atZone(zoneId(zoneKey)).toInstant().toEpochMilli();
        }
    }
}
