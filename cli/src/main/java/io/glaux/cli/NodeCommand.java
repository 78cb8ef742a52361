package io.glaux.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code glaux node list | revoke}: the operator's commands for the cluster's node identities, through
 * the coordinator's admin endpoints ({@code GET /v1/node/identities}, {@code POST /v1/node/revoke}),
 * authenticated like every admin call (HTTP basic with {@code --password}, over https).
 *
 * <p>Exit codes: 0 done, 1 refused or failed, 2 usage errors.
 */
public final class NodeCommand
{
    static final String USAGE = """
            Usage: glaux node list [options]
                   glaux node revoke NODE-ID [options]
                   glaux node revoke --serial HEX [options]

            list     every node the coordinator knows: its state (active, failed, gone, revoked), Flight
                     address, and the serial and host names of a joined node's certificate
            revoke   revokes every certificate of NODE-ID issued until now, or one certificate by its
                     serial number (as 'openssl x509 -serial' prints it); the coordinator and the workers
                     refuse it and close its connections. Admins only.

            Options:
              --server URL              coordinator (default https://localhost:8443)
              --user NAME               an admin (http-server.authentication.admin-users; default $USER)
              --password                send a password (from $GLAUX_PASSWORD, or prompted); needs https
              --truststore PEM-FILE     trust the CA certificate(s) in this PEM file (the cluster's ca.pem)
              --insecure                trust any certificate (testing only)
            """;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final boolean mayPrompt;

    NodeCommand(PrintStream out, PrintStream err, Map<String, String> env, boolean mayPrompt)
    {
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
        this.env = Map.copyOf(env);
        this.mayPrompt = mayPrompt;
    }

