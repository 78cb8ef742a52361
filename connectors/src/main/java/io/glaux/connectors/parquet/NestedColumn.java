package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.NonNullableStructVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type.Repetition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads one top-level column that has nested structure (arrays, maps, rows, or a repeated Parquet
 * field) into its Arrow List/Map/Struct vector, at any depth and with nulls at every level.
 *
 * <p>Each Parquet leaf under the column is read a batch of rows at a time: its repetition and
 * definition levels go to a {@link Levels} buffer and its defined values straight into the leaf's Arrow
 * vector (Dremel's "striped" form). The structure above the leaves (list offsets, struct and list
 * validity) is then rebuilt from the levels of one leaf under each node: an entry of a leaf makes a
 * <em>slot</em> of node N when its definition level reaches {@code slotDef(N)} (all repeated ancestors
 * of N are non-empty there) and its repetition level is at most {@code slotRep(N)} (it does not
 * continue an element inside N); the slot is non-null when the definition level reaches
 * {@code def(N)}. Every leaf under a node agrees on the node's slots, so any one of them will do.
 *
 * <p>Binding follows the engine type (schema-on-read): a row matches a Parquet group's fields by name
 * (exact, then case-insensitive; fields missing from the file are NULL, extra ones are not read); an
 * array matches a LIST group (with the backward-compatibility rules of the Parquet spec for 2-level
 * lists) or a bare repeated field; a map matches a MAP (or MAP_KEY_VALUE) group. Anything else is
 * {@code BAD_DATA}.
 */
final class NestedColumn
{
    private final Node root;
    private final List<Leaf> leaves;

    private NestedColumn(Node root, List<Leaf> leaves)
    {
        this.root = requireNonNull(root, "root is null");
        this.leaves = List.copyOf(leaves);
    }

    /** Binds {@code type} to the top-level Parquet field {@code field} of {@code schema}. */
    static NestedColumn bind(String path, String column, MessageType schema, org.apache.parquet.schema.Type field, Type type)
    {
        Binder binder = new Binder(path, column, schema);
        Node root = binder.bind(type, field, new String[] {field.getName()}, 0, 0, false);
        return new NestedColumn(root, binder.leaves);
    }

    /** The Parquet leaf columns this column reads, in schema order. */
    List<ColumnDescriptor> descriptors()
    {
        List<ColumnDescriptor> descriptors = new ArrayList<>(leaves.size());
        for (Leaf leaf : leaves) {
            descriptors.add(leaf.descriptor);
        }
        return descriptors;
    }

    /** Starts a row group: {@code readers} gives the column reader of each leaf. */
    void start(Function<ColumnDescriptor, ColumnReader> readers)
    {
        for (Leaf leaf : leaves) {
            leaf.reader = requireNonNull(readers.apply(leaf.descriptor), "reader is null");
        }
    }

    /** Releases the column readers of the finished row group. */
    void finish()
    {
        for (Leaf leaf : leaves) {
            leaf.reader = null;
        }
    }

    /** Allocates {@code vector}, reads the next {@code rows} rows into it and sets its value count. */
    void read(FieldVector vector, int rows)
    {
        vector.setInitialCapacity(rows);
        vector.allocateNew();
        root.bindVector(vector);
        for (Leaf leaf : leaves) {
            leaf.readRows(rows);
        }
        root.assemble(vector, rows);
    }

    // ------------------------------------------------------------------ binding

    private static final class Binder
    {
        private final String path;
        private final String column;
        private final MessageType schema;
        private final List<Leaf> leaves = new ArrayList<>();

        Binder(String path, String column, MessageType schema)
        {
            this.path = path;
            this.column = column;
            this.schema = schema;
        }

