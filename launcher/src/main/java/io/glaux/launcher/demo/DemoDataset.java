package io.glaux.launcher.demo;

import io.glaux.catalog.Catalog;
import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.Partition;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.spi.type.Type;
import io.glaux.spi.type.TypeParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts generated access logs into the object store under {@code s3://bucket/prefix/dt=YYYY-MM-DD/}
 * and registers them as an external, {@code dt}-partitioned Parquet table in the metastore.
 */
public final class DemoDataset
{
    public static final String BUCKET = "glaux-demo";
    public static final String PREFIX = "logs/access/";
    public static final String SCHEMA = "web";
    public static final String TABLE = "access_logs";
    public static final LocalDate FIRST_DAY = LocalDate.of(2024, 3, 1);

    private DemoDataset() {}

    /** Generates, uploads and registers the dataset; returns the generated files (in {@code workDir}). */
    public static List<AccessLogGenerator.GeneratedFile> create(ObjectStore store, Catalog catalog, Path workDir, String bucket, String schema, String table,
            int days, int rowsPerDay, int filesPerDay)
    {
        List<AccessLogGenerator.GeneratedFile> files = AccessLogGenerator.generate(workDir, FIRST_DAY, days, rowsPerDay, filesPerDay, 42);
        store.createBucketIfMissing(bucket);
        Set<LocalDate> daysWritten = new LinkedHashSet<>();
        for (AccessLogGenerator.GeneratedFile file : files) {
            store.put(bucket, PREFIX + "dt=" + file.day() + "/" + file.name(), file.path());
            daysWritten.add(file.day());
        }
        register(catalog, bucket, schema, table, daysWritten);
        return files;
    }

    public static void register(Catalog catalog, String bucket, String schema, String table, Set<LocalDate> days)
    {
        if (catalog.getSchema(schema).isEmpty()) {
            catalog.createSchema(Database.named(schema), true);
        }
        List<Column> columns = new ArrayList<>();
        for (String definition : AccessLogGenerator.HIVE_COLUMNS.split(",\\s*")) {
            String[] parts = definition.trim().split("\\s+", 2);
            columns.add(new Column(parts[0], TypeParser.parse(parts[1])));
        }
        String location = "s3://" + bucket + "/" + PREFIX;
        catalog.createTable(Table.external(schema, table, columns, List.of(new Column("dt", Type.VARCHAR)), StorageFormat.PARQUET, location,
                Map.of("classification", "parquet", "comment", "Generated web access logs (ALB-like)")), true);
        List<Partition> partitions = new ArrayList<>();
        for (LocalDate day : days) {
            partitions.add(new Partition(List.of(day.toString()), location + "dt=" + day + "/"));
        }
        catalog.addPartitions(schema, table, partitions, true);
    }

    public static void deleteRecursively(Path dir)
    {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
