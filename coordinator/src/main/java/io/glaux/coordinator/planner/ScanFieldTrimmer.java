package io.glaux.coordinator.planner;

import io.glaux.engine.expr.Expression;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.RelFieldTrimmer;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.mapping.Mapping;
import org.apache.calcite.util.mapping.MappingType;
import org.apache.calcite.util.mapping.Mappings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Calcite's field trimmer, taught to trim a {@link GlauxTableScan}: a scan whose outputs are not all
 * used above it (say under a filter the engine could not take) produces only the used ones, so the
 * workers read only those columns. Calcite finds this method by reflection.
 */
public final class ScanFieldTrimmer
        extends RelFieldTrimmer
{
    ScanFieldTrimmer(SqlValidator validator, RelBuilder relBuilder)
    {
        super(validator, relBuilder);
    }

    public TrimResult trimFields(GlauxTableScan scan, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields)
    {
        int fieldCount = scan.getRowType().getFieldCount();
        if (scan.aggregation().isPresent() || fieldsUsed.cardinality() == fieldCount || fieldsUsed.isEmpty()) {
            return result(scan, Mappings.createIdentity(fieldCount));
        }
        Mapping mapping = Mappings.create(MappingType.INVERSE_SURJECTION, fieldCount, fieldsUsed.cardinality());
        List<Expression> projections = new ArrayList<>();
        RelDataTypeFactory.Builder type = scan.getCluster().getTypeFactory().builder();
        for (int field : fieldsUsed) {
            mapping.set(field, projections.size());
            projections.add(scan.projections().get(field));
            type.add(scan.getRowType().getFieldList().get(field));
        }
        return result(scan.with(scan.filter(), projections, Optional.empty(), scan.limit(), type.build()), mapping);
    }
}
