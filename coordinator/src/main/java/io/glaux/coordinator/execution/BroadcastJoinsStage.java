package io.glaux.coordinator.execution;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.planner.PhysicalPlanner;
import io.glaux.engine.execution.LocalExecutionPlanner;
import io.glaux.engine.operator.LazyOperator;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNodeIds;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scan stage whose tasks join their rows with the rows of several build stages in turn (a chain of
 * broadcast joins in one pipeline: a star join), as an engine operator. The build stages run first, one
 * after the other, into the query's memory on the coordinator; if together they stay under
 * the query's broadcast limit (and 1/16 of the query's limit) they all go to every probe
 * task and the joins run on the workers. Otherwise the joins with the build stages that fit (the
 * innermost ones) still run in the probe tasks, and the coordinator runs the joins above them (its hash
 * joins can spill), each of their build stages scanned when its join asks for it.
 */
final class BroadcastJoinsStage
        extends LazyOperator
{
    private final QueryExecution execution;
    private final PhysicalPlanner.ScanStage probe;
    private final List<Integer> buildStageIds;
    private final Map<Integer, PhysicalPlanner.ScanStage> scans;
    private final OperatorContext context;
    private final PlanNodeIds ids;

    /**
     * @param scans the plan's scan stages (the build stages among them)
     * @param ids ids no node of the plan has, for the leaf that reads the probe tasks' output here
     */
    BroadcastJoinsStage(QueryExecution execution, PhysicalPlanner.ScanStage probe, List<Integer> buildStageIds, Map<Integer, PhysicalPlanner.ScanStage> scans,
            PlanNodeIds ids, OperatorContext context)
    {
        super(probe.types());
        this.execution = requireNonNull(execution, "execution is null");
        this.probe = requireNonNull(probe, "probe is null");
        this.buildStageIds = List.copyOf(buildStageIds);
        this.scans = Map.copyOf(scans);
        this.ids = requireNonNull(ids, "ids is null");
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    protected Operator start()
    {
        QueryExecution.CollectedBroadcasts collected = execution.collectBroadcasts(probe.scan(), probe.pipeline(), buildStageIds, scans, context);
        if (collected.complete()) {
            return execution.broadcastProbeStage(probe.scan(), probe.pipeline(), collected, probe.types(),
                    new OperatorContext(context.query(), context.name() + "-probe"));
        }
        return joinHere(collected);
    }

    /**
     * Too large to broadcast: the joins with the build stages of {@code collected} (those that fit, the
     * innermost ones) still run in the probe tasks, the joins above them here. Each leaf here is its
     * stage's scan (or the probe tasks' output), started when first read: a hash join reads its build side
     * whole before its probe side, so no two scans run at once.
     */
    private Operator joinHere(QueryExecution.CollectedBroadcasts collected)
    {
        List<io.glaux.engine.fragment.Task.Broadcast> broadcasts = collected.broadcasts();
        PlanNode pipeline = probe.pipeline().orElseThrow();
        Optional<PlanNode> remotePart = broadcasts.isEmpty() ? Optional.empty() : QueryExecution.joinWith(pipeline, broadcasts.getLast().stageId());
        Optional<PlanNode> localPart = remotePart.flatMap(part -> QueryExecution.replaced(pipeline, part,
                new PlanNode.RemoteSource(ids.next(), List.of(0), PlanNode.ExchangeType.GATHER, List.of(), part.outputTypes())));
        LocalExecutionPlanner local = new LocalExecutionPlanner(context.query(), (leaf, leafContext) -> {
            PlanNode.RemoteSource remote = (PlanNode.RemoteSource) leaf;
            if (remote.exchangeType() == PlanNode.ExchangeType.BROADCAST) {
                PhysicalPlanner.ScanStage build = scans.get(remote.sourceStages().getFirst());
                return execution.scanStage(build.scan(), build.pipeline(), build.types(), leafContext);
            }
            if (localPart.isEmpty()) {
                return execution.scanStage(probe.scan(), Optional.empty(), remote.outputTypes(), leafContext);
            }
            // the probe tasks joining the broadcast build stages that fit
            return execution.broadcastProbeStage(probe.scan(), remotePart, collected, remote.outputTypes(), leafContext);
        });
        return local.plan(localPart.orElse(pipeline));
    }

    @Override
    protected void release()
    {
        context.close();
    }
}
