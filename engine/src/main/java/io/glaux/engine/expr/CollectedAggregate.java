package io.glaux.engine.expr;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.FieldVector;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntBinaryOperator;

/**
 * Aggregates computed from the collected arguments of a group: {@code set_agg}, {@code map_agg},
 * {@code multimap_agg}, {@code histogram}, {@code approx_most_frequent}, {@code min(x, n)},
 * {@code max(x, n)}, {@code min_by(x, y, n)} and {@code max_by(x, y, n)}. The state is the array of the
 * group's argument tuples (one argument: its values; several: rows), merged across workers by
 * concatenation; the final step groups, counts or sorts each group's tuples once.
 */
public final class CollectedAggregate
{
    public enum Kind
    {
        SET_AGG, MAP_AGG, MULTIMAP_AGG, HISTOGRAM, APPROX_MOST_FREQUENT, MIN_N, MAX_N, MIN_BY_N, MAX_BY_N
    }

    private final Kind kind;
    private final List<Type> inputs;
    private final Type output;
    private final GroupedValues values;
    private final Block scratch = new Block();
    private final Block out = new Block();

    public CollectedAggregate(Kind kind, List<Type> inputs, Type output)
    {
        this.kind = requireNonNull(kind, "kind is null");
        this.inputs = List.copyOf(inputs);
        this.output = requireNonNull(output, "output is null");
        Type key = switch (kind) {
            case SET_AGG, HISTOGRAM, MAP_AGG, MULTIMAP_AGG, MIN_N, MAX_N -> inputs.get(0);
            case APPROX_MOST_FREQUENT, MIN_BY_N, MAX_BY_N -> inputs.get(1);
        };
        if (Nested.isNested(key) || PhysicalType.of(key) == PhysicalType.OTHER || !inputs.stream().allMatch(Nested::computable)) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, kind.name().toLowerCase(java.util.Locale.ROOT) + " of " + key.trinoName() + " values is not supported");
        }
        this.values = new GroupedValues(element(this.inputs));
    }

    /** The state type of a call with arguments of {@code inputs}: the array of the argument (tuples). */
    public static Type stateType(List<Type> inputs)
    {
        return new Type.Array(element(inputs));
    }

    private static Type element(List<Type> inputs)
    {
        if (inputs.size() == 1) {
            return inputs.getFirst();
        }
        List<Type.Field> fields = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            fields.add(new Type.Field("a" + i, inputs.get(i)));
        }
        return new Type.Row(fields);
    }

    /** Adds the argument tuples at {@code positions[0..count)} of {@code vectors}, tuple j to group {@code groups[j]}. */
    public void add(FieldVector[] vectors, int[] positions, int count, int[] groups)
    {
        if (inputs.size() == 1) {
            values.add(vectors[0], positions, count, groups);
            return;
        }
        for (int f = 0; f < inputs.size(); f++) {
            Nested.gather(vectors[f], inputs.get(f), positions, count, scratch.child(f));
        }
        scratch.count = count;
        scratch.hasNull = false;
        values.add(scratch, count, groups);
    }

    public void merge(FieldVector state, int[] positions, int count, int[] groups)
    {
        values.merge(state, positions, count, groups);
    }

    public void writeIntermediate(FieldVector dst, int from, int count)
    {
        values.write(dst, from, count);
    }

    public long sizeInBytes()
    {
        return values.sizeInBytes();
    }

    public void writeFinal(FieldVector dst, int from, int count)
    {
        Block grouped = values.grouped(from, count);
        Block tuples = grouped.child(0);
        Nested.reset(out, output);
        int[] index = new int[16];
        int[] distinct = new int[16];
        long[] counts = new long[16];
        for (int g = 0; g < count; g++) {
            if (grouped.isNull(g)) {
                Nested.appendNull(out, output);
                continue;
            }
            int start = grouped.offsets[g];
            int end = grouped.offsets[g + 1];
            if (index.length < end - start) {
                index = new int[end - start];
                distinct = new int[end - start];
                counts = new long[end - start];
            }
            int keyField = kind == Kind.APPROX_MOST_FREQUENT || kind == Kind.MIN_BY_N || kind == Kind.MAX_BY_N ? 1 : 0;
            Block keys = field(tuples, keyField);
            // the tuples whose key is not NULL
            int m = 0;
            for (int i = start; i < end; i++) {
                if (!keys.isNull(i)) {
                    index[m++] = i;
                }
            }
            if (m == 0) {
                Nested.appendNull(out, output);
                continue;
            }
            Type keyType = inputs.get(keyField);
            PhysicalType.Representation representation = PhysicalType.of(keyType).representation();
            switch (kind) {
                case SET_AGG, HISTOGRAM, MAP_AGG, MULTIMAP_AGG, APPROX_MOST_FREQUENT -> {
                    int d = distinct(keys, representation, index, m, distinct, counts);
                    if (kind == Kind.APPROX_MOST_FREQUENT) {
                        long buckets = positive(field(tuples, 0), index[0], "buckets", "approx_most_frequent");
                        long[] c = counts;
                        int[] order = new int[d];
                        for (int k = 0; k < d; k++) {
                            order[k] = k;
                        }
                        sort(order, d, (a, b) -> Long.compare(c[b], c[a]) != 0 ? Long.compare(c[b], c[a]) : Integer.compare(a, b));
                        int kept = (int) Math.min(buckets, d);
                        for (int k = 0; k < kept; k++) {
                            Nested.append(out.child(0), keyType, keys, distinct[order[k]]);
                            Nested.appendLong(out.child(1), c[order[k]]);
                        }
                        Nested.endArray(out);
                        continue;
                    }
                    for (int k = 0; k < d; k++) {
                        Nested.append(out.child(0), keyType, keys, distinct[k]);
                        switch (kind) {
                            case HISTOGRAM -> Nested.appendLong(out.child(1), counts[k]);
                            case MAP_AGG -> Nested.append(out.child(1), inputs.get(1), field(tuples, 1), firstWithKey(keys, representation, index, m, distinct[k]));
                            case MULTIMAP_AGG -> {
                                Block valueArrays = out.child(1);
                                for (int i = 0; i < m; i++) {
                                    if (Nested.equal(representation, keys, index[i], keys, distinct[k])) {
                                        Nested.append(valueArrays.child(0), inputs.get(1), field(tuples, 1), index[i]);
                                    }
                                }
                                Nested.endArray(valueArrays);
                            }
                            default -> { }
                        }
                    }
                    Nested.endArray(out);
                }
                case MIN_N, MAX_N, MIN_BY_N, MAX_BY_N -> {
                    boolean by = kind == Kind.MIN_BY_N || kind == Kind.MAX_BY_N;
                    boolean max = kind == Kind.MAX_N || kind == Kind.MAX_BY_N;
                    String name = switch (kind) {
                        case MIN_N -> "min_n";
                        case MAX_N -> "max_n";
                        case MIN_BY_N -> "min_by";
                        default -> "max_by";
                    };
                    long n = positive(field(tuples, by ? 2 : 1), index[0], by ? "third" : "second", name);
                    Block k = keys;
                    sort(index, m, (a, b) -> {
                        int c = Nested.compare(representation, k, a, k, b);
                        return max ? -c : c;
                    });
                    int kept = (int) Math.min(n, m);
                    Block result = by ? field(tuples, 0) : keys;
                    Type type = inputs.get(0);
                    for (int i = 0; i < kept; i++) {
                        Nested.append(out.child(0), type, result, index[i]);
                    }
                    Nested.endArray(out);
                }
            }
        }
        Nested.write(out, output, count, dst);
    }

    private Block field(Block tuples, int f)
    {
        return inputs.size() == 1 ? tuples : tuples.child(f);
    }

    /** Value {@code i} of {@code values}, an integer that must be positive (n, buckets). */
    private static long positive(Block values, int i, String which, String function)
    {
        long n = values.isNull(i) ? 0 : values.longs[i];
        if (n <= 0) {
            throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, which.equals("buckets")
                    ? "The number of buckets of " + function + " must be a positive integer"
                    : which + " argument of " + function + " must be a positive integer");
        }
        return n;
    }

    private static int firstWithKey(Block keys, PhysicalType.Representation representation, int[] index, int m, int key)
    {
        for (int i = 0; i < m; i++) {
            if (Nested.equal(representation, keys, index[i], keys, key)) {
                return index[i];
            }
        }
        return key;
    }

    /**
     * The distinct keys among {@code keys[index[0..m)]}, in first-seen order, into {@code distinct} (one
     * position each) with their number of occurrences in {@code counts}; returns how many.
     */
    private static int distinct(Block keys, PhysicalType.Representation representation, int[] index, int m, int[] distinct, long[] counts)
    {
        int size = Integer.highestOneBit(Math.max(4, m) * 2 - 1) << 1;
        int[] table = new int[size];
        int mask = size - 1;
        int d = 0;
        for (int i = 0; i < m; i++) {
            int position = index[i];
            int slot = Nested.hash(representation, keys, position) & mask;
            while (true) {
                int entry = table[slot];
                if (entry == 0) {
                    table[slot] = d + 1;
                    distinct[d] = position;
                    counts[d] = 1;
                    d++;
                    break;
                }
                if (Nested.equal(representation, keys, distinct[entry - 1], keys, position)) {
                    counts[entry - 1]++;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        return d;
    }

    /** Sorts {@code a[0..n)} by {@code comparator}, stably (merge sort, no boxing). */
    private static void sort(int[] a, int n, IntBinaryOperator comparator)
    {
        IntSorts.sort(a, n, comparator, null);
    }
}
