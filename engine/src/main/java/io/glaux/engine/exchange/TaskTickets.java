package io.glaux.engine.exchange;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.fragment.FragmentCodec;
import io.glaux.engine.fragment.Task;

/**
 * The ticket of a Flight {@code DoGet} that runs a {@link Task} on a worker: the task encoded with
 * {@link FragmentCodec}. Decoding failures are {@link io.glaux.spi.error.GlauxException}s.
 */
public final class TaskTickets
{
    private TaskTickets() {}

    public static byte[] encode(Task task)
    {
        return FragmentCodec.encode(requireNonNull(task, "task is null"));
    }

    public static Task decode(byte[] ticket)
    {
        return FragmentCodec.decodeTask(requireNonNull(ticket, "ticket is null"));
    }

    /** {@code queryId.taskId}, naming the task in logs and errors. */
    public static String label(Task task)
    {
        return task.queryId() + "." + task.taskId();
    }
}
