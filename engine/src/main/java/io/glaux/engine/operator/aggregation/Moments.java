package io.glaux.engine.operator.aggregation;

import io.glaux.engine.expr.Block;
import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.Vectors;
import io.glaux.engine.fragment.AggregateFunction;
import org.apache.arrow.vector.FieldVector;

import java.util.Arrays;

/**
 * The aggregates computed from a count and running moments, each state a {@code row(count bigint,
 * m1 double, ...)} merged exactly (Chan's and Pébay's formulas), so they run partial/final:
 * <ul>
 *   <li>CORR, COVAR_POP, COVAR_SAMP, REGR_SLOPE, REGR_INTERCEPT(y, x): means of x and y, their sums of
 *       squared deviations and the co-moment (Welford);</li>
 *   <li>SKEWNESS, KURTOSIS(x): the mean and the second to fourth central moments (Terriberry);</li>
 *   <li>GEOMETRIC_MEAN(x): the sum of the logarithms.</li>
 * </ul>
 * Rows with a NULL argument are skipped. Results follow Trino: NULL when there are too few rows
 * (covar_pop, geometric_mean: none; covar_samp, corr, regr_*: fewer than two; skewness: three;
 * kurtosis: four) or when the result is not finite (corr and regr_* of a constant column).
 */
final class Moments
        extends Accumulator
{
    private final AggregateFunction kind;
    private final boolean[] longInputs;
    private final Block countState = new Block();
    private final Block[] momentStates;
    private long[] counts = new long[0];
    private final double[][] moments;

    Moments(AggregateFunction kind, boolean[] longInputs)
    {
        this.kind = kind;
        this.longInputs = longInputs.clone();
        this.moments = new double[stateSize(kind)][0];
        this.momentStates = new Block[moments.length];
        for (int i = 0; i < momentStates.length; i++) {
            momentStates[i] = new Block();
        }
    }

    /** How many doubles the state of {@code kind} holds after its count. */
    static int stateSize(AggregateFunction kind)
    {
        return switch (kind) {
            case CORR, COVAR_POP, COVAR_SAMP, REGR_SLOPE, REGR_INTERCEPT -> 5;
            case SKEWNESS, KURTOSIS -> 4;
            case GEOMETRIC_MEAN -> 1;
            default -> throw new IllegalArgumentException("not a moments aggregate: " + kind);
        };
    }

    @Override
    void ensureCapacity(int groups)
    {
        if (counts.length < groups) {
            int size = grow(counts.length, groups);
            counts = Arrays.copyOf(counts, size);
            for (int i = 0; i < moments.length; i++) {
                moments[i] = Arrays.copyOf(moments[i], size);
            }
        }
    }

    private static double value(Block block, boolean longInput, int row)
    {
        return longInput ? block.longs()[row] : block.doubles()[row];
    }

    @Override
    void add(int[] groups, Args args)
    {
        int count = args.count;
        long[] n = counts;
        switch (kind) {
            case CORR, COVAR_POP, COVAR_SAMP, REGR_SLOPE, REGR_INTERCEPT -> {
                Block yBlock = args.blocks[0];
                Block xBlock = args.blocks[1];
                boolean[] yNulls = yBlock.hasNull() ? yBlock.nulls() : null;
                boolean[] xNulls = xBlock.hasNull() ? xBlock.nulls() : null;
                double[] meanX = moments[0];
                double[] meanY = moments[1];
                double[] m2X = moments[2];
                double[] m2Y = moments[3];
                double[] c2 = moments[4];
                for (int j = 0; j < count; j++) {
                    if (yNulls != null && yNulls[j] || xNulls != null && xNulls[j]) {
                        continue;
                    }
                    int g = groups[j];
                    double y = value(yBlock, longInputs[0], j);
                    double x = value(xBlock, longInputs[1], j);
                    long size = ++n[g];
                    double dx = x - meanX[g];
                    double dy = y - meanY[g];
                    meanX[g] += dx / size;
                    meanY[g] += dy / size;
                    m2X[g] += dx * (x - meanX[g]);
                    m2Y[g] += dy * (y - meanY[g]);
                    c2[g] += dx * (y - meanY[g]);
                }
            }
            case SKEWNESS, KURTOSIS -> {
                Block block = args.blocks[0];
                boolean[] nulls = block.hasNull() ? block.nulls() : null;
                double[] mean = moments[0];
                double[] m2 = moments[1];
                double[] m3 = moments[2];
                double[] m4 = moments[3];
                for (int j = 0; j < count; j++) {
                    if (nulls != null && nulls[j]) {
                        continue;
                    }
                    int g = groups[j];
                    double x = value(block, longInputs[0], j);
                    double n1 = n[g];
                    double size = ++n[g];
                    double delta = x - mean[g];
                    double deltaN = delta / size;
                    double deltaN2 = deltaN * deltaN;
                    double term1 = delta * deltaN * n1;
                    mean[g] += deltaN;
                    m4[g] += term1 * deltaN2 * (size * size - 3 * size + 3) + 6 * deltaN2 * m2[g] - 4 * deltaN * m3[g];
                    m3[g] += term1 * deltaN * (size - 2) - 3 * deltaN * m2[g];
                    m2[g] += term1;
                }
            }
            case GEOMETRIC_MEAN -> {
                Block block = args.blocks[0];
                boolean[] nulls = block.hasNull() ? block.nulls() : null;
                double[] logs = moments[0];
                for (int j = 0; j < count; j++) {
                    if (nulls != null && nulls[j]) {
                        continue;
                    }
                    int g = groups[j];
                    n[g]++;
                    logs[g] += Math.log(value(block, longInputs[0], j));
                }
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    @Override
    void merge(int[] groups, FieldVector vector, int[] positions, int count)
    {
        Vectors.gather(child(vector, 0), PhysicalType.INT64, positions, count, countState);
        for (int i = 0; i < moments.length; i++) {
            Vectors.gather(child(vector, i + 1), PhysicalType.FLOAT64, positions, count, momentStates[i]);
        }
        long[] nb = countState.longs();
        for (int j = 0; j < count; j++) {
            if (countState.isNull(j) || nb[j] == 0) {
                continue;
            }
            int g = groups[j];
            double na = counts[g];
            double b = nb[j];
            double n = na + b;
            switch (kind) {
                case CORR, COVAR_POP, COVAR_SAMP, REGR_SLOPE, REGR_INTERCEPT -> {
                    double dx = momentStates[0].doubles()[j] - moments[0][g];
                    double dy = momentStates[1].doubles()[j] - moments[1][g];
                    moments[0][g] += dx * b / n;
                    moments[1][g] += dy * b / n;
                    moments[2][g] += momentStates[2].doubles()[j] + dx * dx * na * b / n;
                    moments[3][g] += momentStates[3].doubles()[j] + dy * dy * na * b / n;
                    moments[4][g] += momentStates[4].doubles()[j] + dx * dy * na * b / n;
                }
                case SKEWNESS, KURTOSIS -> {
                    double m2a = moments[1][g];
                    double m3a = moments[2][g];
                    double m4a = moments[3][g];
                    double m2b = momentStates[1].doubles()[j];
                    double m3b = momentStates[2].doubles()[j];
                    double m4b = momentStates[3].doubles()[j];
                    double delta = momentStates[0].doubles()[j] - moments[0][g];
                    double delta2 = delta * delta;
                    moments[0][g] += delta * b / n;
                    moments[1][g] = m2a + m2b + delta2 * na * b / n;
                    moments[2][g] = m3a + m3b + delta2 * delta * na * b * (na - b) / (n * n) + 3 * delta * (na * m2b - b * m2a) / n;
                    moments[3][g] = m4a + m4b + delta2 * delta2 * na * b * (na * na - na * b + b * b) / (n * n * n)
                            + 6 * delta2 * (na * na * m2b + b * b * m2a) / (n * n) + 4 * delta * (na * m3b - b * m3a) / n;
                }
                case GEOMETRIC_MEAN -> moments[0][g] += momentStates[0].doubles()[j];
                default -> throw new IllegalStateException(kind.name());
            }
            counts[g] += nb[j];
        }
    }

    @Override
    void writeIntermediate(FieldVector dst, int from, int count)
    {
        Vectors.writeLongs(child(dst, 0), PhysicalType.INT64, counts, null, from, count);
        for (int i = 0; i < moments.length; i++) {
            Vectors.writeDoubles(child(dst, i + 1), PhysicalType.FLOAT64, moments[i], null, from, count);
        }
        finishStruct(dst, null, from, count);
    }

    @Override
    void writeFinal(FieldVector dst, int from, int count)
    {
        double[] results = new double[count];
        boolean[] nulls = new boolean[count];
        for (int i = 0; i < count; i++) {
            int g = from + i;
            double n = counts[g];
            double result = switch (kind) {
                case COVAR_POP -> n < 1 ? Double.NaN : moments[4][g] / n;
                case COVAR_SAMP -> n < 2 ? Double.NaN : moments[4][g] / (n - 1);
                case CORR -> n < 2 ? Double.NaN : moments[4][g] / Math.sqrt(moments[2][g] * moments[3][g]);
                case REGR_SLOPE -> n < 2 ? Double.NaN : moments[4][g] / moments[2][g];
                case REGR_INTERCEPT -> n < 2 ? Double.NaN : moments[1][g] - moments[4][g] / moments[2][g] * moments[0][g];
                case SKEWNESS -> n < 3 ? Double.NaN : Math.sqrt(n) * moments[2][g] / Math.pow(moments[1][g], 1.5);
                case KURTOSIS -> {
                    if (n < 4) {
                        yield Double.NaN;
                    }
                    double m2 = moments[1][g];
                    yield (n * (n + 1) * (n - 1) * moments[3][g] / (m2 * m2) - 3 * (n - 1) * (n - 1)) / ((n - 2) * (n - 3));
                }
                case GEOMETRIC_MEAN -> n < 1 ? Double.NaN : Math.exp(moments[0][g] / n);
                default -> throw new IllegalStateException(kind.name());
            };
            // too few rows, or no finite answer (a constant column's correlation or slope)
            boolean isNull = switch (kind) {
                case COVAR_POP, GEOMETRIC_MEAN -> n < 1;
                case COVAR_SAMP -> n < 2;
                default -> !Double.isFinite(result);
            };
            nulls[i] = isNull;
            results[i] = isNull ? 0 : result;
        }
        Vectors.writeDoubles(dst, PhysicalType.FLOAT64, results, nulls, 0, count);
    }

    @Override
    long sizeInBytes()
    {
        return counts.length * (8L + 8L * moments.length);
    }
}
