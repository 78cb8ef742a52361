package io.glaux.engine.expr;

import org.apache.arrow.vector.VectorSchemaRoot;

/** {@code value LIKE pattern [ESCAPE escape]} over UTF-8 bytes. */
final class LikeEvaluator
        extends BooleanEvaluator
{
    private final ValueEvaluator value;
    private final LikePattern pattern;
    private int[] hits = new int[0];

    LikeEvaluator(ValueEvaluator value, LikePattern pattern)
    {
        this.value = value;
        this.pattern = pattern;
    }

    @Override
    int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out)
    {
        if (count == 0) {
            return 0;
        }
        Block block = value.evaluate(batch, positions, count);
        if (hits.length < count) {
            hits = new int[Block.grow(hits.length, count)];
        }
        int n = pattern.select(block, count, wantTrue ? 0 : 1, hits);
        return mapHits(hits, n, block, null, positions, out);
    }

    /**
     * {@code value LIKE pattern} where the pattern is computed per row ({@code url LIKE prefix || '%'}):
     * each distinct pattern is compiled once and kept in a small cache keyed by a hash of its bytes, so
     * rows that repeat or alternate among a few patterns (a column of few values, a join's key) do not
     * recompile; the pattern of the row before is checked first, without hashing.
     */
    static final class Dynamic
            extends BooleanEvaluator
    {
        static final int PATTERN_CACHE_SIZE = 64;

        private final ValueEvaluator value;
        private final ValueEvaluator pattern;
        private final String escape;
        /** Compiled patterns by a hash of their bytes (direct-mapped): rows that alternate among a few patterns compile each once. */
        private final byte[][] cachedPatterns = new byte[PATTERN_CACHE_SIZE][];
        private final LikePattern[] cachedCompiled = new LikePattern[PATTERN_CACHE_SIZE];
        private int lastSlot = -1;
        private int[] hits = new int[0];

        Dynamic(ValueEvaluator value, ValueEvaluator pattern, String escape)
        {
            this.value = value;
            this.pattern = pattern;
            this.escape = escape;
        }

        @Override
        int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out)
        {
            if (count == 0) {
                return 0;
            }
            Block values = value.evaluate(batch, positions, count);
            Block patterns = pattern.evaluate(batch, positions, count);
            if (hits.length < count) {
                hits = new int[Block.grow(hits.length, count)];
            }
            byte[] vb = values.bytes;
            int[] vo = values.offsets;
            byte[] pb = patterns.bytes;
            int[] po = patterns.offsets;
            int n = 0;
            for (int j = 0; j < count; j++) {
                if (values.isNull(j) || patterns.isNull(j)) {
                    continue;
                }
                LikePattern like = compile(pb, po[j], po[j + 1]);
                if (like.matches(vb, vo[j], vo[j + 1]) == wantTrue) {
                    hits[n++] = j;
                }
            }
            for (int i = 0; i < n; i++) {
                out[i] = positions[hits[i]];
            }
            return n;
        }

        private LikePattern compile(byte[] bytes, int from, int to)
        {
            // the pattern of the row before is the common case: no hashing
            if (lastSlot >= 0 && cached(lastSlot, bytes, from, to)) {
                return cachedCompiled[lastSlot];
            }
            int slot = (int) ByteHashing.hash(bytes, from, to) & (PATTERN_CACHE_SIZE - 1);
            if (!cached(slot, bytes, from, to)) {
                byte[] pattern = java.util.Arrays.copyOfRange(bytes, from, to);
                cachedCompiled[slot] = LikePattern.compile(new String(pattern, java.nio.charset.StandardCharsets.UTF_8), escape);
                cachedPatterns[slot] = pattern;
            }
            lastSlot = slot;
            return cachedCompiled[slot];
        }

        private boolean cached(int slot, byte[] bytes, int from, int to)
        {
            byte[] pattern = cachedPatterns[slot];
            return pattern != null && java.util.Arrays.equals(pattern, 0, pattern.length, bytes, from, to);
        }
    }
}
