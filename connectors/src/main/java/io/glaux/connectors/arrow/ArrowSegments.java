package io.glaux.connectors.arrow;

import static java.util.Objects.requireNonNull;

import org.apache.arrow.memory.ArrowBuf;

import java.lang.foreign.MemorySegment;

/**
 * Arrow buffers as {@link MemorySegment}s, for tight loops: a segment's accessors check bounds in a way
 * the JIT hoists out of loops, where each of ArrowBuf's checked accessors reads the reference count (a
 * volatile read per value).
 *
 * <p>The segment is made from the buffer's address ({@link MemorySegment#reinterpret(long)}, a restricted
 * method: the launchers, the benchmark and the tests run with {@code --enable-native-access=ALL-UNNAMED}),
 * not through {@code ArrowBuf.nioBuffer}, which builds a {@code DirectByteBuffer} reflectively and boxes
 * its arguments on every call. Like that buffer, the segment does not keep the Arrow buffer alive: use it
 * only while the buffer is open.
 */
public final class ArrowSegments
{
    private ArrowSegments() {}

    /** The first {@code bytes} of {@code buffer} (at most its capacity). */
    @SuppressWarnings("restricted") // reinterpret: bounded by the buffer's capacity, checked here
    public static MemorySegment of(ArrowBuf buffer, long bytes)
    {
        requireNonNull(buffer, "buffer is null");
        if (bytes < 0 || bytes > buffer.capacity()) {
            throw new IndexOutOfBoundsException("%d bytes of a buffer of %d".formatted(bytes, buffer.capacity()));
        }
        if (bytes == 0) {
            return MemorySegment.NULL;
        }
        return MemorySegment.ofAddress(buffer.memoryAddress()).reinterpret(bytes);
    }

    /** The whole of {@code buffer}. */
    public static MemorySegment of(ArrowBuf buffer)
    {
        return of(buffer, buffer.capacity());
    }
}
