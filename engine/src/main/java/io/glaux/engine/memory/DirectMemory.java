package io.glaux.engine.memory;

import java.lang.management.ManagementFactory;

/** The JVM's direct-memory limit ({@code -XX:MaxDirectMemorySize}, which defaults to the maximum heap). */
final class DirectMemory
{
    private DirectMemory() {}

    static long maxDirectMemory()
    {
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("-XX:MaxDirectMemorySize=")) {
                long parsed = parseSize(argument.substring("-XX:MaxDirectMemorySize=".length()));
                if (parsed > 0) {
                    return parsed;
                }
            }
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static long parseSize(String text)
    {
        try {
            char unit = Character.toLowerCase(text.charAt(text.length() - 1));
            long multiplier = switch (unit) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                case 't' -> 1L << 40;
                default -> 1;
            };
            String digits = multiplier == 1 ? text : text.substring(0, text.length() - 1);
            return Long.parseLong(digits) * multiplier;
        }
        catch (RuntimeException e) {
            return -1;
        }
    }
}
