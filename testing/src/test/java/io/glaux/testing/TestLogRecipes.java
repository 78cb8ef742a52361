package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.launcher.demo.DemoDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Runs every {@code CREATE EXTERNAL TABLE} of docs/log-recipes.md, as written there (only the
 * {@code LOCATION} is replaced), over sample logs in each service's exact format, and checks typed
 * query results: so the recipes cannot rot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestLogRecipes
{
    private static final String SCHEMA = "log_recipes";
    private static final Pattern SQL_BLOCK = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern TABLE_NAME = Pattern.compile("CREATE EXTERNAL TABLE (?:IF NOT EXISTS )?(\\w+)");
    private static final Pattern LOCATION = Pattern.compile("LOCATION '[^']*'");

    private TestCluster cluster;
    /** Table name → its statement in the recipes, in document order. */
    private final Map<String, String> recipes = new LinkedHashMap<>();

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
        Path doc = Path.of("..", "docs", "log-recipes.md");
        if (!Files.exists(doc)) {
            doc = Path.of("docs", "log-recipes.md");
        }
        Matcher block = SQL_BLOCK.matcher(Files.readString(doc));
        while (block.find()) {
            String sql = block.group(1).strip();
            Matcher name = TABLE_NAME.matcher(sql);
            if (name.lookingAt()) {
                recipes.put(name.group(1), sql);
            }
        }
        execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA);
    }

    @Test
    void everyRecipeIsTested()
    {
        assertThat(recipes.keySet()).containsExactly("alb_logs", "cloudfront_logs", "s3_access_logs", "vpc_flow_logs", "cloudtrail_logs",
                "web_logs_grok", "web_logs_regex");
    }

    @Test
    void applicationLoadBalancer()
            throws Exception
    {
        create("alb_logs", "123456789012_elasticloadbalancing_us-east-1_app.my-alb.50dc6c495c0c9188_20240301T1000Z_203.0.113.10_2y9dhhmd.log.gz", gzip(lines(
                "https 2024-03-01T10:00:01.123456Z app/my-alb/50dc6c495c0c9188 203.0.113.10:54321 10.0.1.15:8080 0.001 0.046 0.000 200 200 512 2048 "
                        + "\"GET https://shop.example.com:443/cart?id=7 HTTP/1.1\" \"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 Version/17.3 Safari/605.1.15\" "
                        + "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "
                        + "\"Root=1-65e1a8f1-4c1f6a3b2d5e7f8091a2b3c4\" \"shop.example.com\" \"arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7\" "
                        + "1 2024-03-01T10:00:01.076000Z \"forward\" \"-\" \"-\" \"10.0.1.15:8080\" \"200\" \"-\" \"-\" TID_8c2f4e6a1b3d5f70",
                "h2 2024-03-01T10:00:02.500000Z app/my-alb/50dc6c495c0c9188 203.0.113.11:40000 - -1 -1 -1 502 - 300 0 "
                        + "\"POST https://api.example.com:443/v1/orders HTTP/2.0\" \"curl/8.5.0\" "
                        + "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/9a8b7c6d5e4f3a2b "
                        + "\"Root=1-65e1a8f2-0a1b2c3d4e5f60718293a4b5\" \"api.example.com\" \"arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7\" "
                        + "0 2024-03-01T10:00:02.400000Z \"forward\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" TID_11aa22bb33cc44dd",
                "http 2024-03-01T10:00:03.000001Z app/my-alb/50dc6c495c0c9188 198.51.100.9:61000 10.0.1.16:8080 0.000 0.003 0.000 404 404 120 310 "
                        + "\"GET http://shop.example.com:80/wp-login.php HTTP/1.1\" \"Wget/1.21.4\" - - "
                        + "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 \"Root=1-65e1a8f3-1b2c3d4e5f60718293a4b5c6\" "
                        + "\"shop.example.com\" \"-\" 2 2024-03-01T10:00:03.000000Z \"forward\" \"-\" \"-\" \"10.0.1.16:8080\" \"404\" \"-\" \"-\" TID_55ee66ff77aa88bb",
                "not an ALB log line")));
        assertThat(query("SELECT count(*), count(elb), sum(received_bytes), sum(sent_bytes) FROM alb_logs")).containsExactly(row(4L, 3L, 932L, 2358L));
        assertThat(query("SELECT client_ip, client_port, target_ip, target_port, target_processing_time, elb_status_code, target_status_code, "
                + "request_verb, request_url, request_proto, domain_name, matched_rule_priority FROM alb_logs WHERE elb_status_code = 502"))
                .containsExactly(row("203.0.113.11", 40000, "", null, -1.0, 502, "-", "POST", "https://api.example.com:443/v1/orders", "HTTP/2.0", "api.example.com", "0"));
        // as in Athena, redirect_url keeps its quotes and new_field holds the fields ALB added since
        assertThat(query("SELECT request_url, \"time\", ssl_protocol, redirect_url, new_field FROM alb_logs WHERE user_agent LIKE '%Safari%'"))
                .containsExactly(row("https://shop.example.com:443/cart?id=7", "2024-03-01T10:00:01.123456Z", "TLSv1.2", " \"-\"",
                        " \"-\" \"10.0.1.15:8080\" \"200\" \"-\" \"-\" TID_8c2f4e6a1b3d5f70"));
        assertThat(query("SELECT type, elb_status_code FROM alb_logs WHERE request_verb IS NULL")).containsExactly(row(null, null));
    }

    @Test
    void cloudFront()
            throws Exception
    {
        create("cloudfront_logs", "E2EXAMPLE1ABCD.2024-03-01-10.a1b2c3d4.gz", gzip(lines(
                "#Version: 1.0",
                "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query "
                        + "cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol "
                        + "ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
                        + "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end",
                tabs("2024-03-01", "10:00:01", "FRA56-P7", "2315", "198.51.100.20", "GET", "d111111abcdef8.cloudfront.net", "/index.html", "200", "-",
                        "Mozilla/5.0%20(X11;%20Linux%20x86_64)", "-", "-", "Hit", "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==",
                        "www.example.com", "https", "152", "0.001", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Hit", "HTTP/2.0", "-", "-", "54321",
                        "0.001", "Hit", "text/html", "2048", "-", "-"),
                tabs("2024-03-01", "10:00:05", "FRA56-P7", "512", "198.51.100.21", "GET", "d111111abcdef8.cloudfront.net", "/missing.png", "404",
                        "https://www.example.com/", "curl/8.5.0", "size=large", "-", "Error", "k6WGMNkEzR5BEM_SaF47gjtX9zBDO2m349OY2an0QPEaUum1ZOLrow==",
                        "www.example.com", "https", "98", "0.002", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Error", "HTTP/1.1", "-", "-", "40000",
                        "0.002", "Error", "text/html", "512", "-", "-"),
                tabs("2024-03-02", "00:00:01", "IAD89-C1", "1048576", "2001:db8::1", "GET", "d111111abcdef8.cloudfront.net", "/video.mp4", "206", "-",
                        "VLC/3.0.20", "-", "-", "Miss", "qfW9kgYmvbdWXUa2UbdWTSXfLkVJ0BC7SBq1iljhlUlcXfB-OX1tCg==", "www.example.com", "https", "200",
                        "0.250", "-", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "Miss", "HTTP/1.1", "-", "-", "443", "0.120", "Miss", "video/mp4",
                        "1048576", "0", "1048575"))));
        assertThat(query("SELECT CAST(\"date\" AS varchar), count(*), sum(bytes) FROM cloudfront_logs GROUP BY \"date\" ORDER BY 1"))
                .containsExactly(row("2024-03-01", 2L, 2827L), row("2024-03-02", 1L, 1048576L));
        assertThat(query("SELECT uri, status, referrer, query_string, time_taken, sc_range_end, user_agent FROM cloudfront_logs WHERE status >= 400"))
                .containsExactly(row("/missing.png", 404, "https://www.example.com/", "size=large", 0.002f, null, "curl/8.5.0"));
        assertThat(query("SELECT request_ip, c_port, sc_range_start, sc_range_end, \"time\" FROM cloudfront_logs WHERE \"date\" = DATE '2024-03-02'"))
                .containsExactly(row("2001:db8::1", 443, 0L, 1048575L, "00:00:01"));
    }

    @Test
    void s3ServerAccessLogs()
            throws Exception
    {
        String owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
        create("s3_access_logs", "2024-03-01-10-15-20-7C9D2E8F1A3B4C5D", lines(
                owner + " amzn-s3-demo-bucket [01/Mar/2024:10:15:20 +0000] 192.0.2.3 arn:aws:iam::123456789012:user/alice 3E57427F3EXAMPLE "
                        + "REST.GET.OBJECT photos/cat.jpg \"GET /amzn-s3-demo-bucket/photos/cat.jpg HTTP/1.1\" 200 - 24576 24576 40 38 \"-\" "
                        + "\"aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0\" - dGhpcyBpcyBhIGhvc3QgaWQgZm9yIHRlc3Rz SigV4 ECDHE-RSA-AES128-GCM-SHA256 "
                        + "AuthHeader amzn-s3-demo-bucket.s3.us-east-1.amazonaws.com TLSv1.3 - -",
                owner + " amzn-s3-demo-bucket [01/Mar/2024:10:15:21 +0000] 198.51.100.66 - 8B1C2D3E4F5A6B7C REST.PUT.OBJECT uploads/x.bin "
                        + "\"PUT /amzn-s3-demo-bucket/uploads/x.bin HTTP/1.1\" 403 AccessDenied 243 - 12 - \"-\" \"curl/8.5.0\" - "
                        + "aG9zdCBpZCBudW1iZXIgdHdv - ECDHE-RSA-AES128-GCM-SHA256 - amzn-s3-demo-bucket.s3.us-east-1.amazonaws.com TLSv1.2 - -",
                owner + " amzn-s3-demo-bucket [01/Mar/2024:10:15:22 +0000] 192.0.2.3 arn:aws:iam::123456789012:user/alice 9D8C7B6A5F4E3D2C "
                        + "REST.HEAD.OBJECT photos/cat.jpg \"HEAD /amzn-s3-demo-bucket/photos/cat.jpg HTTP/1.1\" 200 - - 24576 5 - \"-\" \"S3Console/0.4\" -"));
        assertThat(query("SELECT operation, httpstatus, errorcode, bytessent, objectsize, requester FROM s3_access_logs ORDER BY requestdatetime"))
                .containsExactly(
                        row("REST.GET.OBJECT", "200", "-", 24576L, 24576L, "arn:aws:iam::123456789012:user/alice"),
                        row("REST.PUT.OBJECT", "403", "AccessDenied", 243L, null, "-"),
                        row("REST.HEAD.OBJECT", "200", "-", null, 24576L, "arn:aws:iam::123456789012:user/alice"));
        assertThat(query("SELECT requestdatetime, key, request_uri, useragent, sigv, tlsversion FROM s3_access_logs WHERE httpstatus = '403'"))
                .containsExactly(row("01/Mar/2024:10:15:21 +0000", "uploads/x.bin", "\"PUT /amzn-s3-demo-bucket/uploads/x.bin HTTP/1.1\"", "\"curl/8.5.0\"", "-", "TLSv1.2"));
        // a legacy line without the newer fields: they are NULL
        assertThat(query("SELECT operation, hostid, sigv, tlsversion FROM s3_access_logs WHERE sigv IS NULL"))
                .containsExactly(row("REST.HEAD.OBJECT", null, null, null));
    }

    @Test
    void vpcFlowLogs()
            throws Exception
    {
        create("vpc_flow_logs", "123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20240301T1000Z_5f2a9c1e.log.gz", gzip(lines(
                "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status",
                "2 123456789012 eni-0a1b2c3d4e5f67890 203.0.113.12 10.0.1.5 49152 443 6 10 8400 1709287200 1709287260 ACCEPT OK",
                "2 123456789012 eni-0a1b2c3d4e5f67890 10.0.1.5 203.0.113.12 443 49152 6 8 4200 1709287200 1709287260 ACCEPT OK",
                "2 123456789012 eni-0a1b2c3d4e5f67890 198.51.100.7 10.0.1.5 51000 22 6 3 180 1709287200 1709287260 REJECT OK",
                "2 123456789012 eni-0f9e8d7c6b5a43210 - - - - - - - 1709287260 1709287320 - NODATA")));
        assertThat(query("SELECT action, count(*), sum(numbytes), sum(numpackets) FROM vpc_flow_logs GROUP BY action ORDER BY action"))
                .containsExactly(row("-", 1L, null, null), row("ACCEPT", 2L, 12600L, 18L), row("REJECT", 1L, 180L, 3L));
        assertThat(query("SELECT sourceaddress, destinationport, version, account FROM vpc_flow_logs WHERE action = 'REJECT' AND protocol = 6"))
                .containsExactly(row("198.51.100.7", 22, 2, "123456789012"));
        assertThat(query("SELECT interfaceid, sourceaddress, sourceport, protocol, numbytes, starttime, endtime FROM vpc_flow_logs WHERE logstatus = 'NODATA'"))
                .containsExactly(row("eni-0f9e8d7c6b5a43210", "-", null, null, null, 1709287260, 1709287320));
    }

    @Test
    void cloudTrail()
            throws Exception
    {
        create("cloudtrail_logs", "123456789012_CloudTrail_us-east-1_20240301T1010Z_Qm9yZ2VkS2V5.json.gz", gzip(CLOUDTRAIL_DOCUMENT));
        assertThat(query("SELECT eventname, useridentity.type, useridentity.username, sourceipaddress, readonly, errorcode FROM cloudtrail_logs ORDER BY eventtime"))
                .containsExactly(
                        row("ConsoleLogin", "IAMUser", "alice", "203.0.113.77", "false", null),
                        row("GetObject", "AssumedRole", null, "198.51.100.23", "true", null),
                        row("AssumeRole", "AWSService", null, "ec2.amazonaws.com", "true", "AccessDenied"));
        assertThat(query("SELECT requestparameters, cardinality(resources), t.useridentity.sessioncontext.sessionissuer.username, "
                + "t.useridentity.sessioncontext.attributes.mfaauthenticated, additionaleventdata, responseelements FROM cloudtrail_logs t WHERE eventname = 'GetObject'"))
                .containsExactly(row("{\"bucketName\":\"artifacts\",\"Host\":\"artifacts.s3.us-east-1.amazonaws.com\",\"key\":\"builds/app-1.4.2.tar.gz\"}",
                        2, "deployer", "false", "{\"bytesTransferredOut\":10485760}", null));
        assertThat(query("SELECT eventname, additionaleventdata, responseelements FROM cloudtrail_logs "
                + "WHERE eventtime >= '2024-03-01T10:00:00Z' AND eventtime < '2024-03-01T10:05:00Z'"))
                .containsExactly(row("ConsoleLogin", "{\"LoginTo\":\"https://console.aws.amazon.com/\",\"MobileVersion\":\"No\",\"MFAUsed\":\"Yes\"}",
                        "{\"ConsoleLogin\":\"Success\"}"));
        assertThat(query("SELECT errormessage, sharedeventid, t.useridentity.invokedby, requestparameters IS NULL FROM cloudtrail_logs t WHERE errorcode IS NOT NULL"))
                .containsExactly(row("Not authorized to perform sts:AssumeRole", "e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9", "ec2.amazonaws.com", false));
    }

    /** One CloudTrail log object: three records of different shapes. */
    private static final String CLOUDTRAIL_DOCUMENT = """
                {"Records":[{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDA2EXAMPLEPRINCIPAL","arn":"arn:aws:iam::123456789012:user/alice",\
                "accountId":"123456789012","userName":"alice"},"eventTime":"2024-03-01T10:02:11Z","eventSource":"signin.amazonaws.com",\
                "eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.77","userAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64)",\
                "requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/",\
                "MobileVersion":"No","MFAUsed":"Yes"},"eventID":"3fcfb1a4-1b2c-4d5e-8f90-a1b2c3d4e5f6","readOnly":false,"eventType":"AwsConsoleSignIn",\
                "managementEvent":true,"recipientAccountId":"123456789012","eventCategory":"Management"},\
                {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROA3EXAMPLEROLEID:ci-deploy","arn":"arn:aws:sts::123456789012:assumed-role/deployer/ci-deploy",\
                "accountId":"123456789012","accessKeyId":"ASIA4EXAMPLEKEYID","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA3EXAMPLEROLEID",\
                "arn":"arn:aws:iam::123456789012:role/deployer","accountId":"123456789012","userName":"deployer"},"webIdFederationData":{},\
                "attributes":{"creationDate":"2024-03-01T09:58:00Z","mfaAuthenticated":"false"}}},"eventTime":"2024-03-01T10:05:42Z",\
                "eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23","userAgent":"[aws-cli/2.15.0]",\
                "requestParameters":{"bucketName":"artifacts","Host":"artifacts.s3.us-east-1.amazonaws.com","key":"builds/app-1.4.2.tar.gz"},\
                "responseElements":null,"additionalEventData":{"bytesTransferredOut":10485760},"requestID":"C3D4E5F6A7B8C9D0","eventID":"9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",\
                "readOnly":true,"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::artifacts/builds/app-1.4.2.tar.gz"},\
                {"accountId":"123456789012","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::artifacts"}],"eventType":"AwsApiCall","managementEvent":false,\
                "recipientAccountId":"123456789012","eventCategory":"Data"},\
                {"eventVersion":"1.08","userIdentity":{"type":"AWSService","invokedBy":"ec2.amazonaws.com"},"eventTime":"2024-03-01T10:07:00Z",\
                "eventSource":"sts.amazonaws.com","eventName":"AssumeRole","awsRegion":"us-east-1","sourceIPAddress":"ec2.amazonaws.com",\
                "userAgent":"ec2.amazonaws.com","errorCode":"AccessDenied","errorMessage":"Not authorized to perform sts:AssumeRole",\
                "requestParameters":{"roleArn":"arn:aws:iam::123456789012:role/app","roleSessionName":"i-0abc123def4567890","durationSeconds":3600},\
                "responseElements":null,"requestID":"0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b","eventID":"d4c3b2a1-0f9e-4d8c-b7a6-5f4e3d2c1b0a",\
                "readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"123456789012","sharedEventID":"e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9",\
                "eventCategory":"Management"}]}
                """;

    /**
     * AWS's current statement for CloudTrail ("Querying AWS CloudTrail logs", manual partitioning): Hive's
     * JSON SerDe over EMR's CloudTrail input format, as AWS documents it, with only its LOCATION replaced.
     */
    private static final String AWS_CLOUDTRAIL_STATEMENT = """
            CREATE EXTERNAL TABLE cloudtrail_logs (
            eventversion STRING,
            useridentity STRUCT<
                           type:STRING,
                           principalid:STRING,
                           arn:STRING,
                           accountid:STRING,
                           invokedby:STRING,
                           accesskeyid:STRING,
                           username:STRING,
                           onbehalfof: STRUCT<
                                userid: STRING,
                                identitystorearn: STRING>,
              sessioncontext:STRUCT<
                attributes:STRUCT<
                           mfaauthenticated:STRING,
                           creationdate:STRING>,
                sessionissuer:STRUCT<
                           type:STRING,
                           principalid:STRING,
                           arn:STRING,
                           accountid:STRING,
                           username:STRING>,
                ec2roledelivery:string,
                webidfederationdata: STRUCT<
                           federatedprovider: STRING,
                           attributes: map<string,string>>
              >
            >,
            eventtime STRING,
            eventsource STRING,
            eventname STRING,
            awsregion STRING,
            sourceipaddress STRING,
            useragent STRING,
            errorcode STRING,
            errormessage STRING,
            requestparameters STRING,
            responseelements STRING,
            additionaleventdata STRING,
            requestid STRING,
            eventid STRING,
            resources ARRAY<STRUCT<
                           arn:STRING,
                           accountid:STRING,
                           type:STRING>>,
            eventtype STRING,
            apiversion STRING,
            readonly STRING,
            recipientaccountid STRING,
            serviceeventdetails STRING,
            sharedeventid STRING,
            vpcendpointid STRING,
            vpcendpointaccountid STRING,
            eventcategory STRING,
            addendum STRUCT<
              reason:STRING,
              updatedfields:STRING,
              originalrequestid:STRING,
              originaleventid:STRING>,
            sessioncredentialfromconsole STRING,
            edgedevicedetails STRING,
            tlsdetails STRUCT<
              tlsversion:STRING,
              ciphersuite:STRING,
              clientprovidedhostheader:STRING>
              )
            PARTITIONED BY (region string, year string, month string, day string)
            ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
            STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
            OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
            LOCATION 's3://amzn-s3-demo-bucket/AWSLogs/Account_ID/';
            """;

    @Test
    void cloudTrailWithAwsCurrentStatement()
            throws Exception
    {
        String root = "s3://" + DemoDataset.BUCKET + "/log-recipes/cloudtrail_json/AWSLogs/123456789012/";
        cluster.coordinator().objectStore().put(DemoDataset.BUCKET,
                "log-recipes/cloudtrail_json/AWSLogs/123456789012/CloudTrail/us-east-1/2024/03/01/123456789012_CloudTrail_us-east-1_20240301T1010Z_Qm9yZ2VkS2V5.json.gz",
                gzip(CLOUDTRAIL_DOCUMENT));
        String sql = AWS_CLOUDTRAIL_STATEMENT.strip();
        sql = TABLE_NAME.matcher(sql).replaceFirst("CREATE EXTERNAL TABLE " + SCHEMA + ".cloudtrail_json");
        sql = LOCATION.matcher(sql).replaceFirst(Matcher.quoteReplacement("LOCATION '" + root + "'"));
        execute("DROP TABLE IF EXISTS " + SCHEMA + ".cloudtrail_json");
        execute(sql.substring(0, sql.length() - 1));
        // AWS's next step, with its partition values
        execute("ALTER TABLE " + SCHEMA + ".cloudtrail_json ADD PARTITION (region='us-east-1', year='2024', month='03', day='01') "
                + "LOCATION '" + root + "CloudTrail/us-east-1/2024/03/01/'");

        assertThat(query("SELECT eventname, useridentity.type, useridentity.username, sourceipaddress, readonly, errorcode, eventcategory, region, day "
                + "FROM cloudtrail_json ORDER BY eventtime"))
                .containsExactly(
                        row("ConsoleLogin", "IAMUser", "alice", "203.0.113.77", "false", null, "Management", "us-east-1", "01"),
                        row("GetObject", "AssumedRole", null, "198.51.100.23", "true", null, "Data", "us-east-1", "01"),
                        row("AssumeRole", "AWSService", null, "ec2.amazonaws.com", "true", "AccessDenied", "Management", "us-east-1", "01"));
        // the JSON SerDe's rules: nested objects into structs, a free-form object into a string as its JSON text
        assertThat(query("SELECT requestparameters, cardinality(resources), t.useridentity.sessioncontext.sessionissuer.username, "
                + "t.useridentity.sessioncontext.attributes.mfaauthenticated, additionaleventdata, responseelements, tlsdetails IS NULL "
                + "FROM cloudtrail_json t WHERE eventname = 'GetObject'"))
                .containsExactly(row("{\"bucketName\":\"artifacts\",\"Host\":\"artifacts.s3.us-east-1.amazonaws.com\",\"key\":\"builds/app-1.4.2.tar.gz\"}",
                        2, "deployer", "false", "{\"bytesTransferredOut\":10485760}", null, true));
        assertThat(query("SELECT count(*) FROM cloudtrail_json WHERE year = '2024' AND month = '03'")).containsExactly(row(3L));
    }

    private static final String[] ACCESS_LOG = {
            "203.0.113.50 - - [01/Mar/2024:10:00:00 +0000] \"GET /index.html HTTP/1.1\" 200 612 \"-\" \"Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0\"",
            "203.0.113.51 - bob [01/Mar/2024:10:00:02 +0100] \"POST /api/login HTTP/2.0\" 401 38 \"https://example.com/login\" \"curl/8.5.0\"",
            "2001:db8::2 - - [01/Mar/2024:10:00:03 +0000] \"GET /favicon.ico HTTP/1.1\" 404 - \"https://example.com/\" \"Mozilla/5.0\"",
            "this is not an access log line"};

    @Test
    void combinedLogWithGrok()
            throws Exception
    {
        create("web_logs_grok", "access.log", lines(ACCESS_LOG));
        assertThat(query("SELECT clientip, ident, auth, \"timestamp\", verb, request, httpversion, response, bytes, referrer, agent "
                + "FROM web_logs_grok WHERE response IS NOT NULL ORDER BY clientip"))
                .containsExactly(
                        row("2001:db8::2", "-", "-", "01/Mar/2024:10:00:03 +0000", "GET", "/favicon.ico", "1.1", 404, null, "\"https://example.com/\"", "\"Mozilla/5.0\""),
                        row("203.0.113.50", "-", "-", "01/Mar/2024:10:00:00 +0000", "GET", "/index.html", "1.1", 200, 612L, "\"-\"",
                                "\"Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0\""),
                        row("203.0.113.51", "-", "bob", "01/Mar/2024:10:00:02 +0100", "POST", "/api/login", "2.0", 401, 38L, "\"https://example.com/login\"", "\"curl/8.5.0\""));
        assertThat(query("SELECT response, count(*) FROM web_logs_grok WHERE response >= 400 GROUP BY response ORDER BY response"))
                .containsExactly(row(401, 1L), row(404, 1L));
        assertThat(query("SELECT clientip, response, agent FROM web_logs_grok WHERE verb IS NULL")).containsExactly(row(null, null, null));
    }

    @Test
    void combinedLogWithRegex()
            throws Exception
    {
        create("web_logs_regex", "access.log", lines(ACCESS_LOG));
        assertThat(query("SELECT count(*), count(status), sum(body_bytes_sent) FROM web_logs_regex")).containsExactly(row(4L, 3L, 650L));
        assertThat(query("SELECT remote_addr, remote_user, time_local, method, path, protocol, status, body_bytes_sent, http_referer, http_user_agent "
                + "FROM web_logs_regex WHERE status = 401"))
                .containsExactly(row("203.0.113.51", "bob", LocalDateTime.of(2024, 3, 1, 9, 0, 2), "POST", "/api/login", "HTTP/2.0", 401, 38L,
                        "https://example.com/login", "curl/8.5.0"));
        assertThat(query("SELECT path, body_bytes_sent FROM web_logs_regex WHERE status = 404")).containsExactly(row("/favicon.ico", null));
        assertThat(query("SELECT remote_addr, status FROM web_logs_regex WHERE method IS NULL")).containsExactly(row(null, null));
    }

    // ------------------------------------------------------------------ helpers

    /** Uploads {@code data} as {@code file} under the table's own prefix and runs the recipe's statement with its location. */
    private void create(String table, String file, byte[] data)
            throws SQLException
    {
        String prefix = "log-recipes/" + table + "/";
        cluster.coordinator().objectStore().put(DemoDataset.BUCKET, prefix + file, data);
        String sql = recipes.get(table);
        assertThat(sql).as("recipe for " + table).isNotNull();
        sql = TABLE_NAME.matcher(sql).replaceFirst("CREATE EXTERNAL TABLE " + SCHEMA + "." + table);
        sql = LOCATION.matcher(sql).replaceFirst(Matcher.quoteReplacement("LOCATION 's3://" + DemoDataset.BUCKET + "/" + prefix + "'"));
        if (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1);
        }
        execute("DROP TABLE IF EXISTS " + SCHEMA + "." + table);
        execute(sql);
    }

    private void execute(String sql)
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The rows of a query over the recipes' schema (unqualified table names), as Java values. */
    private List<List<Object>> query(String sql)
            throws SQLException
    {
        String qualified = sql.replaceAll("\\bFROM (\\w+)", "FROM " + SCHEMA + ".$1");
        List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(qualified)) {
            int columns = resultSet.getMetaData().getColumnCount();
            while (resultSet.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = resultSet.getObject(i);
                    row.add(value instanceof java.sql.Timestamp timestamp ? timestamp.toLocalDateTime() : value);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<Object> row(Object... values)
    {
        return Arrays.asList(values);
    }

    private static byte[] lines(String... lines)
    {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String tabs(String... fields)
    {
        return String.join("\t", fields);
    }

    private static byte[] gzip(byte[] data)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(String text)
    {
        return gzip(text.getBytes(StandardCharsets.UTF_8));
    }
}
