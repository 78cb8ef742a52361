package io.glaux.engine.operator.join;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.Vectors;
import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.PlanNode.JoinType;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the hash join and the nested-loop join share: the buffered build side, the probe loop and the
 * output of every join type. A subclass drains the build side ({@link #buildSide()}) and, per probe
 * batch, produces candidate pairs (probe row, build row) in chunks ({@link #nextCandidates}); this class
 * applies the condition to them, tracks which probe and build rows matched, and assembles output
 * batches of at most {@link #BATCH_ROWS} rows with vectorized gathers ({@link JoinGather}):
 * <ul>
 * <li>INNER, LEFT, RIGHT, FULL: the matching pairs of each chunk, left columns then right columns;
 * LEFT and FULL then add the probe batch's unmatched rows with NULL right columns; RIGHT and FULL
 * end with the unmatched build rows with NULL left columns.</li>
 * <li>SEMI, ANTI: the probe rows with (without) a match, once each, left columns only. Without a
 * condition no pairs are produced at all: whether a row has a candidate decides.</li>
 * </ul>
 * With no build rows, INNER, SEMI and RIGHT end at once without reading the probe side.
 */
abstract class AbstractJoinOperator
        implements Operator
{
    /** Rows per output batch (and per chunk of candidate pairs). */
    static final int BATCH_ROWS = 16 * 1024;

    private enum Phase
    {
        PROBE, BUILD_OUTER, DONE
    }

    protected final OperatorContext context;
    protected final Operator probe;
    protected final Operator build;
    protected final JoinType type;
    protected final List<Type> probeTypes;
    protected final List<Type> buildTypes;
    private final List<Type> outputTypes;
    /** The output's columns as positions in (probe columns, build columns); null: all of them. */
    private final int[] outputColumns;
    private final boolean ownsContext;
    private final PairFilter filter;
    private final int batchRows;

    protected final BuildRows buildRows;
    private boolean built;
    private boolean[] buildMatched;

    private Phase phase = Phase.PROBE;
    private VectorSchemaRoot probeBatch;
    private FieldVector[] probeVectors;
    private int probeRowCount;
    private boolean candidatesDone;
    private boolean[] probeMatched = new boolean[0];
    private int rowCursor;
    private int buildCursor;

    private int[] pairProbe;
    private int[] pairBuild;
    private long[] addressScratch;
    private boolean closed;

    protected AbstractJoinOperator(OperatorContext context, Operator probe, Operator build, JoinType type, Optional<Expression> condition,
            boolean ownsContext, int batchRows)
    {
        this(context, probe, build, type, condition, ownsContext, batchRows, Optional.empty());
    }

    /**
     * {@code outputColumns}: the positions (in probe columns, then build columns) of the columns to
     * output, in that order; empty for all of them. Only those columns are gathered.
     */
    protected AbstractJoinOperator(OperatorContext context, Operator probe, Operator build, JoinType type, Optional<Expression> condition,
            boolean ownsContext, int batchRows, Optional<List<Integer>> outputColumns)
    {
        this.context = requireNonNull(context, "context is null");
        this.probe = requireNonNull(probe, "probe is null");
        this.build = requireNonNull(build, "build is null");
        this.type = requireNonNull(type, "type is null");
        requireNonNull(condition, "condition is null");
        this.ownsContext = ownsContext;
        this.batchRows = batchRows;
        probeTypes = List.copyOf(probe.outputTypes());
        buildTypes = List.copyOf(build.outputTypes());
        List<Type> types = new ArrayList<>(probeTypes);
        if (type.outputsRight()) {
            types.addAll(buildTypes);
        }
        requireNonNull(outputColumns, "outputColumns is null");
        this.outputColumns = outputColumns.map(columns -> columns.stream().mapToInt(Integer::intValue).toArray()).orElse(null);
        if (this.outputColumns != null) {
            List<Type> selected = new ArrayList<>();
            boolean[] seen = new boolean[types.size()];
            for (int column : this.outputColumns) {
                if (column < 0 || column >= types.size() || seen[column]) {
                    throw new IllegalArgumentException("output columns " + outputColumns.get() + " of " + types.size());
                }
                seen[column] = true;
                selected.add(types.get(column));
            }
            types = selected;
        }
        outputTypes = List.copyOf(types);
        filter = condition.map(expression -> new PairFilter(expression, probeTypes, buildTypes)).orElse(null);
        buildRows = new BuildRows(buildTypes.size());
        pairProbe = new int[batchRows];
        pairBuild = new int[batchRows];
        addressScratch = new long[batchRows];
    }

    @Override
    public final List<Type> outputTypes()
    {
        return outputTypes;
    }

    /** Drains the build side into {@link #buildRows} (and whatever the subclass needs to look rows up). */
    protected abstract void buildSide();

    /** Called once per probe batch, before {@link #nextCandidates}. */
    protected abstract void startProbeBatch(VectorSchemaRoot batch);

    /**
     * Writes up to {@code capacity} candidate pairs of the current probe batch (probe rows
     * non-decreasing) and returns how many; returns 0 only when the batch has no more.
     */
    protected abstract int nextCandidates(int[] probeRows, int[] buildRows, int capacity);

    /** Whether the next {@link #nextCandidates} call for the current probe batch would return 0. */
    protected abstract boolean candidatesExhausted();

    /** For SEMI and ANTI without a condition: whether probe row {@code row} has any candidate. */
    protected abstract boolean hasCandidate(int row);

    /** Whether this operator should report its input and output rows (false for the partitions of a spilled join). */
    protected boolean countsStats()
    {
        return ownsContext;
    }

    /** Drains the build side if not done yet. */
    public final void build()
    {
        checkOpen();
        if (!built) {
            built = true;
            buildSide();
            if (type == JoinType.RIGHT || type == JoinType.FULL) {
                buildMatched = new boolean[buildRows.rowCount()];
            }
        }
    }

    protected final boolean isBuilt()
    {
        return built;
    }

    @Override
    public VectorSchemaRoot next()
    {
        checkOpen();
        long start = System.nanoTime();
        try {
            build();
            VectorSchemaRoot output = produce();
            if (output != null && countsStats()) {
                context.stats().addOutput(output.getRowCount(), Batches.sizeInBytes(output));
            }
            return output;
        }
        finally {
            context.stats().addWallNanos(System.nanoTime() - start);
        }
    }

    /** The next output batch of the in-memory join. */
    protected VectorSchemaRoot produce()
    {
        while (true) {
            context.checkCancelled();
            switch (phase) {
                case DONE -> {
                    return null;
                }
                case BUILD_OUTER -> {
                    VectorSchemaRoot output = unmatchedBuildRows();
                    if (output != null) {
                        return output;
                    }
                    phase = Phase.DONE;
                }
                case PROBE -> {
                    if (probeBatch == null && !nextProbeBatch()) {
                        continue;
                    }
                    if (!candidatesDone) {
                        int count = nextCandidates(pairProbe, pairBuild, batchRows);
                        if (count == 0) {
                            candidatesDone = true;
                            continue;
                        }
                        if (filter != null) {
                            count = filter.filter(probeVectors, pairProbe, buildRows.columns(), buildRows.addresses(), pairBuild, count, context.allocator());
                        }
                        if (count == 0) {
                            continue;
                        }
                        if (type != JoinType.INNER && type != JoinType.RIGHT) {
                            boolean[] matched = probeMatched;
                            int[] rows = pairProbe;
                            for (int i = 0; i < count; i++) {
                                matched[rows[i]] = true;
                            }
                        }
                        if (buildMatched != null) {
                            boolean[] matched = buildMatched;
                            int[] rows = pairBuild;
                            for (int i = 0; i < count; i++) {
                                matched[rows[i]] = true;
                            }
                        }
                        if (type.outputsRight()) {
                            // every probe row of the batch exactly once, in order (a lookup into a dimension table):
                            // the probe columns move into the output instead of being copied
                            boolean moveProbe = count == probeRowCount && candidatesExhausted() && isIdentity(pairProbe, count);
                            return output(count, false, moveProbe);
                        }
                        continue;
                    }
                    if (type == JoinType.LEFT || type == JoinType.FULL || type == JoinType.SEMI || type == JoinType.ANTI) {
                        boolean want = type == JoinType.SEMI;
                        boolean[] matched = probeMatched;
                        int count = 0;
                        int row = rowCursor;
                        while (row < probeRowCount && count < batchRows) {
                            pairProbe[count] = row;
                            count += matched[row] == want ? 1 : 0;
                            row++;
                        }
                        rowCursor = row;
                        if (count > 0) {
                            Arrays.fill(pairBuild, 0, count, -1);
                            return output(count, false, false);
                        }
                    }
                    closeProbeBatch();
                }
            }
        }
    }

    private boolean nextProbeBatch()
    {
        if (buildRows.rowCount() == 0 && (type == JoinType.INNER || type == JoinType.SEMI || type == JoinType.RIGHT)) {
            phase = Phase.DONE;
            return false;
        }
        VectorSchemaRoot batch = probe.next();
        if (batch == null) {
            phase = type == JoinType.RIGHT || type == JoinType.FULL ? Phase.BUILD_OUTER : Phase.DONE;
            return false;
        }
        int rows = batch.getRowCount();
        if (countsStats()) {
            context.stats().addInput(rows);
        }
        if (rows == 0) {
            batch.close();
            return false;
        }
        batch = Batches.transfer(batch, context.allocator());
        probeBatch = batch;
        probeRowCount = rows;
        probeVectors = batch.getFieldVectors().toArray(FieldVector[]::new);
        rowCursor = 0;
        if (probeMatched.length < rows) {
            probeMatched = new boolean[Math.max(rows, probeMatched.length * 2)];
        }
        else {
            Arrays.fill(probeMatched, 0, rows, false);
        }
        startProbeBatch(batch);
        candidatesDone = false;
        if (!type.outputsRight() && filter == null) {
            // SEMI / ANTI without a condition: a candidate is a match
            for (int row = 0; row < rows; row++) {
                probeMatched[row] = hasCandidate(row);
            }
            candidatesDone = true;
        }
        return true;
    }

    private void closeProbeBatch()
    {
        if (probeBatch != null) {
            probeBatch.close();
            probeBatch = null;
            probeVectors = null;
        }
    }

    private VectorSchemaRoot unmatchedBuildRows()
    {
        boolean[] matched = buildMatched;
        int rows = buildRows.rowCount();
        int count = 0;
        int row = buildCursor;
        while (row < rows && count < batchRows) {
            pairBuild[count] = row;
            count += matched[row] ? 0 : 1;
            row++;
        }
        buildCursor = row;
        if (count == 0) {
            return null;
        }
        return output(count, true, false);
    }

    private static boolean isIdentity(int[] rows, int count)
    {
        for (int i = 0; i < count; i++) {
            if (rows[i] != i) {
                return false;
            }
        }
        return true;
    }

    /**
     * An output batch of {@code count} rows: probe rows {@code pairProbe} (or NULL), build rows
     * {@code pairBuild} (-1 = NULL). {@code moveProbe}: the probe rows are the whole batch in order and
     * no later output needs its vectors, which move into the output without a copy.
     */
    private VectorSchemaRoot output(int count, boolean leftNull, boolean moveProbe)
    {
        VectorSchemaRoot output = Batches.create(outputTypes, context.allocator());
        try {
            long[] addresses = addressScratch;
            int probeWidth = probeTypes.size();
            int[] columns = outputColumns;
            int width = columns == null ? outputTypes.size() : columns.length;
            boolean probeAddressed = false;
            boolean buildAddressed = false;
            FieldVector[] source = new FieldVector[1];
            for (int c = 0; c < width; c++) {
                int column = columns == null ? c : columns[c];
                FieldVector target = output.getVector(c);
                if (column < probeWidth) {
                    if (leftNull) {
                        JoinGather.nulls(target, count);
                    }
                    else if (moveProbe) {
                        // (an output column appears once at most when the probe's vectors move)
                        Vectors.transfer(probeVectors[column], target);
                    }
                    else {
                        if (!probeAddressed) {
                            probeAddressed = true;
                            buildAddressed = false;
                            int[] rows = pairProbe;
                            for (int i = 0; i < count; i++) {
                                addresses[i] = rows[i];
                            }
                        }
                        source[0] = probeVectors[column];
                        JoinGather.gather(source, addresses, count, target);
                    }
                    continue;
                }
                if (!buildAddressed) {
                    buildAddressed = true;
                    probeAddressed = false;
                    long[] buildAddresses = buildRows.addresses();
                    int[] rows = pairBuild;
                    for (int i = 0; i < count; i++) {
                        int row = rows[i];
                        addresses[i] = row < 0 ? -1 : buildAddresses[row];
                    }
                }
                JoinGather.gather(buildRows.columns()[column - probeWidth], addresses, count, target);
            }
            output.setRowCount(count);
            return output;
        }
        catch (RuntimeException | Error e) {
            output.close();
            throw e;
        }
    }

    protected final void checkOpen()
    {
        if (closed) {
            throw new IllegalStateException(context.name() + " is closed");
        }
    }

    /** Releases what the subclass holds beyond the build rows (called first by {@link #close()}). */
    protected void closeExtra() {}

    @Override
    public final void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        List<Runnable> steps = List.of(
                this::closeExtra,
                this::closeProbeBatch,
                buildRows::close,
                probe::close,
                build::close,
                () -> {
                    if (ownsContext) {
                        context.close();
                    }
                    else {
                        context.setHeapBytes(0);
                    }
                });
        Throwable failure = null;
        for (Runnable step : steps) {
            try {
                step.run();
            }
            catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                }
                else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }
}
