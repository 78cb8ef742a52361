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
     * each row's pattern is compiled, the last one kept, so a pattern repeated over consecutive rows
     * (a column of few values, a join's key) is compiled once per run of equal patterns.
     */
    static final class Dynamic
            extends BooleanEvaluator
    {
        private final ValueEvaluator value;
        private final ValueEvaluator pattern;
        private final String escape;
        private byte[] lastPattern;
        private LikePattern compiled;
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
            if (compiled == null || !java.util.Arrays.equals(lastPattern, 0, lastPattern.length, bytes, from, to)) {
                lastPattern = java.util.Arrays.copyOfRange(bytes, from, to);
                compiled = LikePattern.compile(new String(lastPattern, java.nio.charset.StandardCharsets.UTF_8), escape);
            }
            return compiled;
        }
    }
}