    /** Runs {@code glaux node} with these arguments; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err)
    {
        return new NodeCommand(out, err, System.getenv(), true).execute(args);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)} with this environment ({@code GLAUX_PASSWORD}, {@code USER}) and no prompt. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env)
    {
        return new NodeCommand(out, err, env, false).execute(args);
    }

    private record Options(String action, Optional<String> nodeId, Optional<String> serial, URI server, String user, boolean password,
            Optional<Path> truststore, boolean insecure) {}

    int execute(String[] args)
    {
        Options options;
        try {
            options = parse(args);
        }
        catch (CliOptions.UsageException e) {
            err.println("glaux node: " + e.getMessage());
            err.print(USAGE);
            return GlauxCli.EXIT_USAGE;
        }
        if (options == null) {
            out.print(USAGE);
            return GlauxCli.EXIT_OK;
        }
        try {
            Optional<String> authorization = options.password() ? Optional.of(CliOptions.basicAuthorization(options.user(), env, mayPrompt)) : Optional.empty();
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(new TlsOptions(options.truststore(), options.insecure()).sslContext())
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            try (client) {
                return options.action().equals("list") ? list(client, options, authorization) : revoke(client, options, authorization);
            }
        }
        catch (CliOptions.UsageException e) {
            err.println("glaux node: " + e.getMessage());
            return GlauxCli.EXIT_USAGE;
        }
        catch (ClientException | IOException e) {
            err.println("glaux node: cannot reach the coordinator at " + options.server() + ": " + e.getMessage());
            return GlauxCli.EXIT_FAILED;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GlauxCli.EXIT_FAILED;
        }
    }

    private int list(HttpClient client, Options options, Optional<String> authorization)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = client.send(request(options, "/v1/node/identities", authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = parse(response.body());
        if (response.statusCode() != 200) {
            return failed(response, body);
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "STATE", "FLIGHT URI", "CERTIFICATE SERIAL", "HOST NAMES", "REVOKED AT"});
        for (JsonNode node : body.path("nodes")) {
            List<String> hosts = new ArrayList<>();
            node.path("hostNames").forEach(host -> hosts.add(host.asText()));
            rows.add(new String[] {node.path("nodeId").asText(), node.path("state").asText(), node.path("flightUri").asText(""),
                    node.path("serial").asText(""), String.join(",", hosts), node.path("revokedAt").asText("")});
        }
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        List<String> serials = new ArrayList<>();
        body.path("revokedSerials").forEach(serial -> serials.add(serial.asText()));
        if (!serials.isEmpty()) {
            out.println("revoked certificate serials: " + String.join(", ", serials));
        }
        return GlauxCli.EXIT_OK;
    }

    private int revoke(HttpClient client, Options options, Optional<String> authorization)
            throws IOException, InterruptedException
    {
        String query = options.nodeId().isPresent()
                ? "node=" + URLEncoder.encode(options.nodeId().get(), StandardCharsets.UTF_8)
                : "serial=" + URLEncoder.encode(options.serial().orElseThrow(), StandardCharsets.UTF_8);
        HttpResponse<String> response = client.send(request(options, "/v1/node/revoke?" + query, authorization)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = parse(response.body());
        if (response.statusCode() != 200) {
            return failed(response, body);
        }
        if (body.hasNonNull("nodeId")) {
            out.println("revoked node " + body.get("nodeId").asText() + " (every certificate of it issued until " + body.path("revokedAt").asText() + ")");
        }
        else {
            out.println("revoked the node certificate with serial " + body.path("serial").asText());
        }
        return GlauxCli.EXIT_OK;
    }

    private int failed(HttpResponse<String> response, JsonNode body)
    {
        String message = body.hasNonNull("message") ? body.get("message").asText()
                : response.body().isBlank() ? "HTTP " + response.statusCode() : response.body().strip();
        String code = body.hasNonNull("errorName") ? body.get("errorName").asText() + ": " : "";
        if (response.statusCode() == 401) {
            code = "authentication failed: ";
        }
        err.println("glaux node: " + code + message);
        return GlauxCli.EXIT_FAILED;
    }

    private static HttpRequest.Builder request(Options options, String pathAndQuery, Optional<String> authorization)
    {
        String base = options.server().toString();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery))
                .timeout(TIMEOUT)
                .header("User-Agent", HttpTransport.USER_AGENT)
                .header("X-Trino-User", options.user());
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder;
    }

    private static JsonNode parse(String body)
    {
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null ? MAPPER.createObjectNode() : node;
        }
        catch (IOException e) {
            return MAPPER.createObjectNode();
        }
    }

    /** The options, or null for {@code --help}. */
    private Options parse(String[] args)
            throws CliOptions.UsageException
    {
        String action = null;
        String nodeId = null;
        String serial = null;
        String server = CliOptions.DEFAULT_SERVER;
        String user = Optional.ofNullable(env.get("USER")).filter(value -> !value.isBlank()).orElse(System.getProperty("user.name", "glaux"));
        boolean password = false;
        Path truststore = null;
        boolean insecure = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h", "help" -> {
                    return null;
                }
                case "--password" -> password = true;
                case "--insecure" -> insecure = true;
                case "--server", "--user", "--truststore", "--serial" -> {
                    if (i + 1 >= args.length) {
                        throw new CliOptions.UsageException(arg + " needs a value");
                    }
                    String value = args[++i];
                    switch (arg) {
                        case "--server" -> server = value;
                        case "--user" -> user = value;
                        case "--truststore" -> truststore = Path.of(value);
                        default -> serial = value;
                    }
                }
                default -> {
                    if (arg.startsWith("-")) {
                        throw new CliOptions.UsageException("unknown option " + arg);
                    }
                    if (action == null) {
                        action = arg;
                    }
                    else if (nodeId == null) {
                        nodeId = arg;
                    }
                    else {
                        throw new CliOptions.UsageException("unexpected argument " + arg);
                    }
                }
            }
        }
        if (action == null) {
            throw new CliOptions.UsageException("missing command: list or revoke");
        }
        switch (action) {
            case "list" -> {
                if (nodeId != null || serial != null) {
                    throw new CliOptions.UsageException("list takes no node id or serial");
                }
            }
            case "revoke" -> {
                if ((nodeId == null) == (serial == null)) {
                    throw new CliOptions.UsageException("revoke needs a NODE-ID or --serial HEX (one of them)");
                }
            }
            default -> throw new CliOptions.UsageException("unknown command " + action + ": list or revoke");
        }
        URI serverUri;
        try {
            serverUri = new URI(server);
        }
        catch (java.net.URISyntaxException e) {
            throw new CliOptions.UsageException("invalid --server " + server);
        }
        if (!"https".equals(serverUri.getScheme()) && !"http".equals(serverUri.getScheme())) {
            throw new CliOptions.UsageException("--server must be an http(s) URL: " + server);
        }
        if (password && !"https".equals(serverUri.getScheme())) {
            throw new CliOptions.UsageException("--password needs an https --server");
        }
        if (insecure && truststore != null) {
            throw new CliOptions.UsageException("--insecure and --truststore exclude each other");
        }
        return new Options(action, Optional.ofNullable(nodeId), Optional.ofNullable(serial), serverUri, user, password, Optional.ofNullable(truststore), insecure);
    }
}
