package io.glaux.coordinator.planner;

import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Uncollect;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlUnnestOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.SqlToRelConverter;

import java.util.List;

/**
 * {@code UNNEST ... WITH ORDINALITY} with Trino's bigint ordinal. Calcite types the ordinal INTEGER in
 * two places, the validator ({@link SqlUnnestOperator}) and the relational algebra ({@link Uncollect});
 * the validator's UNNEST is swapped for {@link #WITH_ORDINALITY} and SqlToRel's Uncollect for
 * {@link BigintOrdinalUncollect}, so the column is bigint everywhere: in expressions, in DESCRIBE
 * OUTPUT and in the JDBC metadata.
 */
final class UnnestOrdinality
{
    /** Calcite's UNNEST WITH ORDINALITY, its last column bigint. */
    static final SqlUnnestOperator WITH_ORDINALITY = new SqlUnnestOperator(true)
    {
        @Override
        public RelDataType inferReturnType(SqlOperatorBinding binding)
        {
            return withBigintOrdinal(binding.getTypeFactory(), super.inferReturnType(binding));
        }
    };

    private UnnestOrdinality() {}

    /** Swaps Calcite's UNNEST WITH ORDINALITY for {@link #WITH_ORDINALITY} when {@code node} is one (called on every node before validation). */
    static void rewrite(SqlNode node)
    {
        if (node instanceof SqlBasicCall call && call.getOperator() == SqlStdOperatorTable.UNNEST_WITH_ORDINALITY) {
            call.setOperator(WITH_ORDINALITY);
        }
    }

    /** A SqlToRel converter that builds {@link BigintOrdinalUncollect}s. */
    static SqlToRelConverter converter(RelOptTable.ViewExpander viewExpander, SqlValidator validator, Prepare.CatalogReader catalogReader,
            RelOptCluster cluster, SqlRexConvertletTable convertlets, SqlToRelConverter.Config config)
    {
        return new SqlToRelConverter(viewExpander, validator, catalogReader, cluster, convertlets, config)
        {
            @Override
            protected void convertFrom(Blackboard bb, SqlNode from, List<String> fieldNames)
            {
                super.convertFrom(bb, from, fieldNames);
                if (from instanceof SqlBasicCall call && call.getOperator() == WITH_ORDINALITY && bb.root != null) {
                    RelNode retyped = retype(bb.root);
                    if (retyped != bb.root) {
                        bb.setRoot(retyped, true);
                    }
                }
            }
        };
    }

    /** An Uncollect with ordinality made a {@link BigintOrdinalUncollect}, also under a projection; anything else unchanged. */
    private static RelNode retype(RelNode node)
    {
        if (node instanceof Uncollect uncollect && !(node instanceof BigintOrdinalUncollect) && uncollect.withOrdinality) {
            return new BigintOrdinalUncollect(uncollect.getCluster(), uncollect.getTraitSet(), uncollect.getInput(), uncollect.getItemAliases());
        }
        if (node instanceof LogicalProject project) {
            RelNode input = retype(project.getInput());
            if (input == project.getInput()) {
                return node;
            }
            List<RexNode> projects = project.getProjects().stream()
                    .map(expression -> expression.accept(new RexShuttle()
                    {
                        @Override
                        public RexNode visitInputRef(RexInputRef ref)
                        {
                            return RexInputRef.of(ref.getIndex(), input.getRowType());
                        }
                    }))
                    .toList();
            return LogicalProject.create(input, project.getHints(), projects, project.getRowType().getFieldNames(), project.getVariablesSet());
        }
        return node;
    }

    private static RelDataType withBigintOrdinal(RelDataTypeFactory factory, RelDataType rowType)
    {
        List<RelDataTypeField> fields = rowType.getFieldList();
        RelDataTypeFactory.Builder builder = factory.builder();
        for (int i = 0; i < fields.size() - 1; i++) {
            builder.add(fields.get(i));
        }
        RelDataTypeField ordinal = fields.getLast();
        RelDataType bigint = factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.BIGINT), ordinal.getType().isNullable());
        return builder.add(ordinal.getName(), bigint).build();
    }

    /** Calcite's Uncollect with ordinality, the ordinal bigint. */
    static final class BigintOrdinalUncollect
            extends Uncollect
    {
        BigintOrdinalUncollect(RelOptCluster cluster, RelTraitSet traitSet, RelNode input, List<String> itemAliases)
        {
            super(cluster, traitSet, input, true, itemAliases);
        }

        @Override
        protected RelDataType deriveRowType()
        {
            return withBigintOrdinal(getCluster().getTypeFactory(), super.deriveRowType());
        }

        @Override
        public RelNode copy(RelTraitSet traitSet, RelNode input)
        {
            return new BigintOrdinalUncollect(getCluster(), traitSet, input, getItemAliases());
        }
    }
}
