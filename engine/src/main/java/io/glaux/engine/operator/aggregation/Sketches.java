package io.glaux.engine.operator.aggregation;

import io.glaux.engine.expr.Block;
import io.glaux.engine.expr.ByteHashing;
import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.SqlTypes;
import io.glaux.engine.expr.TimeZones;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.HllUnion;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllLongsSketch;
import org.apache.datasketches.kll.KllSketch;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/** The sketch-based aggregates: APPROX_DISTINCT (HyperLogLog) and APPROX_PERCENTILE (KLL), one sketch object per group. */
final class Sketches
{
    /** log2 of the HyperLogLog's register count: 2048 registers, standard error 1.04/√2048 ≈ 0.023 (Trino's default). */
    static final int HLL_LG_K = 11;
    /** KLL's k: normalized rank error ≈ 1.33% (single-sided, 99% confidence). */
    static final int KLL_K = KllSketch.DEFAULT_K;

    private Sketches() {}

    /** Tracks the heap size of the groups' sketches: after each batch, re-measures each touched group once. */
    abstract static class SketchAccumulator
            extends Accumulator
    {
        private int[] sizes = new int[0];
        private int[] marks = new int[0];
        private int epoch;
        private long total;

        @Override
        void ensureCapacity(int groups)
        {
            if (sizes.length < groups) {
                int size = grow(sizes.length, groups);
                sizes = Arrays.copyOf(sizes, size);
                marks = Arrays.copyOf(marks, size);
                growSketches(size);
            }
        }

        abstract void growSketches(int size);

        /** Heap bytes of group g's sketch (0 without one). */
        abstract int sketchSize(int g);

        final void track(int[] groups, int count)
        {
            if (++epoch == Integer.MAX_VALUE) {
                Arrays.fill(marks, 0);
                epoch = 1;
            }
            int e = epoch;
            for (int j = 0; j < count; j++) {
                int g = groups[j];
                if (marks[g] != e) {
                    marks[g] = e;
                    int size = sketchSize(g);
                    total += size - sizes[g];
                    sizes[g] = size;
                }
            }
        }

        @Override
        long sizeInBytes()
        {
            return sizes.length * 16L + total;
        }
    }

