package io.glaux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

class NodeCommandTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args)
    {
        return NodeCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    }

    @Test
    void helpPrintsTheUsage()
    {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("glaux node revoke NODE-ID").contains("glaux node list");
    }

    @Test
    void badCommandLinesExitWithTwoBeforeAnyRequest()
    {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing command");
        assertThat(run("revoke")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("revoke needs a NODE-ID or --serial HEX");
        assertThat(run("revoke", "worker-1", "--serial", "1f")).isEqualTo(2);
        assertThat(run("list", "worker-1")).isEqualTo(2);
        assertThat(run("drop", "worker-1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command drop");
        assertThat(run("list", "--password", "--server", "http://localhost:8080")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--password needs an https --server");
        // no GLAUX_PASSWORD and no terminal to prompt on
        assertThat(run("list", "--password", "--server", "https://localhost:1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("set GLAUX_PASSWORD");
    }

    @Test
    void anUnreachableCoordinatorExitsWithOne()
    {
        assertThat(run("list", "--server", "https://127.0.0.1:1", "--insecure")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot reach the coordinator at https://127.0.0.1:1");
    }
}
