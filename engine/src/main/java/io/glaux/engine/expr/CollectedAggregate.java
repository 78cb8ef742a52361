package io.glaux.engine.expr;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.FieldVector;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntBinaryOperator;

/**
 * Aggregates computed from the collected arguments of a group: {@code set_agg}, {@code map_agg},
 * {@code multimap_agg}, {@code histogram}, {@code approx_most_frequent}, {@code min(x, n)},
 * {@code max(x, n)}, {@code min_by(x, y, n)} and {@code max_by(x, y, n)}. The state is the array of the
 * group's argument tuples (one argument: its values; several: rows), merged across workers by
 * concatenation; the final step groups, counts or sorts each group's tuples once. {@code histogram}
 * and {@code approx_most_frequent} add a count to each tuple (1 when added): a tuple stands for that
 * many occurrences of its value. The state stays bounded where the result needs less than every
 * tuple: whenever it has doubled since it was last compacted, {@code min(x, n)}, {@code max(x, n)},
 * {@code min_by(x, y, n)} and {@code max_by(x, y, n)} keep only each group's n first tuples in their
 * order, {@code set_agg} and {@code map_agg} only the first tuple of each distinct key,
 * {@code histogram} one tuple per distinct value with the sum of their counts, and
 * {@code approx_most_frequent} the same, then only the {@code capacity} most frequent values (Trino's
 * space-saving summary: a value evicted and seen again starts counting afresh, so counts are exact
 * while a group has at most {@code capacity} distinct values, approximate beyond). Tuples with a NULL
 * key, which no result shows, go too. The state's heap bytes count against the query's memory, and a
 * FINAL step spills them like any aggregate's.
 */
public final class CollectedAggregate
{
    public enum Kind
    {
        SET_AGG, MAP_AGG, MULTIMAP_AGG, HISTOGRAM, APPROX_MOST_FREQUENT, MIN_N, MAX_N, MIN_BY_N, MAX_BY_N,
        /** array_agg(x ORDER BY ...): tuples (x, keys...). */
        ORDERED_ARRAY_AGG,
        /** listagg(x, separator [, filler, with count]) [WITHIN GROUP (ORDER BY ...)]: tuples (x, separator, [filler, with count,] keys...). */
        LISTAGG
    }

    /** The longest listagg result, in bytes (Trino's). */
    public static final int LISTAGG_MAX_OUTPUT_LENGTH = 1024 * 1024;

    private final Kind kind;
    private final List<Type> inputs;
    /** What each tuple of the state holds: the arguments, and a count after them for HISTOGRAM and APPROX_MOST_FREQUENT. */
    private final List<Type> stored;
    private final Type output;
    private final GroupedValues values;
    private final Block scratch = new Block();
    private final Block out = new Block();
    /** Groups seen (one past the highest group id added or merged). */
    private int groupCount;
    /** Tuples held after the last compaction: the next one runs when the state has doubled. */
    private int compactedCount;
    /** Compactions run (tests). */
    private int compactions;
    private static final int MIN_COMPACTION_TUPLES = 1024;
    /** ORDERED_ARRAY_AGG, LISTAGG: the order of a group's tuples (key k at tuple field {@code orderBy.get(k).column()}). */
    private final List<io.glaux.engine.plan.SortKey> orderBy;

    public CollectedAggregate(Kind kind, List<Type> inputs, Type output)
    {
        this(kind, inputs, output, List.of());
    }

