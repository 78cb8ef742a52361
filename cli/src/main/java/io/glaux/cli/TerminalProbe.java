package io.glaux.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Whether standard error is a terminal, and how wide it is, for the progress line in batch mode.
 * Java cannot ask this of a file descriptor itself, so on Unix it asks {@code test -t 2} and
 * {@code stty size} (what JLine's exec provider does too, without loading native code).
 */
final class TerminalProbe
{
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private TerminalProbe() {}

    static boolean stderrIsTerminal()
    {
        if (WINDOWS) {
            return System.console() != null && System.console().isTerminal();
        }
        try {
            Process process = new ProcessBuilder("test", "-t", "2")
                    .redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return process.waitFor(2, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Columns of the controlling terminal: $COLUMNS, else {@code stty size}, else 80. */
    static int columns(String columnsVariable)
    {
        if (columnsVariable != null) {
            try {
                int columns = Integer.parseInt(columnsVariable.strip());
                if (columns > 0) {
                    return columns;
                }
            }
            catch (NumberFormatException ignored) {
                // fall through
            }
        }
        if (!WINDOWS) {
            try {
                Process process = new ProcessBuilder("stty", "size")
                        .redirectInput(new File("/dev/tty"))
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                String output;
                try (InputStream stdout = process.getInputStream()) {
                    output = new String(stdout.readAllBytes(), StandardCharsets.US_ASCII).strip();
                }
                if (process.waitFor(2, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    String[] parts = output.split("\\s+");
                    if (parts.length == 2) {
                        int columns = Integer.parseInt(parts[1]);
                        if (columns > 0) {
                            return columns;
                        }
                    }
                }
            }
            catch (IOException | NumberFormatException e) {
                // fall through
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return 80;
    }
}