        /**
         * @param slotDef, slotRep where the node's slots are (see the class comment)
         * @param asElement whether {@code field} is a repeated field standing for one element of its list
         */
        Node bind(Type type, org.apache.parquet.schema.Type field, String[] fieldPath, int slotDef, int slotRep, boolean asElement)
        {
            int maxDef = schema.getMaxDefinitionLevel(fieldPath);
            int maxRep = schema.getMaxRepetitionLevel(fieldPath);
            if (field.isRepetition(Repetition.REPEATED) && !asElement) {
                // a bare repeated field: a list that is never null, empty when the field is absent
                if (!(type instanceof Type.Array array)) {
                    throw mismatch(field, fieldPath, type, "it is a repeated field");
                }
                Node element = bind(array.element(), field, fieldPath, maxDef, maxRep, true);
                return new ListNode(slotDef, slotRep, maxDef - 1, maxDef, maxRep, element);
            }
            return switch (type) {
                case Type.Array array -> {
                    GroupType list = repeatedGroup(field, fieldPath, type, LogicalTypeAnnotation.ListLogicalTypeAnnotation.class);
                    org.apache.parquet.schema.Type repeated = list.getType(0);
                    String[] repeatedPath = append(fieldPath, repeated.getName());
                    int elementDef = schema.getMaxDefinitionLevel(repeatedPath);
                    int elementRep = schema.getMaxRepetitionLevel(repeatedPath);
                    Node element;
                    if (isElementItself(repeated, list.getName(), array.element())) {
                        element = bind(array.element(), repeated, repeatedPath, elementDef, elementRep, true);
                    }
                    else {
                        org.apache.parquet.schema.Type child = repeated.asGroupType().getType(0);
                        element = bind(array.element(), child, append(repeatedPath, child.getName()), elementDef, elementRep, false);
                    }
                    yield new ListNode(slotDef, slotRep, maxDef, elementDef, elementRep, element);
                }
                case Type.MapType map -> {
                    GroupType group = repeatedGroup(field, fieldPath, type, null);
                    org.apache.parquet.schema.Type repeated = group.getType(0);
                    if (repeated.isPrimitive() || repeated.asGroupType().getFieldCount() > 2) {
                        throw mismatch(field, fieldPath, type, "its repeated field is not a group of a key and a value");
                    }
                    GroupType keyValue = repeated.asGroupType();
                    String[] keyValuePath = append(fieldPath, keyValue.getName());
                    int entryDef = schema.getMaxDefinitionLevel(keyValuePath);
                    int entryRep = schema.getMaxRepetitionLevel(keyValuePath);
                    org.apache.parquet.schema.Type keyField = keyValue.getType(0);
                    Node key = bind(map.key(), keyField, append(keyValuePath, keyField.getName()), entryDef, entryRep, false);
                    Node value;
                    if (keyValue.getFieldCount() == 2) {
                        org.apache.parquet.schema.Type valueField = keyValue.getType(1);
                        value = bind(map.value(), valueField, append(keyValuePath, valueField.getName()), entryDef, entryRep, false);
                    }
                    else {
                        value = new Missing(entryDef, entryRep);
                    }
                    Node entries = new StructNode(entryDef, entryRep, entryDef, List.of(key, value), key.levels());
                    yield new ListNode(slotDef, slotRep, maxDef, entryDef, entryRep, entries);
                }
                case Type.Row row -> {
                    if (field.isPrimitive()) {
                        throw mismatch(field, fieldPath, type, "it is not a group");
                    }
                    GroupType group = field.asGroupType();
                    LogicalTypeAnnotation annotation = group.getLogicalTypeAnnotation();
                    if (annotation instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation || isMap(annotation)) {
                        throw mismatch(field, fieldPath, type, "it is a " + annotation + " group");
                    }
                    List<Node> children = new ArrayList<>(row.fields().size());
                    Leaf levels = null;
                    for (Type.Field child : row.fields()) {
                        org.apache.parquet.schema.Type childField = find(group, child.name());
                        Node node = childField == null
                                ? new Missing(slotDef, slotRep)
                                : bind(child.type(), childField, append(fieldPath, childField.getName()), slotDef, slotRep, false);
                        if (levels == null) {
                            levels = node.levels();
                        }
                        children.add(node);
                    }
                    if (levels == null) {
                        // no requested field is in the file: read the levels of one leaf of the group for its nulls
                        levels = levelsOnlyLeaf(group, fieldPath, slotDef);
                    }
                    yield new StructNode(slotDef, slotRep, maxDef, children, levels);
                }
                default -> {
                    if (!field.isPrimitive()) {
                        throw mismatch(field, fieldPath, type, "it is a group");
                    }
                    ColumnDescriptor descriptor = schema.getColumnDescription(fieldPath);
                    ColumnDecoder decoder = ColumnDecoder.create(path, column, String.join(".", fieldPath), descriptor, type);
                    Leaf leaf = new Leaf(slotDef, slotRep, descriptor, decoder);
                    leaves.add(leaf);
                    yield leaf;
                }
            };
        }