    public CollectedAggregate(Kind kind, List<Type> inputs, Type output, List<io.glaux.engine.plan.SortKey> orderBy)
    {
        this.kind = requireNonNull(kind, "kind is null");
        this.inputs = List.copyOf(inputs);
        this.output = requireNonNull(output, "output is null");
        this.orderBy = List.copyOf(orderBy);
        this.stored = storedTypes(kind, this.inputs);
        if (kind == Kind.ORDERED_ARRAY_AGG || kind == Kind.LISTAGG) {
            for (io.glaux.engine.plan.SortKey key : this.orderBy) {
                Type type = inputs.get(key.column());
                if (Nested.isNested(type) || PhysicalType.of(type).representation() == PhysicalType.Representation.OTHER) {
                    throw new GlauxException(ErrorCode.NOT_SUPPORTED, (kind == Kind.LISTAGG ? "listagg" : "array_agg") + " ordered by a " + type.trinoName() + " value is not supported");
                }
            }
            if (!inputs.stream().allMatch(Nested::computable)) {
                throw new GlauxException(ErrorCode.NOT_SUPPORTED, (kind == Kind.LISTAGG ? "listagg" : "array_agg") + " of " + inputs.getFirst().trinoName() + " values is not supported");
            }
            this.values = new GroupedValues(element(stored));
            return;
        }
        Type key = switch (kind) {
            case SET_AGG, HISTOGRAM, MAP_AGG, MULTIMAP_AGG, MIN_N, MAX_N, ORDERED_ARRAY_AGG, LISTAGG -> inputs.get(0);
            case APPROX_MOST_FREQUENT, MIN_BY_N, MAX_BY_N -> inputs.get(1);
        };
        if (Nested.isNested(key) || PhysicalType.of(key) == PhysicalType.OTHER || !inputs.stream().allMatch(Nested::computable)) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, kind.name().toLowerCase(java.util.Locale.ROOT) + " of " + key.trinoName() + " values is not supported");
        }
        this.values = new GroupedValues(element(stored));
    }

    /**
     * The state type of a call of {@code kind} with arguments of {@code inputs}: the array of the
     * argument (tuples), each with its count after the arguments for HISTOGRAM and APPROX_MOST_FREQUENT.
     */
    public static Type stateType(Kind kind, List<Type> inputs)
    {
        return new Type.Array(element(storedTypes(kind, inputs)));
    }

    private static List<Type> storedTypes(Kind kind, List<Type> inputs)
    {
        if (!counted(kind)) {
            return List.copyOf(inputs);
        }
        List<Type> types = new ArrayList<>(inputs);
        types.add(Type.BIGINT);
        return List.copyOf(types);
    }

    /** Whether the kind's tuples carry a count (how many occurrences of the value the tuple stands for). */
    private static boolean counted(Kind kind)
    {
        return kind == Kind.HISTOGRAM || kind == Kind.APPROX_MOST_FREQUENT;
    }

    /** The field of a tuple holding its count (HISTOGRAM, APPROX_MOST_FREQUENT). */
    private int countField()
    {
        return stored.size() - 1;
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
        if (stored.size() == 1) {
            values.add(vectors[0], positions, count, groups);
        }
        else {
            for (int f = 0; f < inputs.size(); f++) {
                Nested.gather(vectors[f], inputs.get(f), positions, count, scratch.child(f));
            }
            if (counted(kind)) {
                // each tuple added stands for one occurrence
                Block counts = scratch.child(countField());
                Nested.reset(counts, Type.BIGINT);
                for (int j = 0; j < count; j++) {
                    Nested.appendLong(counts, 1);
                }
            }
            scratch.count = count;
            scratch.hasNull = false;
            values.add(scratch, count, groups);
        }
        added(groups, count);
    }

    public void merge(FieldVector state, int[] positions, int count, int[] groups)
    {
        values.merge(state, positions, count, groups);
        added(groups, count);
    }

    /** Notes the groups of tuples just added and compacts the state once it has doubled. */
    private void added(int[] groups, int count)
    {
        for (int j = 0; j < count; j++) {
            if (groups[j] >= groupCount) {
                groupCount = groups[j] + 1;
            }
        }
        if (kind == Kind.MULTIMAP_AGG || kind == Kind.ORDERED_ARRAY_AGG || kind == Kind.LISTAGG) {
            // their results need every tuple (every value, every occurrence)
            return;
        }
        int held = values.valueCount();
        if (held >= MIN_COMPACTION_TUPLES && held >= 2L * compactedCount) {
            values.compact(groupCount, this::select);
            compactedCount = values.valueCount();
            compactions++;
        }
    }

    /** This call's state type (tests). */
    Type stateTypeForTests()
    {
        return stateType(kind, inputs);
    }


    /** How many times the state was compacted (tests). */
    int compactions()
    {
        return compactions;
    }

    /** The tuples of one group to keep: see the class comment. */
    private int select(Block tuples, int start, int end, int[] kept)
    {
        int keyField = keyField();
        Block keys = field(tuples, keyField);
        int m = 0;
        for (int i = start; i < end; i++) {
            if (!keys.isNull(i)) {
                kept[m++] = i;
            }
        }
        if (m == 0) {
            return 0;
        }
        Nested.Key representation = Nested.Key.of(inputs.get(keyField));
        if (kind == Kind.SET_AGG || kind == Kind.MAP_AGG) {
            int[] distinct = new int[m];
            int d = distinct(keys, representation, kept, m, distinct, new long[m], null, null);
            System.arraycopy(distinct, 0, kept, 0, d);
            return d;
        }
        if (counted(kind)) {
            // one tuple per distinct value, its count the sum of theirs (written into the tuple kept: a
            // copy, the grouped scratch, which the compaction copies from)
            Block weights = field(tuples, countField());
            int[] distinct = new int[m];
            long[] counts = new long[m];
            int d = distinct(keys, representation, kept, m, distinct, counts, null, weights);
            for (int k = 0; k < d; k++) {
                weights.longs[distinct[k]] = counts[k];
            }
            if (kind == Kind.APPROX_MOST_FREQUENT) {
                long capacity = field(tuples, 2).isNull(distinct[0]) ? 0 : field(tuples, 2).longs[distinct[0]];
                if (capacity > 0 && capacity < d) {
                    // the space-saving summary's capacity: the most frequent values stay, the rarest go
                    int[] order = new int[d];
                    for (int k = 0; k < d; k++) {
                        order[k] = k;
                    }
                    sort(order, d, (a, b) -> Long.compare(counts[b], counts[a]) != 0 ? Long.compare(counts[b], counts[a]) : Integer.compare(a, b));
                    d = (int) capacity;
                    for (int k = 0; k < d; k++) {
                        kept[k] = distinct[order[k]];
                    }
                    return d;
                }
            }
            System.arraycopy(distinct, 0, kept, 0, d);
            return d;
        }
        boolean by = kind == Kind.MIN_BY_N || kind == Kind.MAX_BY_N;
        boolean max = kind == Kind.MAX_N || kind == Kind.MAX_BY_N;
        Block n = field(tuples, by ? 2 : 1);
        long limit = n.isNull(kept[0]) ? 0 : n.longs[kept[0]];
        if (limit <= 0 || limit >= m) {
            // an invalid n fails in the final step; few enough tuples stay as they are
            return m;
        }
        sort(kept, m, (a, b) -> {
            int c = Nested.compare(representation, keys, a, keys, b);
            return max ? -c : c;
        });
        return (int) limit;
    }

    private int keyField()
    {
        return kind == Kind.APPROX_MOST_FREQUENT || kind == Kind.MIN_BY_N || kind == Kind.MAX_BY_N ? 1 : 0;
    }

    public void writeIntermediate(FieldVector dst, int from, int count)
    {
        values.write(dst, from, count);
    }

    /** Heap bytes held: the state, and the scratch and output blocks a step fills. */
    public long sizeInBytes()
    {
        return values.sizeInBytes() + GroupedValues.size(scratch) + GroupedValues.size(out);
    }

    public void writeFinal(FieldVector dst, int from, int count)
    {
        Block grouped = values.grouped(from, count);
        Block tuples = grouped.child(0);
        Nested.reset(out, output);
        int[] index = new int[16];
        int[] distinct = new int[16];
        long[] counts = new long[16];
        int[] slotOf = new int[16];
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
                slotOf = new int[end - start];
            }
            if (kind == Kind.ORDERED_ARRAY_AGG || kind == Kind.LISTAGG) {
                ordered(tuples, start, end, index);
                continue;
            }
            int keyField = keyField();
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
            Nested.Key representation = Nested.Key.of(keyType);
            switch (kind) {
                case SET_AGG, HISTOGRAM, MAP_AGG, MULTIMAP_AGG, APPROX_MOST_FREQUENT -> {
                    int d = distinct(keys, representation, index, m, distinct, counts, slotOf, counted(kind) ? field(tuples, countField()) : null);
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
                    // multimap_agg: each key's values in arrival order, by a counting sort of the tuples on their key
                    int[] byKey = null;
                    int[] keyStarts = null;
                    if (kind == Kind.MULTIMAP_AGG) {
                        keyStarts = new int[d + 1];
                        for (int i = 0; i < m; i++) {
                            keyStarts[slotOf[i] + 1]++;
                        }
                        for (int k = 0; k < d; k++) {
                            keyStarts[k + 1] += keyStarts[k];
                        }
                        byKey = new int[m];
                        int[] next = java.util.Arrays.copyOf(keyStarts, d);
                        for (int i = 0; i < m; i++) {
                            byKey[next[slotOf[i]]++] = index[i];
                        }
                    }
                    for (int k = 0; k < d; k++) {
                        Nested.append(out.child(0), keyType, keys, distinct[k]);
                        switch (kind) {
                            case HISTOGRAM -> Nested.appendLong(out.child(1), counts[k]);
                            // the first tuple with the key (distinct keeps first occurrences)
                            case MAP_AGG -> Nested.append(out.child(1), inputs.get(1), field(tuples, 1), distinct[k]);
                            case MULTIMAP_AGG -> {
                                Block valueArrays = out.child(1);
                                for (int i = keyStarts[k]; i < keyStarts[k + 1]; i++) {
                                    Nested.append(valueArrays.child(0), inputs.get(1), field(tuples, 1), byKey[i]);
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

    /** ORDERED_ARRAY_AGG and LISTAGG of the group whose tuples are {@code [start, end)}: appends its result to {@code out}. */
    private void ordered(Block tuples, int start, int end, int[] index)
    {
        boolean listagg = kind == Kind.LISTAGG;
        Block values = field(tuples, 0);
        // array_agg keeps NULL values (they are elements); listagg skips them
        int m = 0;
        for (int i = start; i < end; i++) {
            if (!listagg || !values.isNull(i)) {
                index[m++] = i;
            }
        }
        if (m == 0) {
            Nested.appendNull(out, output);
            return;
        }
        if (!orderBy.isEmpty()) {
            int keyCount = orderBy.size();
            Block[] keys = new Block[keyCount];
            PhysicalType.Representation[] representations = new PhysicalType.Representation[keyCount];
            boolean[] ascending = new boolean[keyCount];
            boolean[] nullsFirst = new boolean[keyCount];
            for (int k = 0; k < keyCount; k++) {
                io.glaux.engine.plan.SortKey key = orderBy.get(k);
                keys[k] = field(tuples, key.column());
                representations[k] = PhysicalType.of(inputs.get(key.column())).representation();
                ascending[k] = key.ascending();
                nullsFirst[k] = key.nullsFirst();
            }
            sort(index, m, (a, b) -> {
                for (int k = 0; k < keyCount; k++) {
                    Block block = keys[k];
                    boolean aNull = block.isNull(a);
                    boolean bNull = block.isNull(b);
                    if (aNull || bNull) {
                        if (aNull && bNull) {
                            continue;
                        }
                        return aNull == nullsFirst[k] ? -1 : 1;
                    }
                    int c = Nested.compare(representations[k], block, a, block, b);
                    if (c != 0) {
                        return ascending[k] ? c : -c;
                    }
                }
                return 0;
            });
        }
        if (!listagg) {
            Type type = inputs.getFirst();
            for (int i = 0; i < m; i++) {
                Nested.append(out.child(0), type, values, index[i]);
            }
            Nested.endArray(out);
            return;
        }
        int first = index[0];
        Block separators = field(tuples, 1);
        byte[] separator = separators.isNull(first) ? new byte[0] : Arrays.copyOfRange(separators.bytes, separators.offsets[first], separators.offsets[first + 1]);
        boolean truncate = inputs.size() - orderBy.size() >= 4;
        Block fillers = truncate ? field(tuples, 2) : null;
        boolean withCount = truncate && !field(tuples, 3).isNull(first) && field(tuples, 3).longs[first] != 0;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int emitted = 0;
        boolean overflow = false;
        for (int i = 0; i < m; i++) {
            int t = index[i];
            int length = values.offsets[t + 1] - values.offsets[t];
            if ((long) text.size() + length + (emitted > 0 ? separator.length : 0) > LISTAGG_MAX_OUTPUT_LENGTH) {
                overflow = true;
                break;
            }
            if (emitted > 0) {
                text.write(separator, 0, separator.length);
            }
            text.write(values.bytes, values.offsets[t], length);
            emitted++;
        }
        if (overflow) {
            if (!truncate) {
                throw new GlauxException(ErrorCode.EXCEEDED_FUNCTION_MEMORY_LIMIT,
                        "Concatenated string has the length in bytes larger than the maximum output length " + LISTAGG_MAX_OUTPUT_LENGTH + " (listagg)");
            }
            if (emitted > 0) {
                text.write(separator, 0, separator.length);
            }
            if (!fillers.isNull(first)) {
                text.write(fillers.bytes, fillers.offsets[first], fillers.offsets[first + 1] - fillers.offsets[first]);
            }
            if (withCount) {
                byte[] count = ("(" + (m - emitted) + ")").getBytes(StandardCharsets.UTF_8);
                text.write(count, 0, count.length);
            }
        }
        byte[] bytes = text.toByteArray();
        Nested.appendBytes(out, bytes, 0, bytes.length);
    }

    private Block field(Block tuples, int f)
    {
        return stored.size() == 1 ? tuples : tuples.child(f);
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

    /**
     * The distinct keys among {@code keys[index[0..m)]}, in first-seen order, into {@code distinct} (one
     * position each: the first with the key) with their number of occurrences in {@code counts} (each
     * tuple counting its {@code weights} value, unless null), and (unless null) the number of each
     * tuple's key into {@code slotOf[i]}; returns how many.
     */
    private static int distinct(Block keys, Nested.Key representation, int[] index, int m, int[] distinct, long[] counts, int[] slotOf, Block weights)
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
                    counts[d] = weights == null ? 1 : weights.longs[position];
                    if (slotOf != null) {
                        slotOf[i] = d;
                    }
                    d++;
                    break;
                }
                if (Nested.equal(representation, keys, distinct[entry - 1], keys, position)) {
                    counts[entry - 1] += weights == null ? 1 : weights.longs[position];
                    if (slotOf != null) {
                        slotOf[i] = entry - 1;
                    }
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
