package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one scenario of web-ui/e2e/console.e2e.mjs: playwright-core drives Debian's Chromium against a
 * coordinator, and the scenario prints one {@code RESULT <json>} line for the test to check.
 */
final class ConsoleScript
{
    private static final Path SCRIPT = Path.of("..", "web-ui", "e2e", "console.e2e.mjs").toAbsolutePath().normalize();
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConsoleScript() {}

    /** Skips the calling test when Chromium is missing outside CI; fails it in CI, where .ci/run installs it. */
    static void requireBrowser()
            throws Exception
    {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Chromium is missing at " + chromium + ": the console's browser tests need it (.ci/run installs it)");
            }
            Assumptions.abort("Chromium is not installed at " + chromium + " (apt-get install chromium)");
        }
        assertThat(SCRIPT).exists();
        Path playwright = SCRIPT.getParent().getParent().resolve("node_modules/playwright-core");
        if (!Files.isDirectory(playwright) && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("The console is not built (mvn -Dskip.npm): " + playwright + " is missing");
        }
        assertThat(playwright).exists();
        Files.createDirectories(SCREENSHOTS);
    }

    static JsonNode run(String serverUri, String scenario, String argument)
            throws Exception
    {
        List<String> command = List.of("node", SCRIPT.toString(), serverUri, scenario, SCREENSHOTS.toString(), argument);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("scenario " + scenario + " did not end in 180 s:\n" + output);
        }
        assertThat(process.exitValue()).as("scenario %s:\n%s", scenario, output).isZero();
        String line = output.lines().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("scenario " + scenario + " printed no result:\n" + output));
        return MAPPER.readTree(line.substring("RESULT ".length()));
    }
}
