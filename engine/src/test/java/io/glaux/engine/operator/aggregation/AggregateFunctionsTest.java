package io.glaux.engine.operator.aggregation;

import static io.glaux.engine.fragment.AggregateFunction.APPROX_DISTINCT;
import static io.glaux.engine.fragment.AggregateFunction.APPROX_PERCENTILE;
import static io.glaux.engine.fragment.AggregateFunction.ARBITRARY;
import static io.glaux.engine.fragment.AggregateFunction.AVG;
import static io.glaux.engine.fragment.AggregateFunction.BOOL_AND;
import static io.glaux.engine.fragment.AggregateFunction.BOOL_OR;
import static io.glaux.engine.fragment.AggregateFunction.COUNT;
import static io.glaux.engine.fragment.AggregateFunction.COUNT_IF;
import static io.glaux.engine.fragment.AggregateFunction.COUNT_STAR;
import static io.glaux.engine.fragment.AggregateFunction.COVAR_POP;
import static io.glaux.engine.fragment.AggregateFunction.COVAR_SAMP;
import static io.glaux.engine.fragment.AggregateFunction.MAX;
import static io.glaux.engine.fragment.AggregateFunction.MAX_BY;
import static io.glaux.engine.fragment.AggregateFunction.MIN;
import static io.glaux.engine.fragment.AggregateFunction.MIN_BY;
import static io.glaux.engine.fragment.AggregateFunction.SKEWNESS;
import static io.glaux.engine.fragment.AggregateFunction.STDDEV;
import static io.glaux.engine.fragment.AggregateFunction.STDDEV_POP;
import static io.glaux.engine.fragment.AggregateFunction.STDDEV_SAMP;
import static io.glaux.engine.fragment.AggregateFunction.SUM;
import static io.glaux.engine.fragment.AggregateFunction.VARIANCE;
import static io.glaux.engine.fragment.AggregateFunction.VAR_POP;
import static io.glaux.engine.fragment.AggregateFunction.VAR_SAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.fragment.AggregateFunction;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.plan.PlanNode.Step;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.datasketches.kll.KllSketch;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Every aggregate function against a row-at-a-time reference written here, in the SINGLE step and as
 * PARTIAL (over pieces, with flushes) → INTERMEDIATE → FINAL, on randomized data with NULL keys and
 * values. Each test closes its root allocator, so a leaked buffer fails it.
 */
class AggregateFunctionsTest
{
    static final Type DECIMAL = new Type.Decimal(12, 2);
    /** k1 varchar, k2 bigint, x bigint, d double, b boolean, dec decimal(12,2), flag boolean, s varchar, id bigint, i integer, r real. */
    static final List<Type> TYPES = List.of(Type.VARCHAR, Type.BIGINT, Type.BIGINT, Type.DOUBLE, Type.BOOLEAN, DECIMAL,
            Type.BOOLEAN, Type.VARCHAR, Type.BIGINT, Type.INTEGER, Type.REAL, new Type.Decimal(38, 2));
    static final int K1 = 0;
    static final int K2 = 1;
    static final int X = 2;
    static final int D = 3;
    static final int B = 4;
    static final int DEC = 5;
    static final int FLAG = 6;
    static final int S = 7;
    static final int ID = 8;
    static final int I = 9;
    static final int R = 10;
    /** A decimal(38,2) key with few values, beyond 64 bits. */
    static final int DEC_KEY = 11;

