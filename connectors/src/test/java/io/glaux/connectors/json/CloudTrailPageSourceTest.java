package io.glaux.connectors.json;

import static io.glaux.connectors.line.LineFiles.regular;
import static io.glaux.connectors.line.LineFiles.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.compress.CompressionKind;
import io.glaux.connectors.compress.TestingCompression;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.FormatRegistry;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.line.LineFiles;
import io.glaux.connectors.line.LineReaderOptions;
import io.glaux.connectors.split.Split;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import io.glaux.spi.type.TypeParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudTrailPageSourceTest
{
    private static final String LOG = """
            {"Records":[{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::123456789012:user/alice",\
            "accountId":"123456789012","accessKeyId":"AKIAEXAMPLE","userName":"alice","sessionContext":{"attributes":{"mfaAuthenticated":"true",\
            "creationDate":"2024-03-01T09:00:00Z"},"sessionIssuer":{}}},"eventTime":"2024-03-01T09:15:27Z","eventSource":"s3.amazonaws.com",\
            "eventName":"GetObject","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0",\
            "requestParameters":{"bucketName":"logs","key":"a/b.txt","Host":"logs.s3.eu-west-1.amazonaws.com"},"responseElements":null,\
            "requestID":"REQ1","eventID":"e1","readOnly":true,"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::logs/a/b.txt"},\
            {"accountId":"123456789012","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::logs"}],"eventType":"AwsApiCall","recipientAccountId":"123456789012"},\
            {"eventVersion":"1.08","userIdentity":{"type":"AWSService","invokedBy":"ec2.amazonaws.com"},"eventTime":"2024-03-01T09:16:00Z",\
            "eventSource":"sts.amazonaws.com","eventName":"AssumeRole","awsRegion":"eu-west-1","sourceIPAddress":"ec2.amazonaws.com",\
            "errorCode":"AccessDenied","errorMessage":"Not authorized","requestParameters":{"roleArn":"arn:aws:iam::123456789012:role/r",\
            "durationSeconds":3600},"requestID":"REQ2","eventID":"e2","readOnly":true,"eventType":"AwsApiCall","additionalEventData":[1,2]}]}
            """;

    private LineFiles files;

    @BeforeAll
    void setUp()
            throws Exception
    {
        files = new LineFiles();
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        files.close();
    }

    private PageSourceFactory factory()
    {
        return factory(LineReaderOptions.defaults());
    }

    private PageSourceFactory factory(LineReaderOptions options)
    {
        var format = TableFormats.resolve(TableFormats.CLOUDTRAIL_SERDE, TableFormats.CLOUDTRAIL_INPUT_FORMAT, Map.of(), Map.of(),
                List.of("eventversion", "useridentity", "eventtime", "eventname", "requestparameters", "resources"));
        assertThat(format.format()).isEqualTo("cloudtrail");
        return FormatRegistry.standard(files.store(), options).factory(format.format(), format.properties());
    }

    private Split putGzip(String key, String content)
    {
        return files.put(key, TestingCompression.compress(CompressionKind.GZIP, content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void recordsAreRows()
    {
        Split split = putGzip("ct/123456789012_CloudTrail_eu-west-1_20240301T0915Z_abc.json.gz", LOG);
        Type identity = TypeParser.parse("struct<type:string,arn:string,username:string,invokedby:string,"
                + "sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>>>");
        Type resources = TypeParser.parse("array<struct<arn:string,accountid:string,type:string>>");
        List<ColumnHandle> columns = List.of(regular("eventName", Type.VARCHAR), regular("useridentity", identity), regular("eventtime", Type.TIMESTAMP),
                regular("requestparameters", Type.VARCHAR), regular("readonly", Type.VARCHAR), regular("errorcode", Type.VARCHAR),
                regular("resources", resources), regular("additionaleventdata", Type.VARCHAR), regular("responseelements", Type.VARCHAR));
        List<List<Object>> rows = files.read(factory(), split, columns);
        assertThat(rows).hasSize(2);
        assertThat(LineFiles.joined(rows.get(0))).isEqualTo("GetObject|"
                + "{type=IAMUser, arn=arn:aws:iam::123456789012:user/alice, username=alice, "
                + "sessioncontext={attributes={mfaauthenticated=true, creationdate=2024-03-01T09:00:00Z}}}|"
                + "2024-03-01T09:15:27|"
                + "{\"bucketName\":\"logs\",\"key\":\"a/b.txt\",\"Host\":\"logs.s3.eu-west-1.amazonaws.com\"}|true|null|"
                + "[{arn=arn:aws:s3:::logs/a/b.txt, type=AWS::S3::Object}, {arn=arn:aws:s3:::logs, accountid=123456789012, type=AWS::S3::Bucket}]|null|null");
        assertThat(rows.get(1)).containsExactly("AssumeRole", identityOf("AWSService", "ec2.amazonaws.com"), java.time.LocalDateTime.of(2024, 3, 1, 9, 16),
                "{\"roleArn\":\"arn:aws:iam::123456789012:role/r\",\"durationSeconds\":3600}", "true", "AccessDenied", null, "[1,2]", null);
    }

    private static Object identityOf(String type, String invokedBy)
    {
        Map<String, Object> identity = new java.util.LinkedHashMap<>();
        identity.put("type", type);
        identity.put("invokedby", invokedBy);
        return identity;
    }

    @Test
    void smallBatchesUncompressedAndCount()
    {
        StringBuilder document = new StringBuilder("{\"Records\": [\n");
        for (int i = 0; i < 25; i++) {
            document.append(i == 0 ? "" : ",\n").append("  {\"eventName\": \"E").append(i).append("\", \"eventID\": ").append(i).append('}');
        }
        document.append("\n], \"extra\": {\"ignored\": [1]}}\n");
        Split split = files.put("ct/pretty.json", document.toString());
        PageSourceFactory factory = factory(LineReaderOptions.defaults().withBatchSize(7));
        List<String> names = files.readLines(factory, split, List.of(regular("eventname", Type.VARCHAR)));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expected.add("E" + i);
        }
        assertThat(names).isEqualTo(expected);
        // count(*): no column at all
        assertThat(files.read(factory, split, List.of())).hasSize(25);
        // only the split at byte 0 reads the object
        Split second = new Split(split.bucket(), split.key(), 10, split.fileSize() - 10, split.fileSize(), split.lastModifiedMillis(), split.partitionValues());
        assertThat(files.read(factory, second, List.of(regular("eventname", Type.VARCHAR)))).isEmpty();
        assertThat(TableFormats.isSplittable("cloudtrail", Map.of(), "ct/pretty.json")).isFalse();
    }

    @Test
    void emptyAndMissingRecords()
    {
        List<ColumnHandle> columns = List.of(regular("eventname", Type.VARCHAR));
        assertThat(files.read(factory(), putGzip("ct/empty.json.gz", "{\"Records\":[]}"), columns)).isEmpty();
        assertThat(files.read(factory(), files.put("ct/digest.json", "{\"awsAccountId\":\"1\",\"logFiles\":[{\"s3Object\":\"x\"}]}"), columns)).isEmpty();
        assertThat(files.read(factory(), files.put("ct/nothing.json", ""), columns)).isEmpty();
        assertThat(files.read(factory(), files.put("ct/two.json", "{\"Records\":[{\"eventName\":\"A\"}]}\n{\"Records\":[{\"eventName\":\"B\"}]}\n"), columns))
                .containsExactly(row("A"), row("B"));
    }

    @Test
    void malformedDocuments()
    {
        List<ColumnHandle> columns = List.of(regular("eventname", Type.VARCHAR), regular("eventtime", Type.TIMESTAMP));
        Split truncated = putGzip("ct/bad.json.gz", "{\"Records\":[{\"eventName\":\"A\"},{\"eventName\":");
        assertThatThrownBy(() -> files.read(factory(), truncated, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                .hasMessageStartingWith("Malformed CloudTrail data in s3://line-test/ct/bad.json.gz at offset ")
                .hasMessageContaining("of the gzip-decompressed data: invalid JSON: Unexpected end-of-input");
        Split notRecords = files.put("ct/array.json", "[1,2]");
        assertThatThrownBy(() -> files.read(factory(), notRecords, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                .hasMessage("Malformed CloudTrail data in s3://line-test/ct/array.json at byte offset 0: a CloudTrail log must be a JSON object with a Records array, not an array");
        Split scalars = files.put("ct/scalars.json", "{\"Records\":[\"x\"]}");
        assertThatThrownBy(() -> files.read(factory(), scalars, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                .hasMessage("Malformed CloudTrail data in s3://line-test/ct/scalars.json at byte offset 12: each element of Records must be an object, not a string");
        Split badTime = files.put("ct/time.json", "{\"Records\":[{\"eventTime\":\"yesterday\"}]}");
        assertThatThrownBy(() -> files.read(factory(), badTime, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                .hasMessageStartingWith("Malformed CloudTrail data in s3://line-test/ct/time.json at byte offset 25: cannot read string \"yesterday\" as timestamp(3) for column 'eventtime'");
        Split corrupt = files.put("ct/corrupt.json.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2});
        assertThatThrownBy(() -> files.read(factory(), corrupt, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CORRUPT_FILE))
                .hasMessageContaining("s3://line-test/ct/corrupt.json.gz");
    }
}
