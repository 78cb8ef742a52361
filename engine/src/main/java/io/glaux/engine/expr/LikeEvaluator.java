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
}