        private Leaf levelsOnlyLeaf(GroupType group, String[] groupPath, int slotDef)
        {
            org.apache.parquet.schema.Type current = group;
            String[] currentPath = groupPath;
            while (!current.isPrimitive()) {
                GroupType g = current.asGroupType();
                if (g.getFieldCount() == 0) {
                    throw new GlauxException(ErrorCode.BAD_DATA, "Column '%s' of %s: Parquet group %s has no fields"
                            .formatted(column, path, String.join(".", currentPath)));
                }
                current = g.getType(0);
                currentPath = append(currentPath, current.getName());
            }
            Leaf leaf = new Leaf(slotDef, schema.getMaxRepetitionLevel(currentPath), schema.getColumnDescription(currentPath), null);
            leaves.add(leaf);
            return leaf;
        }

        /** A group with a single repeated field, annotated {@code annotation} (LIST) or as a map. */
        private GroupType repeatedGroup(org.apache.parquet.schema.Type field, String[] fieldPath, Type type, Class<?> annotation)
        {
            if (field.isPrimitive()) {
                throw mismatch(field, fieldPath, type, "it is not a group");
            }
            GroupType group = field.asGroupType();
            LogicalTypeAnnotation actual = group.getLogicalTypeAnnotation();
            boolean annotated = annotation == null ? isMap(actual) : annotation.isInstance(actual);
            // unannotated groups holding one repeated field are accepted too (written by old tools)
            boolean bare = actual == null && group.getFieldCount() == 1 && group.getType(0).isRepetition(Repetition.REPEATED);
            if (!annotated && !bare) {
                throw mismatch(field, fieldPath, type, actual == null ? "it is a plain group" : "it is a " + actual + " group");
            }
            if (group.getFieldCount() != 1 || !group.getType(0).isRepetition(Repetition.REPEATED)) {
                throw mismatch(field, fieldPath, type, "it does not hold exactly one repeated field");
            }
            return group;
        }

        private GlauxException mismatch(org.apache.parquet.schema.Type field, String[] fieldPath, Type type, String why)
        {
            return new GlauxException(ErrorCode.BAD_DATA, "Column '%s' of %s: Parquet field %s (%s) cannot be read as %s: %s"
                    .formatted(column, path, String.join(".", fieldPath), field.toString().replaceAll("\\s+", " ").trim(), type.trinoName(), why));
        }
    }

    /**
     * The backward-compatibility rules of the Parquet LIST type: the repeated field is itself the
     * element when it is primitive, has several fields, or is named {@code array} or
     * {@code <list>_tuple}; otherwise its only field is the element. A one-field group named
     * {@code array} is a row only when the table says the element is a row: read as an array of a
     * scalar, its field is the element (as DuckDB reads it).
     */
    private static boolean isElementItself(org.apache.parquet.schema.Type repeated, String listName, Type elementType)
    {
        if (repeated.isPrimitive()) {
            return true;
        }
        GroupType group = repeated.asGroupType();
        if (group.getFieldCount() != 1) {
            return true;
        }
        return (repeated.getName().equals("array") || repeated.getName().equals(listName + "_tuple"))
                && elementType instanceof Type.Row;
    }

    private static boolean isMap(LogicalTypeAnnotation annotation)
    {
        return annotation instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
                || annotation instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation;
    }

