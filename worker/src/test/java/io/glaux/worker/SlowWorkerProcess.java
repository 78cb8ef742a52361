package io.glaux.worker;

import java.nio.file.Path;
import java.util.Properties;

/**
 * A worker process over {@link SyntheticPageSourceFactory} splits that never end (one batch every
 * 10 ms): {@code SlowWorkerProcess <tls-dir> <node-id>}. Used to kill a real worker process mid-task.
 */
public final class SlowWorkerProcess
{
    private SlowWorkerProcess() {}

    public static void main(String[] args)
            throws InterruptedException
    {
        Properties properties = new Properties();
        properties.setProperty(WorkerConfig.TLS_DIR, Path.of(args[0]).toString());
        properties.setProperty(WorkerConfig.NODE_ID, args[1]);
        properties.setProperty(WorkerConfig.TASK_CONCURRENCY, "2");
        WorkerMain.Handle handle = WorkerMain.start(WorkerConfig.fromProperties(properties), new SyntheticPageSourceFactory(-1, 1000, 10));
        Runtime.getRuntime().addShutdownHook(new Thread(handle::close));
        System.out.println("worker " + handle.nodeId() + " listening on " + handle.flightUri());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