    static List<List<Object>> randomRows(Random random, int count, int keyValues)
    {
        List<List<Object>> rows = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            List<Object> row = new ArrayList<>();
            row.add(random.nextInt(8) == 0 ? null : "k" + random.nextInt(keyValues));
            row.add(random.nextInt(8) == 0 ? null : (long) random.nextInt(3));
            row.add(random.nextInt(6) == 0 ? null : (long) random.nextInt(2_000_001) - 1_000_000);
            row.add(random.nextInt(6) == 0 ? null : random.nextGaussian() * 100);
            row.add(random.nextInt(5) == 0 ? null : random.nextInt(7) != 0);
            row.add(random.nextInt(6) == 0 ? null : BigDecimal.valueOf(random.nextLong(-10_000_000, 10_000_000), 2));
            row.add(random.nextInt(7) == 0 ? null : random.nextBoolean());
            row.add(random.nextInt(6) == 0 ? null : Long.toString(random.nextLong(1_000_000), 36));
            row.add((long) n);
            row.add(random.nextInt(6) == 0 ? null : (long) random.nextInt(1000));
            row.add(random.nextInt(6) == 0 ? null : (double) (float) (random.nextGaussian() * 10));
            row.add(random.nextInt(8) == 0 ? null : BigDecimal.valueOf(random.nextInt(9) - 4, 2).multiply(BigDecimal.valueOf(Long.MAX_VALUE / 3)).setScale(2));
            rows.add(row);
        }
        return rows;
    }

    static AggregateCall call(AggregateFunction function, Type output, int... inputs)
    {
        List<Integer> columns = new ArrayList<>();
        List<Type> types = new ArrayList<>();
        for (int input : inputs) {
            columns.add(input);
            types.add(TYPES.get(input));
        }
        return new AggregateCall(function, columns, types, output);
    }

    static AggregateCall filtered(AggregateCall call, int filter)
    {
        return new AggregateCall(call.function(), call.inputs(), call.inputTypes(), call.outputType(), filter);
    }

    static final List<AggregateCall> CALLS = List.of(
            call(COUNT_STAR, Type.BIGINT),
            call(COUNT, Type.BIGINT, X),
            call(COUNT, Type.BIGINT, S),
            call(COUNT, Type.BIGINT, DEC),
            filtered(call(COUNT, Type.BIGINT, DEC), FLAG),
            call(COUNT_IF, Type.BIGINT, B),
            call(SUM, Type.BIGINT, X),
            call(SUM, Type.BIGINT, I),
            call(SUM, Type.DOUBLE, D),
            call(SUM, new Type.Decimal(38, 2), DEC),
            call(AVG, Type.DOUBLE, X),
            call(AVG, Type.DOUBLE, D),
            call(AVG, Type.REAL, R),
            call(AVG, DECIMAL, DEC),
            call(MIN, Type.BIGINT, X),
            call(MAX, Type.DOUBLE, D),
            call(MIN, Type.VARCHAR, S),
            call(MAX, Type.VARCHAR, S),
            call(MAX, Type.BOOLEAN, B),
            call(MIN, DECIMAL, DEC),
            call(MAX, DECIMAL, DEC),
            call(BOOL_AND, Type.BOOLEAN, B),
            call(BOOL_OR, Type.BOOLEAN, B),
            call(MIN_BY, Type.VARCHAR, S, ID),
            call(MAX_BY, Type.BIGINT, X, ID),
            call(MAX_BY, Type.DOUBLE, D, S),
            call(STDDEV, Type.DOUBLE, D),
            call(STDDEV_SAMP, Type.DOUBLE, X),
            call(STDDEV_POP, Type.DOUBLE, D),
            call(VARIANCE, Type.DOUBLE, I),
            call(VAR_SAMP, Type.DOUBLE, D),
            call(VAR_POP, Type.DOUBLE, X),
            filtered(call(SUM, Type.BIGINT, X), FLAG),
            filtered(call(COUNT_STAR, Type.BIGINT), FLAG),
            filtered(call(MAX_BY, Type.VARCHAR, S, ID), FLAG),
            filtered(call(AVG, DECIMAL, DEC), B),
            call(AggregateFunction.CORR, Type.DOUBLE, D, X),
            call(AggregateFunction.COVAR_POP, Type.DOUBLE, X, I),
            call(AggregateFunction.COVAR_SAMP, Type.DOUBLE, D, R),
            call(AggregateFunction.REGR_SLOPE, Type.DOUBLE, D, X),
            call(AggregateFunction.REGR_INTERCEPT, Type.DOUBLE, X, D),
            call(AggregateFunction.GEOMETRIC_MEAN, Type.DOUBLE, I),
            call(AggregateFunction.SKEWNESS, Type.DOUBLE, D),
            call(AggregateFunction.KURTOSIS, Type.DOUBLE, X),
            filtered(call(AggregateFunction.CORR, Type.DOUBLE, X, I), FLAG));

    // ------------------------------------------------------------------ reference

    static Object reference(AggregateCall call, List<List<Object>> rows)
    {
        List<List<Object>> in = rows.stream().filter(row -> call.filter() < 0 || Boolean.TRUE.equals(row.get(call.filter()))).toList();
        List<Object> values = call.inputs().isEmpty() ? List.of() : in.stream().map(row -> row.get(call.input())).filter(Objects::nonNull).toList();
        return switch (call.function()) {
            case COUNT_STAR -> (long) in.size();
            case COUNT -> (long) values.size();
            case COUNT_IF -> values.stream().filter(Boolean.TRUE::equals).count();
            case SUM -> values.isEmpty() ? null
                    : call.outputType() instanceof Type.Decimal ? values.stream().map(BigDecimal.class::cast).reduce(BigDecimal.ZERO, BigDecimal::add)
                    : call.outputType().equals(Type.DOUBLE) ? (Object) values.stream().mapToDouble(v -> ((Number) v).doubleValue()).sum()
                    : (Object) values.stream().mapToLong(v -> (Long) v).sum();
            case AVG -> values.isEmpty() ? null
                    : call.outputType() instanceof Type.Decimal ? values.stream().map(BigDecimal.class::cast).reduce(BigDecimal.ZERO, BigDecimal::add)
                            .divide(BigDecimal.valueOf(values.size()), 2, RoundingMode.HALF_UP)
                    : call.outputType().equals(Type.REAL) ? (Object) (float) values.stream().mapToDouble(v -> ((Number) v).doubleValue()).average().orElseThrow()
                    : (Object) values.stream().mapToDouble(v -> ((Number) v).doubleValue()).average().orElseThrow();
            case MIN, MAX -> {
                Comparator<Object> order = AggregateFunctionsTest::compare;
                yield values.isEmpty() ? null : call.function() == MIN ? values.stream().min(order).orElseThrow() : values.stream().max(order).orElseThrow();
            }
            case BOOL_AND -> values.isEmpty() ? null : values.stream().allMatch(Boolean.TRUE::equals);
            case BOOL_OR -> values.isEmpty() ? null : values.stream().anyMatch(Boolean.TRUE::equals);
            case MIN_BY, MAX_BY -> {
                int y = call.inputs().get(1);
                Comparator<List<Object>> order = (a, b) -> compare(a.get(y), b.get(y));
                List<List<Object>> candidates = in.stream().filter(row -> row.get(y) != null).toList();
                yield candidates.isEmpty() ? null
                        : (call.function() == MIN_BY ? candidates.stream().min(order) : candidates.stream().max(order)).orElseThrow().get(call.input());
            }
            case STDDEV, STDDEV_SAMP, STDDEV_POP, VARIANCE, VAR_SAMP, VAR_POP -> {
                boolean population = call.function() == STDDEV_POP || call.function() == VAR_POP;
                int n = values.size();
                if (population ? n == 0 : n < 2) {
                    yield null;
                }
                double mean = values.stream().mapToDouble(v -> ((Number) v).doubleValue()).average().orElseThrow();
                double m2 = values.stream().mapToDouble(v -> Math.pow(((Number) v).doubleValue() - mean, 2)).sum();
                double variance = m2 / (population ? n : n - 1);
                yield switch (call.function()) {
                    case STDDEV, STDDEV_SAMP, STDDEV_POP -> Math.sqrt(variance);
                    default -> variance;
                };
            }
            case CORR, COVAR_POP, COVAR_SAMP, REGR_SLOPE, REGR_INTERCEPT -> {
                // textbook two-pass formulas over the rows where both arguments are there
                int yColumn = call.inputs().get(0);
                int xColumn = call.inputs().get(1);
                List<double[]> pairs = in.stream().filter(row -> row.get(yColumn) != null && row.get(xColumn) != null)
                        .map(row -> new double[] {((Number) row.get(yColumn)).doubleValue(), ((Number) row.get(xColumn)).doubleValue()}).toList();
                int n = pairs.size();
                double meanY = pairs.stream().mapToDouble(p -> p[0]).average().orElse(0);
                double meanX = pairs.stream().mapToDouble(p -> p[1]).average().orElse(0);
                double sxy = pairs.stream().mapToDouble(p -> (p[0] - meanY) * (p[1] - meanX)).sum();
                double sxx = pairs.stream().mapToDouble(p -> (p[1] - meanX) * (p[1] - meanX)).sum();
                double syy = pairs.stream().mapToDouble(p -> (p[0] - meanY) * (p[0] - meanY)).sum();
                Double result = switch (call.function()) {
                    case COVAR_POP -> n < 1 ? null : sxy / n;
                    case COVAR_SAMP -> n < 2 ? null : sxy / (n - 1);
                    case CORR -> n < 2 ? null : sxy / Math.sqrt(sxx * syy);
                    case REGR_SLOPE -> n < 2 ? null : sxy / sxx;
                    default -> n < 2 ? null : meanY - sxy / sxx * meanX;
                };
                yield result == null || !Double.isFinite(result) && call.function() != COVAR_POP && call.function() != COVAR_SAMP ? null : result;
            }
            case GEOMETRIC_MEAN -> values.isEmpty() ? null : Math.exp(values.stream().mapToDouble(v -> Math.log(((Number) v).doubleValue())).sum() / values.size());
            case SKEWNESS, KURTOSIS -> {
                int n = values.size();
                if (n < (call.function() == SKEWNESS ? 3 : 4)) {
                    yield null;
                }
                double mean = values.stream().mapToDouble(v -> ((Number) v).doubleValue()).average().orElseThrow();
                double m2 = values.stream().mapToDouble(v -> Math.pow(((Number) v).doubleValue() - mean, 2)).sum();
                double m3 = values.stream().mapToDouble(v -> Math.pow(((Number) v).doubleValue() - mean, 3)).sum();
                double m4 = values.stream().mapToDouble(v -> Math.pow(((Number) v).doubleValue() - mean, 4)).sum();
                yield call.function() == SKEWNESS
                        ? Math.sqrt(n) * m3 / Math.pow(m2, 1.5)
                        : ((double) n * (n + 1) * (n - 1) * m4 / (m2 * m2) - 3.0 * (n - 1) * (n - 1)) / ((double) (n - 2) * (n - 3));
            }
            // exact while small (the sketch keeps a list of hashes)
            case APPROX_DISTINCT -> (long) new HashSet<>(values).size();
            default -> throw new IllegalArgumentException(call.function().name());
        };
    }

    @SuppressWarnings("unchecked")
    static int compare(Object a, Object b)
    {
        if (a instanceof String x && b instanceof String y) {
            return java.util.Arrays.compareUnsigned(x.getBytes(java.nio.charset.StandardCharsets.UTF_8), y.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return ((Comparable<Object>) a).compareTo(b);
    }

    /** Groups the rows by the key columns and computes each call with {@link #reference}. */
    static List<List<Object>> expected(List<List<Object>> rows, List<Integer> keys, List<AggregateCall> calls)
    {
        Map<List<Object>, List<List<Object>>> groups = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            groups.put(List.of(), new ArrayList<>());
        }
        for (List<Object> row : rows) {
            groups.computeIfAbsent(keys.stream().map(row::get).toList(), _ -> new ArrayList<>()).add(row);
        }
        List<List<Object>> result = new ArrayList<>();
        groups.forEach((key, members) -> {
            List<Object> row = new ArrayList<>(key);
            calls.forEach(call -> row.add(reference(call, members)));
            result.add(row);
        });
        return result;
    }

    // ------------------------------------------------------------------ comparing

    static boolean same(Object actual, Object expected)
    {
        if (actual == null || expected == null) {
            return actual == expected;
        }
        if (actual instanceof Float f && expected instanceof Float g) {
            return Math.abs(f - g) <= 1e-4 * Math.max(1, Math.abs(g));
        }
        if (actual instanceof Double x && expected instanceof Double y) {
            return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y)) || x.equals(y);
        }
        if (actual instanceof BigDecimal x && expected instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return actual.equals(expected);
    }

    static Comparator<List<Object>> keyOrder(int keys)
    {
        return (a, b) -> {
            for (int i = 0; i < keys; i++) {
                Object x = a.get(i);
                Object y = b.get(i);
                if (x == null || y == null) {
                    if (x != y) {
                        return x == null ? -1 : 1;
                    }
                    continue;
                }
                int c = compare(x, y);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    static void assertSameRows(List<List<Object>> actual, List<List<Object>> expected, int keys)
    {
        List<List<Object>> a = new ArrayList<>(actual);
        List<List<Object>> e = new ArrayList<>(expected);
        a.sort(keyOrder(keys));
        e.sort(keyOrder(keys));
        assertThat(a).hasSameSizeAs(e);
        for (int r = 0; r < a.size(); r++) {
            for (int c = 0; c < e.get(r).size(); c++) {
                if (!same(a.get(r).get(c), e.get(r).get(c))) {
                    throw new AssertionError("row " + r + " column " + c + ": expected " + e.get(r) + " but was " + a.get(r));
                }
            }
        }
    }

    // ------------------------------------------------------------------ running

    static List<List<Object>> single(TestQuery query, List<List<Object>> rows, List<Integer> keys, List<AggregateCall> calls, int batchRows)
    {
        Operator source = BatchSource.of(query.allocator(), TYPES, rows, batchRows);
        return BatchSource.drain(new HashAggregationOperator(query.context(), source, Step.SINGLE, keys, List.of(), calls, 1 << 20, 100));
    }

    /** PARTIAL over {@code pieces} pieces (tiny partial memory: flushes), INTERMEDIATE over their outputs, then FINAL. */
    static List<List<Object>> distributed(TestQuery query, List<List<Object>> rows, List<Integer> keys, List<AggregateCall> calls, int pieces)
    {
        List<VectorSchemaRoot> partials = new ArrayList<>();
        List<io.glaux.spi.type.Type> intermediateTypes = null;
        for (int p = 0; p < pieces; p++) {
            List<List<Object>> piece = rows.subList(rows.size() * p / pieces, rows.size() * (p + 1) / pieces);
            HashAggregationOperator partial = new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), TYPES, piece, 37),
                    Step.PARTIAL, keys, List.of(), calls, p == 0 ? 1 : 1 << 20, 50);
            intermediateTypes = partial.outputTypes();
            partials.addAll(BatchSource.drainBatches(partial, query.allocator()));
        }
        List<Integer> finalKeys = new ArrayList<>();
        for (int k = 0; k < keys.size(); k++) {
            finalKeys.add(k);
        }
        HashAggregationOperator intermediate = new HashAggregationOperator(query.context(), new BatchSource(intermediateTypes, partials),
                Step.INTERMEDIATE, finalKeys, List.of(), calls);
        List<VectorSchemaRoot> merged = BatchSource.drainBatches(intermediate, query.allocator());
        return BatchSource.drain(new HashAggregationOperator(query.context(), new BatchSource(intermediateTypes, merged), Step.FINAL, finalKeys, List.of(), calls));
    }

    @Test
    void everyFunctionMatchesTheReferenceInEveryStep()
    {
        Random random = new Random(42);
        List<List<Object>> rows = randomRows(random, 3000, 20);
        for (List<Integer> keys : List.of(List.of(K1, K2), List.of(K2), List.<Integer>of(), List.of(DEC_KEY, K2))) {
            List<List<Object>> expected = expected(rows, keys, CALLS);
            try (TestQuery query = new TestQuery()) {
                assertSameRows(single(query, rows, keys, CALLS, 128), expected, keys.size());
                assertSameRows(distributed(query, rows, keys, CALLS, 3), expected, keys.size());
            }
        }
    }

    @Test
    void emptyInput()
    {
        try (TestQuery query = new TestQuery()) {
            List<List<Object>> global = single(query, List.of(), List.of(), CALLS, 10);
            assertSameRows(global, expected(List.of(), List.of(), CALLS), 0);
            assertThat(global.getFirst().get(0)).isEqualTo(0L);
            // count(*) is 0, sum(x) NULL
            assertThat(global.getFirst().get(CALLS.indexOf(call(SUM, Type.BIGINT, X)))).isNull();
            assertSameRows(distributed(query, List.of(), List.of(), CALLS, 2), expected(List.of(), List.of(), CALLS), 0);
            assertThat(single(query, List.of(), List.of(K1), CALLS, 10)).isEmpty();
            assertThat(distributed(query, List.of(), List.of(K1), CALLS, 2)).isEmpty();
        }
    }

    @Test
    void arbitraryReturnsOneOfTheGroupsValues()
    {
        Random random = new Random(7);
        List<List<Object>> rows = randomRows(random, 1000, 10);
        List<AggregateCall> calls = List.of(call(ARBITRARY, Type.VARCHAR, S), call(ARBITRARY, Type.BIGINT, X), call(ARBITRARY, Type.DOUBLE, D));
        try (TestQuery query = new TestQuery()) {
            for (List<List<Object>> result : List.of(single(query, rows, List.of(K1), calls, 64), distributed(query, rows, List.of(K1), calls, 3))) {
                assertThat(result).hasSize((int) rows.stream().map(row -> row.get(K1)).distinct().count());
                for (List<Object> row : result) {
                    for (int c = 0; c < calls.size(); c++) {
                        int column = calls.get(c).input();
                        Set<Object> values = new HashSet<>();
                        rows.stream().filter(r -> Objects.equals(r.get(K1), row.get(0))).map(r -> r.get(column)).filter(Objects::nonNull).forEach(values::add);
                        if (values.isEmpty()) {
                            assertThat(row.get(c + 1)).isNull();
                        }
                        else {
                            assertThat(values).contains(row.get(c + 1));
                        }
                    }
                }
            }
        }
    }

    @Test
    void sumOverflowRaisesNumericValueOutOfRange()
    {
        List<List<Object>> rows = new ArrayList<>();
        for (long value : new long[] {Long.MAX_VALUE - 5, 3, 4}) {
            List<Object> row = new ArrayList<>(java.util.Collections.nCopies(TYPES.size(), null));
            row.set(X, value);
            row.set(ID, value);
            rows.add(row);
        }
        try (TestQuery query = new TestQuery()) {
            assertThatThrownBy(() -> single(query, rows, List.of(), List.of(call(SUM, Type.BIGINT, X)), 1))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE));
            // the partial sums fit; merging them does not
            assertThatThrownBy(() -> distributed(query, rows, List.of(), List.of(call(SUM, Type.BIGINT, X)), 3))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE));
            // sum(decimal) beyond 38 digits
            List<List<Object>> big = new ArrayList<>();
            for (int n = 0; n < 20; n++) {
                List<Object> row = new ArrayList<>(java.util.Collections.nCopies(TYPES.size(), null));
                row.set(DEC, new BigDecimal("9".repeat(36) + ".99"));
                row.set(ID, (long) n);
                big.add(row);
            }
            List<Type> types = new ArrayList<>(TYPES);
            types.set(DEC, new Type.Decimal(38, 2));
            AggregateCall sum = new AggregateCall(SUM, List.of(DEC), List.of(new Type.Decimal(38, 2)), new Type.Decimal(38, 2));
            assertThatThrownBy(() -> BatchSource.drain(new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), types, big, 7),
                    Step.SINGLE, List.of(), List.of(), List.of(sum))))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE));
        }
    }

    @Test
    void approxDistinctIsWithinItsErrorBound()
    {
        // Trino's default standard error is 0.023; allow 3 standard errors
        double bound = 3 * 0.023;
        List<Type> types = List.of(Type.BIGINT, Type.BIGINT, Type.VARCHAR, Type.DOUBLE, new Type.Decimal(38, 0));
        int[] cardinalities = {0, 1, 10, 500, 3_000, 20_000, 100_000};
        List<List<Object>> rows = new ArrayList<>();
        Random random = new Random(3);
        for (int group = 0; group < cardinalities.length; group++) {
            for (int n = 0; n < cardinalities[group]; n++) {
                long value = random.nextLong();
                // every value twice: duplicates must not count
                for (int copy = 0; copy < 2; copy++) {
                    rows.add(java.util.Arrays.asList((long) group, value, Long.toHexString(value), (double) value, BigDecimal.valueOf(value)));
                }
            }
            rows.add(java.util.Arrays.asList((long) group, null, null, null, null));
        }
        java.util.Collections.shuffle(rows, random);
        List<AggregateCall> calls = List.of(
                new AggregateCall(APPROX_DISTINCT, List.of(1), List.of(Type.BIGINT), Type.BIGINT),
                new AggregateCall(APPROX_DISTINCT, List.of(2), List.of(Type.VARCHAR), Type.BIGINT),
                new AggregateCall(APPROX_DISTINCT, List.of(3), List.of(Type.DOUBLE), Type.BIGINT),
                new AggregateCall(APPROX_DISTINCT, List.of(4), List.of(new Type.Decimal(38, 0)), Type.BIGINT));
        try (TestQuery query = new TestQuery()) {
            for (int pieces : new int[] {1, 4}) {
                List<VectorSchemaRoot> partials = new ArrayList<>();
                List<Type> intermediateTypes = null;
                for (int p = 0; p < pieces; p++) {
                    HashAggregationOperator partial = new HashAggregationOperator(query.context(),
                            BatchSource.of(query.allocator(), types, rows.subList(rows.size() * p / pieces, rows.size() * (p + 1) / pieces), 4096),
                            Step.PARTIAL, List.of(0), List.of(), calls);
                    intermediateTypes = partial.outputTypes();
                    partials.addAll(BatchSource.drainBatches(partial, query.allocator()));
                }
                List<List<Object>> result = BatchSource.drain(new HashAggregationOperator(query.context(), new BatchSource(intermediateTypes, partials),
                        Step.FINAL, List.of(0), List.of(), calls));
                assertThat(result).hasSize(cardinalities.length);
                for (List<Object> row : result) {
                    int exact = cardinalities[(int) (long) (Long) row.get(0)];
                    for (int c = 1; c <= 4; c++) {
                        long estimate = (Long) row.get(c);
                        assertThat((double) Math.abs(estimate - exact)).as("approx_distinct of %s values: %s", exact, estimate)
                                .isLessThanOrEqualTo(Math.max(bound * exact, exact < 100 ? 1 : 0));
                    }
                }
            }
        }
    }

    @Test
    void approxPercentileIsWithinTheKllRankError()
    {
        List<Type> types = List.of(Type.BIGINT, Type.BIGINT, Type.DOUBLE, Type.DOUBLE, new Type.Array(Type.DOUBLE), Type.BIGINT);
        Random random = new Random(11);
        List<List<Object>> rows = new ArrayList<>();
        int[] sizes = {1, 100, 50_000};
        List<Double> percentiles = List.of(0.01, 0.5, 0.95, 0.99);
        for (int group = 0; group < sizes.length; group++) {
            for (int n = 0; n < sizes[group]; n++) {
                long latency = (long) Math.exp(random.nextGaussian() * 2 + 5);
                rows.add(java.util.Arrays.asList((long) group, latency, latency / 3.0, 0.99, percentiles, (long) (1 + random.nextInt(3))));
            }
            rows.add(java.util.Arrays.asList((long) group, null, null, 0.99, percentiles, 1L));
        }
        java.util.Collections.shuffle(rows, random);
        List<AggregateCall> calls = List.of(
                new AggregateCall(APPROX_PERCENTILE, List.of(1, 3), List.of(Type.BIGINT, Type.DOUBLE), Type.BIGINT),
                new AggregateCall(APPROX_PERCENTILE, List.of(2, 3), List.of(Type.DOUBLE, Type.DOUBLE), Type.DOUBLE),
                new AggregateCall(APPROX_PERCENTILE, List.of(1, 4), List.of(Type.BIGINT, new Type.Array(Type.DOUBLE)), new Type.Array(Type.BIGINT)),
                new AggregateCall(APPROX_PERCENTILE, List.of(2, 5, 3), List.of(Type.DOUBLE, Type.BIGINT, Type.DOUBLE), Type.DOUBLE));
        // KLL bounds the rank error by this with 99% confidence per query; twice it keeps the test from flaking
        double error = KllSketch.getNormalizedRankError(Sketches.KLL_K, false) * 2;
        try (TestQuery query = new TestQuery()) {
            List<VectorSchemaRoot> partials = new ArrayList<>();
            List<Type> intermediateTypes = null;
            for (int p = 0; p < 3; p++) {
                HashAggregationOperator partial = new HashAggregationOperator(query.context(),
                        BatchSource.of(query.allocator(), types, rows.subList(rows.size() * p / 3, rows.size() * (p + 1) / 3), 1000),
                        Step.PARTIAL, List.of(0), List.of(), calls);
                intermediateTypes = partial.outputTypes();
                partials.addAll(BatchSource.drainBatches(partial, query.allocator()));
            }
            List<List<Object>> distributed = BatchSource.drain(new HashAggregationOperator(query.context(), new BatchSource(intermediateTypes, partials),
                    Step.FINAL, List.of(0), List.of(), calls));
            List<List<Object>> single = BatchSource.drain(new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), types, rows, 999),
                    Step.SINGLE, List.of(0), List.of(), calls));
            for (List<List<Object>> result : List.of(distributed, single)) {
                assertThat(result).hasSize(sizes.length);
                for (List<Object> row : result) {
                    int group = (int) (long) (Long) row.get(0);
                    List<Long> latencies = rows.stream().filter(r -> r.get(0).equals((long) group) && r.get(1) != null).map(r -> (Long) r.get(1)).sorted().toList();
                    List<Long> weighted = new ArrayList<>();
                    rows.stream().filter(r -> r.get(0).equals((long) group) && r.get(1) != null)
                            .forEach(r -> weighted.addAll(java.util.Collections.nCopies((int) (long) (Long) r.get(5), (Long) r.get(1))));
                    weighted.sort(null);
                    assertRank(latencies, (Long) row.get(1), 0.99, error);
                    assertRank(latencies, Math.round((Double) row.get(2) * 3), 0.99, error);
                    List<?> values = (List<?>) row.get(3);
                    assertThat(values).hasSize(percentiles.size());
                    for (int k = 0; k < percentiles.size(); k++) {
                        assertRank(latencies, (Long) values.get(k), percentiles.get(k), error);
                    }
                    assertRank(weighted, Math.round((Double) row.get(4) * 3), 0.99, error);
                }
            }
        }
    }

    /** The value's rank range in the sorted list overlaps [p - error, p + error]. */
    static void assertRank(List<Long> sorted, long value, double p, double error)
    {
        int below = 0;
        int atOrBelow = 0;
        for (long v : sorted) {
            below += v < value ? 1 : 0;
            atOrBelow += v <= value ? 1 : 0;
        }
        double low = (double) below / sorted.size();
        double high = (double) atOrBelow / sorted.size();
        assertThat(high).as("rank of %s for p=%s", value, p).isGreaterThanOrEqualTo(p - error - 1.0 / sorted.size());
        assertThat(low).as("rank of %s for p=%s", value, p).isLessThanOrEqualTo(p + error);
    }

    @Test
    void percentileMustBeBetweenZeroAndOne()
    {
        List<Type> types = List.of(Type.BIGINT, Type.DOUBLE);
        AggregateCall call = new AggregateCall(APPROX_PERCENTILE, List.of(0, 1), types, Type.BIGINT);
        try (TestQuery query = new TestQuery()) {
            assertThatThrownBy(() -> BatchSource.drain(new HashAggregationOperator(query.context(),
                    BatchSource.of(query.allocator(), types, List.of(List.of(1L, 1.5)), 10), Step.SINGLE, List.of(), List.of(), List.of(call))))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_FUNCTION_ARGUMENT));
        }
    }

    @Test
    void unsupportedArgumentTypesAreRejected()
    {
        try (TestQuery query = new TestQuery()) {
            assertThatThrownBy(() -> new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), TYPES, List.of(), 10),
                    Step.SINGLE, List.of(), List.of(), List.of(call(SUM, Type.BIGINT, S))))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED));
            assertThatThrownBy(() -> new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), TYPES, List.of(), 10),
                    Step.SINGLE, List.of(), List.of(), List.of(call(AVG, Type.DOUBLE, S))))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED));
        }
    }
}