    private static org.apache.parquet.schema.Type find(GroupType group, String name)
    {
        for (org.apache.parquet.schema.Type field : group.getFields()) {
            if (field.getName().equals(name)) {
                return field;
            }
        }
        String folded = name.toLowerCase(Locale.ROOT);
        for (org.apache.parquet.schema.Type field : group.getFields()) {
            if (field.getName().toLowerCase(Locale.ROOT).equals(folded)) {
                return field;
            }
        }
        return null;
    }

    private static String[] append(String[] path, String name)
    {
        String[] result = Arrays.copyOf(path, path.length + 1);
        result[path.length] = name;
        return result;
    }

    private static IllegalStateException disagree(String what, int expected, int actual)
    {
        return new IllegalStateException("repetition/definition levels disagree: %s has %d values where %d were expected".formatted(what, actual, expected));
    }

    // ------------------------------------------------------------------ nodes

    /** The repetition and definition levels of the entries of one leaf in the current batch. */
    static final class Levels
    {
        private int[] repetition = new int[1024];
        private int[] definition = new int[1024];
        private int size;

        void clear()
        {
            size = 0;
        }

        void add(int rep, int def)
        {
            if (size == repetition.length) {
                repetition = Arrays.copyOf(repetition, size * 2);
                definition = Arrays.copyOf(definition, size * 2);
            }
            repetition[size] = rep;
            definition[size] = def;
            size++;
        }
    }

    private abstract static sealed class Node
            permits Leaf, StructNode, ListNode, Missing
    {
        /** an entry makes a slot of this node when its definition level is at least this ... */
        final int slotDef;
        /** ... and its repetition level at most this */
        final int slotRep;

        Node(int slotDef, int slotRep)
        {
            this.slotDef = slotDef;
            this.slotRep = slotRep;
        }

        /** A leaf whose levels describe this node, or null for a node missing from the file. */
        abstract Leaf levels();

        /** Points the leaves at their vectors in this batch's vector tree. */
        abstract void bindVector(FieldVector vector);

        /** Builds the structure of {@code vector} (whose leaves are read) with {@code count} slots. */
        abstract void assemble(FieldVector vector, int count);
    }

    private static final class Leaf
            extends Node
    {
        private final ColumnDescriptor descriptor;
        /** null for a leaf read only for the levels of a row whose requested fields are all missing */
        private final ColumnDecoder decoder;
        private final int maxDef;
        private final Levels levels = new Levels();
        private ColumnReader reader;
        private FieldVector vector;
        private int slots;

        Leaf(int slotDef, int slotRep, ColumnDescriptor descriptor, ColumnDecoder decoder)
        {
            super(slotDef, slotRep);
            this.descriptor = descriptor;
            this.decoder = decoder;
            this.maxDef = descriptor.getMaxDefinitionLevel();
        }

        @Override
        Leaf levels()
        {
            return this;
        }

        @Override
        void bindVector(FieldVector vector)
        {
            this.vector = vector;
        }

        /** Reads the entries of the next {@code rows} rows: levels into the buffer, values into the vector. */
        void readRows(int rows)
        {
            ColumnReader reader = this.reader;
            ColumnDecoder decoder = this.decoder;
            FieldVector vector = decoder == null ? null : this.vector;
            Levels levels = this.levels;
            int slotDef = this.slotDef;
            int maxDef = this.maxDef;
            levels.clear();
            int slot = 0;
            int done = 0;
            while (done < rows) {
                int def = reader.getCurrentDefinitionLevel();
                levels.add(reader.getCurrentRepetitionLevel(), def);
                if (def >= slotDef) {
                    if (def == maxDef) {
                        if (vector != null) {
                            decoder.writeValue(reader, vector, slot);
                        }
                        else {
                            reader.skip();
                        }
                    }
                    else if (vector != null) {
                        vector.setNull(slot);
                    }
                    slot++;
                }
                reader.consume();
                if (reader.getCurrentRepetitionLevel() == 0) {
                    done++;
                }
            }
            slots = slot;
        }

        @Override
        void assemble(FieldVector vector, int count)
        {
            if (slots != count) {
                throw disagree("leaf " + String.join(".", descriptor.getPath()), count, slots);
            }
            vector.setValueCount(count);
        }
    }

