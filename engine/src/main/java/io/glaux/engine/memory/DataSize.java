package io.glaux.engine.memory;

import java.util.Locale;

/** Renders byte counts as Trino does in messages: {@code 512B}, {@code 1.50kB}, {@code 20MB}, {@code 2.10GB}. */
public final class DataSize
{
    private DataSize() {}

    public static String format(long bytes)
    {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        if (unit == 0) {
            return bytes + "B";
        }
        if (value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%d%s", (long) value, units[unit]);
        }
        return String.format(Locale.ROOT, "%.2f%s", value, units[unit]);
    }

    /** Parses {@code 512MB}, {@code 2GB}, {@code 100kB}, {@code 1024B} or a plain byte count. */
    public static long parse(String text)
    {
        String trimmed = text.trim();
        int split = 0;
        while (split < trimmed.length() && (Character.isDigit(trimmed.charAt(split)) || trimmed.charAt(split) == '.')) {
            split++;
        }
        if (split == 0) {
            throw new IllegalArgumentException("Invalid data size '" + text + "' (examples: 512MB, 2GB)");
        }
        double number = Double.parseDouble(trimmed.substring(0, split));
        long multiplier = switch (trimmed.substring(split).trim().toUpperCase(Locale.ROOT)) {
            case "", "B" -> 1;
            case "KB" -> 1L << 10;
            case "MB" -> 1L << 20;
            case "GB" -> 1L << 30;
            case "TB" -> 1L << 40;
            default -> throw new IllegalArgumentException("Invalid data size '" + text + "' (units: B, kB, MB, GB, TB)");
        };
        return (long) (number * multiplier);
    }
}
