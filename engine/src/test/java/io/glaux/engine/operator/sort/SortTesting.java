package io.glaux.engine.operator.sort;

import io.glaux.engine.plan.SortKey;
import io.glaux.spi.type.Type;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** Row-at-a-time reference ordering and random rows for the sort, top-N and window tests. */
public final class SortTesting
{
    private SortTesting() {}

    /** SQL order of two non-null values: numbers with NaN highest, strings by UTF-8 bytes (unsigned). */
    public static int compareValues(Object a, Object b)
    {
        return switch (a) {
            case Long x -> Long.compare(x, (Long) b);
            case Double x -> Double.compare(x, (Double) b);
            case Boolean x -> Boolean.compare(x, (Boolean) b);
            case String x -> Integer.signum(Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), ((String) b).getBytes(StandardCharsets.UTF_8)));
            case java.math.BigDecimal x -> x.compareTo((java.math.BigDecimal) b);
            default -> throw new IllegalArgumentException(a.getClass().getName());
        };
    }

    public static Comparator<List<Object>> comparator(List<SortKey> keys)
    {
        return (left, right) -> {
            for (SortKey key : keys) {
                Object a = left.get(key.column());
                Object b = right.get(key.column());
                if (a == null || b == null) {
                    if (a == null && b == null) {
                        continue;
                    }
                    return (a == null) == key.nullsFirst() ? -1 : 1;
                }
                int c = compareValues(a, b);
                if (c != 0) {
                    return key.ascending() ? c : -c;
                }
            }
            return 0;
        };
    }

    /** The types {@link #randomRows} makes. */
    public static final List<Type> TYPES = List.of(Type.BIGINT, Type.DOUBLE, Type.VARCHAR, Type.BOOLEAN, Type.DATE, Type.TIMESTAMP, Type.INTEGER, Type.REAL);

    /** Rows of {@link #TYPES} with few distinct values per column (so multi-key ties happen), ~10% NULL. */
    public static List<List<Object>> randomRows(Random random, int count)
    {
        String[] words = {"", "a", "ab", "abc", "b", "B", "é", "\uFFFD", "\uD83D\uDE00", "zz", "a\u0000"};
        List<List<Object>> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<Object> row = new ArrayList<>();
            row.add(maybeNull(random, (long) random.nextInt(200) - 100));
            double d = switch (random.nextInt(20)) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2 -> Double.NEGATIVE_INFINITY;
                default -> random.nextInt(100) / 4.0 - 10;
            };
            row.add(maybeNull(random, d));
            row.add(maybeNull(random, words[random.nextInt(words.length)] + (random.nextInt(3) == 0 ? "x" + random.nextInt(5) : "")));
            row.add(maybeNull(random, random.nextBoolean()));
            row.add(maybeNull(random, (long) random.nextInt(30) + 19000));
            row.add(maybeNull(random, random.nextLong(1_000_000_000_000L) / 1000 * 1000));
            row.add(maybeNull(random, (long) random.nextInt(1000)));
            row.add(maybeNull(random, (double) (float) (random.nextInt(50) / 3.0)));
            rows.add(row);
        }
        return rows;
    }

    private static Object maybeNull(Random random, Object value)
    {
        return random.nextInt(10) == 0 ? null : value;
    }

    public static List<SortKey> randomKeys(Random random, int columns, int count)
    {
        List<SortKey> keys = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            order.add(c);
        }
        java.util.Collections.shuffle(order, random);
        for (int k = 0; k < count; k++) {
            keys.add(new SortKey(order.get(k), random.nextBoolean(), random.nextBoolean()));
        }
        return keys;
    }
}