    private static final class StructNode
            extends Node
    {
        private final int def;
        private final List<Node> children;
        private final Leaf levels;

        StructNode(int slotDef, int slotRep, int def, List<Node> children, Leaf levels)
        {
            super(slotDef, slotRep);
            this.def = def;
            this.children = List.copyOf(children);
            this.levels = requireNonNull(levels, "levels is null");
        }

        @Override
        Leaf levels()
        {
            return levels;
        }

        @Override
        void bindVector(FieldVector vector)
        {
            NonNullableStructVector struct = (NonNullableStructVector) vector;
            for (int i = 0; i < children.size(); i++) {
                children.get(i).bindVector((FieldVector) struct.getChildByOrdinal(i));
            }
        }

        @Override
        void assemble(FieldVector vector, int count)
        {
            NonNullableStructVector struct = (NonNullableStructVector) vector;
            StructVector nullable = struct instanceof StructVector s ? s : null;
            Levels entries = levels.levels;
            int[] repetition = entries.repetition;
            int[] definition = entries.definition;
            int slot = 0;
            for (int e = 0; e < entries.size; e++) {
                int d = definition[e];
                if (d >= slotDef && repetition[e] <= slotRep) {
                    if (nullable != null) {
                        if (d >= def) {
                            nullable.setIndexDefined(slot);
                        }
                        else {
                            nullable.setNull(slot);
                        }
                    }
                    slot++;
                }
            }
            if (slot != count) {
                throw disagree("row", count, slot);
            }
            for (int i = 0; i < children.size(); i++) {
                children.get(i).assemble((FieldVector) struct.getChildByOrdinal(i), count);
            }
            struct.setValueCount(count);
        }
    }

    /** An array (Arrow List) or a map (Arrow Map: a list of non-null key/value structs). */
    private static final class ListNode
            extends Node
    {
        private final int def;
        private final int elementSlotDef;
        private final int elementSlotRep;
        private final Node element;

        ListNode(int slotDef, int slotRep, int def, int elementSlotDef, int elementSlotRep, Node element)
        {
            super(slotDef, slotRep);
            this.def = def;
            this.elementSlotDef = elementSlotDef;
            this.elementSlotRep = elementSlotRep;
            this.element = requireNonNull(element, "element is null");
        }

        @Override
        Leaf levels()
        {
            return element.levels();
        }

        @Override
        void bindVector(FieldVector vector)
        {
            element.bindVector(((ListVector) vector).getDataVector());
        }

        @Override
        void assemble(FieldVector vector, int count)
        {
            ListVector list = (ListVector) vector;
            Levels entries = element.levels().levels;
            int[] repetition = entries.repetition;
            int[] definition = entries.definition;
            int slot = -1;
            boolean open = false;
            int size = 0;
            int elements = 0;
            for (int e = 0; e < entries.size; e++) {
                int d = definition[e];
                int r = repetition[e];
                if (d >= slotDef && r <= slotRep) {
                    if (open) {
                        list.endValue(slot, size);
                    }
                    slot++;
                    size = 0;
                    open = d >= def;
                    if (open) {
                        list.startNewValue(slot);
                    }
                    else {
                        list.setNull(slot);
                    }
                }
                if (d >= elementSlotDef && r <= elementSlotRep) {
                    size++;
                    elements++;
                }
            }
            if (open) {
                list.endValue(slot, size);
            }
            if (slot + 1 != count) {
                throw disagree("array or map", count, slot + 1);
            }
            element.assemble(list.getDataVector(), elements);
            list.setValueCount(count);
        }
    }

    /** A requested row field that the file does not have: all NULL. */
    private static final class Missing
            extends Node
    {
        Missing(int slotDef, int slotRep)
        {
            super(slotDef, slotRep);
        }

        @Override
        Leaf levels()
        {
            return null;
        }

        @Override
        void bindVector(FieldVector vector) {}

        @Override
        void assemble(FieldVector vector, int count)
        {
            for (int i = 0; i < count; i++) {
                vector.setNull(i);
            }
            vector.setValueCount(count);
        }
    }
}