    static void writeBinary(FieldVector dst, byte[][] values, int count)
    {
        VarBinaryVector vector = (VarBinaryVector) dst;
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += values[i] == null ? 0 : values[i].length;
        }
        vector.allocateNew(Math.max(total, 1), Math.max(count, 1));
        for (int i = 0; i < count; i++) {
            if (values[i] == null) {
                vector.setNull(i);
            }
            else {
                vector.set(i, values[i]);
            }
        }
        vector.setValueCount(count);
    }

    // ------------------------------------------------------------------ approx_distinct

    /** APPROX_DISTINCT(x): an HLL union per group (list/set mode while small, 8-bit registers after); 0 for no values. */
    static final class ApproxDistinct
            extends SketchAccumulator
    {
        private final PhysicalType type;
        /** timestamp with time zone: counts instants (the zone key cleared), as Trino. */
        private final long valueMask;
        private final Block values = new Block();
        private HllUnion[] sketches = new HllUnion[0];

        ApproxDistinct(Type inputType)
        {
            this.type = inputType == null ? PhysicalType.INT64 : AggregationLayout.of(inputType);
            this.valueMask = inputType instanceof Type.TimestampWithTimeZone ? TimeZones.INSTANT_MASK : -1L;
        }

        @Override
        void growSketches(int size)
        {
            sketches = Arrays.copyOf(sketches, size);
        }

        @Override
        int sketchSize(int g)
        {
            return sketches[g] == null ? 0 : sketches[g].getUpdatableSerializationBytes() + 64;
        }

        private HllUnion sketch(int g)
        {
            HllUnion sketch = sketches[g];
            if (sketch == null) {
                sketch = new HllUnion(HLL_LG_K);
                sketches[g] = sketch;
            }
            return sketch;
        }

        @Override
        void add(int[] groups, Args args)
        {
            int count = args.count;
            if (type == PhysicalType.OTHER) {
                // decimal: hash the 16 bytes of the value
                FieldVector vector = args.vectors[0];
                ArrowBuf data = vector.getDataBuffer();
                for (int j = 0; j < count; j++) {
                    int row = args.positions[j];
                    if (!isNull(vector, row)) {
                        long at = (long) row << 4;
                        sketch(groups[j]).update(KeyColumn.combine(ByteHashing.hash(data.getLong(at)), data.getLong(at + 8)));
                    }
                }
                track(groups, count);
                return;
            }
            Block input = args.blocks[0];
            boolean[] nulls = input.hasNull() ? input.nulls() : null;
            switch (type.representation()) {
                case LONG -> {
                    long[] v = input.longs();
                    long mask = valueMask;
                    for (int j = 0; j < count; j++) {
                        if (nulls == null || !nulls[j]) {
                            sketch(groups[j]).update(v[j] & mask);
                        }
                    }
                }
                case DOUBLE -> {
                    double[] v = input.doubles();
                    for (int j = 0; j < count; j++) {
                        if (nulls == null || !nulls[j]) {
                            sketch(groups[j]).update(v[j]);
                        }
                    }
                }
                default -> {
                    byte[] bytes = input.bytes();
                    int[] offsets = input.offsets();
                    for (int j = 0; j < count; j++) {
                        if (nulls == null || !nulls[j]) {
                            sketch(groups[j]).update(ByteHashing.hash(bytes, offsets[j], offsets[j + 1]));
                        }
                    }
                }
            }
            track(groups, count);
        }

        @Override
        void merge(int[] groups, FieldVector vector, int[] positions, int count)
        {
            VarBinaryVector binary = (VarBinaryVector) vector;
            for (int j = 0; j < count; j++) {
                byte[] bytes = binary.get(positions[j]);
                if (bytes != null) {
                    sketch(groups[j]).update(HllSketch.heapify(bytes));
                }
            }
            track(groups, count);
        }

        @Override
        void writeIntermediate(FieldVector dst, int from, int count)
        {
            byte[][] values = new byte[count][];
            for (int i = 0; i < count; i++) {
                HllUnion sketch = sketches[from + i];
                values[i] = sketch == null ? null : sketch.toCompactByteArray();
            }
            writeBinary(dst, values, count);
        }

        @Override
        void writeFinal(FieldVector dst, int from, int count)
        {
            BigIntVector vector = (BigIntVector) dst;
            vector.allocateNew(Math.max(count, 1));
            for (int i = 0; i < count; i++) {
                HllUnion sketch = sketches[from + i];
                vector.set(i, sketch == null ? 0 : Math.round(sketch.getEstimate()));
            }
            vector.setValueCount(count);
        }
    }

    // ------------------------------------------------------------------ approx_percentile

    /**
     * APPROX_PERCENTILE(x, p), (x, array(p)) and (x, w, p): a KLL sketch per group (longs for integer
     * x, doubles for real/double), with integer weights. The percentiles must be the same for every
     * row; the intermediate state carries them: {@code [byte array?][int n][n doubles][sketch bytes]}.
     */
    static final class ApproxPercentile
            extends SketchAccumulator
    {
        private final AggregateCall call;
        private final boolean longs;
        private final boolean weighted;
        private final boolean arrayResult;
        private final PhysicalType resultType;
        private KllSketch[] sketches = new KllSketch[0];
        private double[] percentiles;

        ApproxPercentile(AggregateCall call, List<Type> argumentTypes)
        {
            this.call = call;
            Type x = argumentTypes.get(0);
            Type p = argumentTypes.getLast();
            this.weighted = argumentTypes.size() == 3;
            this.longs = SqlTypes.isIntegral(x);
            this.arrayResult = p instanceof Type.Array;
            Type output = call.outputType();
            Type element = output instanceof Type.Array array ? array.element() : output;
            Type expected = longs ? Type.BIGINT : x;
            boolean pOk = p.equals(Type.DOUBLE) || p instanceof Type.Array array && array.element().equals(Type.DOUBLE);
            boolean xOk = longs || x.equals(Type.DOUBLE) || x.equals(Type.REAL);
            boolean wOk = !weighted || SqlTypes.isIntegral(argumentTypes.get(1));
            if (!pOk || !xOk || !wOk || !element.equals(expected) || arrayResult != output instanceof Type.Array) {
                throw Accumulators.unsupported(call, x);
            }
            this.resultType = AggregationLayout.of(element);
        }

        @Override
        void growSketches(int size)
        {
            sketches = Arrays.copyOf(sketches, size);
        }

        @Override
        int sketchSize(int g)
        {
            return sketches[g] == null ? 0 : sketches[g].getSerializedSizeBytes() + 64;
        }

        private KllSketch sketch(int g)
        {
            KllSketch sketch = sketches[g];
            if (sketch == null) {
                sketch = longs ? KllLongsSketch.newHeapInstance(KLL_K) : KllDoublesSketch.newHeapInstance(KLL_K);
                sketches[g] = sketch;
            }
            return sketch;
        }

        private void setPercentiles(double[] values)
        {
            for (double p : values) {
                if (!(p >= 0 && p <= 1)) {
                    throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Percentile must be between 0 and 1");
                }
            }
            if (percentiles == null) {
                percentiles = values;
            }
            else if (!Arrays.equals(percentiles, values)) {
                throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "approx_percentile: the percentile must be the same for all rows");
            }
        }

        @Override
        void add(int[] groups, Args args)
        {
            int count = args.count;
            Block x = args.blocks[0];
            Block w = weighted ? args.blocks[1] : null;
            int pIndex = args.blocks.length - 1;
            Block p = args.blocks[pIndex];
            FieldVector pVector = args.vectors[pIndex];
            boolean checkedArray = false;
            double[] single = null;
            for (int j = 0; j < count; j++) {
                if (x.isNull(j) || w != null && w.isNull(j)) {
                    continue;
                }
                if (arrayResult) {
                    int row = args.positions[j];
                    if (isNull(pVector, row)) {
                        continue;
                    }
                    if (!checkedArray) {
                        List<?> list = ((ListVector) pVector).getObject(row);
                        double[] values = new double[list.size()];
                        for (int i = 0; i < values.length; i++) {
                            Object value = list.get(i);
                            if (value == null) {
                                throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Percentile cannot be null");
                            }
                            values[i] = ((Number) value).doubleValue();
                        }
                        setPercentiles(values);
                        checkedArray = true;
                    }
                }
                else {
                    if (p.isNull(j)) {
                        continue;
                    }
                    double value = p.doubles()[j];
                    if (single == null || single[0] != value) {
                        single = new double[] {value};
                        setPercentiles(single);
                    }
                }
                long weight = 1;
                if (w != null) {
                    weight = w.longs()[j];
                    if (weight <= 0) {
                        throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Percentile weight must be > 0");
                    }
                }
                KllSketch sketch = sketch(groups[j]);
                if (longs) {
                    ((KllLongsSketch) sketch).update(x.longs()[j], weight);
                }
                else {
                    double value = x.doubles()[j];
                    if (!Double.isNaN(value)) {
                        ((KllDoublesSketch) sketch).update(value, weight);
                    }
                }
            }
            track(groups, count);
        }

        @Override
        void merge(int[] groups, FieldVector vector, int[] positions, int count)
        {
            VarBinaryVector binary = (VarBinaryVector) vector;
            for (int j = 0; j < count; j++) {
                byte[] bytes = binary.get(positions[j]);
                if (bytes == null) {
                    continue;
                }
                ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                buffer.get();
                double[] values = new double[buffer.getInt()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = buffer.getDouble();
                }
                if (percentiles == null || !Arrays.equals(percentiles, values)) {
                    setPercentiles(values);
                }
                MemorySegment segment = MemorySegment.ofArray(bytes).asSlice(buffer.position());
                KllSketch other = longs ? KllLongsSketch.heapify(segment) : KllDoublesSketch.heapify(segment);
                sketch(groups[j]).merge(other);
            }
            track(groups, count);
        }

        @Override
        void writeIntermediate(FieldVector dst, int from, int count)
        {
            byte[][] values = new byte[count][];
            for (int i = 0; i < count; i++) {
                KllSketch sketch = sketches[from + i];
                if (sketch == null) {
                    continue;
                }
                byte[] bytes = longs ? ((KllLongsSketch) sketch).toByteArray() : ((KllDoublesSketch) sketch).toByteArray();
                ByteBuffer buffer = ByteBuffer.allocate(5 + percentiles.length * 8 + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
                buffer.put((byte) (arrayResult ? 1 : 0)).putInt(percentiles.length);
                for (double p : percentiles) {
                    buffer.putDouble(p);
                }
                buffer.put(bytes);
                values[i] = buffer.array();
            }
            writeBinary(dst, values, count);
        }

        private boolean hasResult(int g)
        {
            return sketches[g] != null && !sketches[g].isEmpty() && percentiles != null;
        }

        @Override
        void writeFinal(FieldVector dst, int from, int count)
        {
            if (arrayResult) {
                ListVector list = (ListVector) dst;
                list.allocateNew();
                FieldVector values = list.getDataVector();
                for (int i = 0; i < count; i++) {
                    int g = from + i;
                    if (!hasResult(g)) {
                        list.setNull(i);
                        continue;
                    }
                    int start = list.startNewValue(i);
                    for (int k = 0; k < percentiles.length; k++) {
                        setValue(values, start + k, sketches[g], percentiles[k]);
                    }
                    list.endValue(i, percentiles.length);
                }
                list.setValueCount(count);
                return;
            }
            BaseFixedWidthVector vector = (BaseFixedWidthVector) dst;
            vector.allocateNew(Math.max(count, 1));
            for (int i = 0; i < count; i++) {
                int g = from + i;
                if (!hasResult(g)) {
                    vector.setNull(i);
                }
                else {
                    setValue(vector, i, sketches[g], percentiles[0]);
                }
            }
            vector.setValueCount(count);
        }

        private void setValue(FieldVector vector, int index, KllSketch sketch, double percentile)
        {
            switch (resultType) {
                case INT64 -> ((BigIntVector) vector).setSafe(index, ((KllLongsSketch) sketch).getQuantile(percentile));
                case FLOAT32 -> ((Float4Vector) vector).setSafe(index, (float) ((KllDoublesSketch) sketch).getQuantile(percentile));
                default -> ((Float8Vector) vector).setSafe(index, ((KllDoublesSketch) sketch).getQuantile(percentile));
            }
        }
    }
}
