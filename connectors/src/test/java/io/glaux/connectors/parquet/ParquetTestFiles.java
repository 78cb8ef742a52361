package io.glaux.connectors.parquet;

import io.glaux.connectors.s3.ObjectInfo;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.split.Split;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Writes Parquet files with parquet-java's example writer and uploads them. */
final class ParquetTestFiles
{
    record Written(Path file, Split split) {}

    /** How the file is written. */
    record WriteOptions(CompressionCodecName codec, ParquetProperties.WriterVersion version, int rowGroupRows, boolean dictionary, int pageRows, Set<String> bloomFilterColumns, boolean byteStreamSplit)
    {
        static WriteOptions defaults()
        {
            return new WriteOptions(CompressionCodecName.SNAPPY, ParquetProperties.WriterVersion.PARQUET_1_0, 1_000_000, true, 2_000, Set.of(), false);
        }

        WriteOptions withCodec(CompressionCodecName codec)
        {
            return new WriteOptions(codec, version, rowGroupRows, dictionary, pageRows, bloomFilterColumns, byteStreamSplit);
        }

        WriteOptions withVersion(ParquetProperties.WriterVersion version)
        {
            return new WriteOptions(codec, version, rowGroupRows, dictionary, pageRows, bloomFilterColumns, byteStreamSplit);
        }

        WriteOptions withRowGroupRows(int rowGroupRows)
        {
            return new WriteOptions(codec, version, rowGroupRows, dictionary, pageRows, bloomFilterColumns, byteStreamSplit);
        }

        WriteOptions withDictionary(boolean dictionary)
        {
            return new WriteOptions(codec, version, rowGroupRows, dictionary, pageRows, bloomFilterColumns, byteStreamSplit);
        }

        WriteOptions withPageRows(int pageRows)
        {
            return new WriteOptions(codec, version, rowGroupRows, dictionary, pageRows, bloomFilterColumns, byteStreamSplit);
        }

        WriteOptions withByteStreamSplit(boolean byteStreamSplit)
        {
            return new WriteOptions(codec, version, rowGroupRows, dictionary, pageRows, bloomFilterColumns, byteStreamSplit);
        }

        WriteOptions withBloomFilter(String... columns)
        {
            return new WriteOptions(codec, version, rowGroupRows, dictionary, pageRows, Set.of(columns), byteStreamSplit);
        }
    }

    private ParquetTestFiles() {}

    static Path write(Path directory, MessageType schema, WriteOptions options, Consumer<Writer> rows)
    {
        try {
            Path file = Files.createTempFile(directory, "test", ".parquet");
            Files.delete(file);
            ExampleParquetWriter.Builder builder = ExampleParquetWriter.builder(new LocalOutputFile(file))
                    .withConf(new PlainParquetConfiguration())
                    .withType(schema)
                    .withCompressionCodec(options.codec())
                    .withWriterVersion(options.version())
                    .withRowGroupRowCountLimit(options.rowGroupRows())
                    .withPageRowCountLimit(options.pageRows())
                    .withDictionaryEncoding(options.dictionary())
                    .withByteStreamSplitEncoding(options.byteStreamSplit());
            for (String column : options.bloomFilterColumns()) {
                // sized for a row group's distinct values (unsized filters take parquet-java's maximum, 1 MiB)
                builder.withBloomFilterEnabled(column, true).withBloomFilterNDV(column, options.rowGroupRows());
            }
            try (ParquetWriter<Group> writer = builder.build()) {
                rows.accept(group -> {
                    try {
                        writer.write(group);
                    }
                    catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            return file;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Split upload(ObjectStore store, String bucket, String key, Path file, Map<String, String> partitionValues)
    {
        store.put(bucket, key, file);
        ObjectInfo info = store.head(bucket, key);
        return new Split(bucket, key, 0, info.size(), info.size(), info.lastModifiedMillis(), partitionValues);
    }

    static Written writeAndUpload(ObjectStore store, String bucket, String key, Path directory, MessageType schema, WriteOptions options, Consumer<Writer> rows)
    {
        Path file = write(directory, schema, options, rows);
        return new Written(file, upload(store, bucket, key, file, Map.of()));
    }

    static ParquetMetadata footer(Path file)
    {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return reader.getFooter();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    interface Writer
    {
        void write(Group group);
    }
}
