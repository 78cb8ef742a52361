package io.glaux.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.glaux.engine.exchange.RemoteTaskStream;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.engine.exchange.WorkerClient;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real worker process that dies (SIGKILL) or hangs (SIGSTOP) in the middle of a task. */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestWorkerProcessFailures
{
    @TempDir
    Path dir;

    private BufferAllocator root;
    private TlsMaterial coordinatorTls;
    private JavaProcesses.Child worker;

    @BeforeEach
    void setUp()
            throws Exception
    {
        root = new RootAllocator();
        coordinatorTls = TlsMaterial.loadOrCreate(dir.resolve("tls"), "coordinator", List.of());
        worker = JavaProcesses.startWorker(SlowWorkerProcess.class, List.of(dir.resolve("tls").toString(), "worker-p1"), dir.resolve("worker.err"));
    }

    @AfterEach
    void tearDown()
            throws Exception
    {
        worker.destroy();
        root.close();
    }

    @Test
    void killedWorkerIsDetectedAtOnce()
            throws Exception
    {
        try (WorkerClient client = new WorkerClient(worker.flightUri(), coordinatorTls, root, worker.nodeId())) {
            assertThat(client.ping(Duration.ofSeconds(10))).isTrue();
            try (RemoteTaskStream stream = client.execute(TestingTasks.scanAll("k1", TestingTasks.splits(4)))) {
                assertThat(stream.next()).isTrue();
                long start = System.nanoTime();
                worker.kill("KILL");
                GlauxException failure = catchThrowableOfType(GlauxException.class, () -> {
                    while (stream.next()) {
                        // drain what was in flight
                    }
                });
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.printf("SIGKILLed worker detected after %d ms: %s%n", millis, failure.getMessage());
                assertThat(failure.errorCode()).isEqualTo(ErrorCode.WORKER_FAILED);
                assertThat(failure.getMessage()).startsWith("Worker worker-p1 at " + worker.flightUri() + " failed: UNAVAILABLE");
                assertThat(millis).isLessThan(3_000);
            }
            assertThat(client.ping(Duration.ofSeconds(2))).isFalse();
        }
    }

    @Test
    void hungWorkerIsDetectedByKeepalive()
            throws Exception
    {
        try (WorkerClient client = new WorkerClient(worker.flightUri(), coordinatorTls, root, worker.nodeId())) {
            try (RemoteTaskStream stream = client.execute(TestingTasks.scanAll("h1", TestingTasks.splits(4)))) {
                assertThat(stream.next()).isTrue();
                long start = System.nanoTime();
                worker.kill("STOP");
                GlauxException failure = catchThrowableOfType(GlauxException.class, () -> {
                    while (stream.next()) {
                        // drain what was in flight
                    }
                });
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.printf("stopped (SIGSTOP) worker detected after %d ms: %s%n", millis, failure.getMessage());
                assertThat(failure.errorCode()).isEqualTo(ErrorCode.WORKER_FAILED);
                assertThat(failure.getMessage()).startsWith("Worker worker-p1 at " + worker.flightUri() + " failed: UNAVAILABLE");
                long bound = WorkerClient.KEEPALIVE_TIME.plus(WorkerClient.KEEPALIVE_TIMEOUT).toMillis() + 5_000;
                assertThat(millis).isLessThan(bound);
            }
        }
        finally {
            worker.kill("KILL");
        }
    }
}
