package io.glaux.cli;

import io.glaux.cli.output.OutputFormat;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/** The command line of {@code glaux sql}, parsed and checked. */
record CliOptions(
        URI server,
        String user,
        Optional<String> catalog,
        Optional<String> schema,
        Optional<Path> truststore,
        boolean insecure,
        boolean password,
        Optional<String> execute,
        Optional<Path> file,
        Optional<OutputFormat> outputFormat,
        boolean progress,
        boolean interactive,
        Path historyFile,
        Map<String, String> sessionProperties,
        boolean ignoreErrors,
        boolean debug,
        Duration requestTimeout,
        boolean help,
        boolean version)
{
    static final String DEFAULT_SERVER = "https://localhost:8443";
    static final String DEFAULT_CATALOG = "hive";
    static final String DEFAULT_SCHEMA = "default";
    static final String HISTORY_FILE_NAME = ".glaux_history";
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(2);

    CliOptions
    {
        requireNonNull(server, "server is null");
        requireNonNull(user, "user is null");
        sessionProperties = Map.copyOf(sessionProperties);
    }

    static final String USAGE = """
            Usage: glaux sql [options]

            Runs SQL on a Glaux (or any Trino-protocol) coordinator. Without -e/-f it reads statements
            interactively from a terminal, or as a script from standard input.

            Connection:
              --server URL              coordinator (default https://localhost:8443)
              --user NAME               user name (default $USER)
              --catalog NAME            default catalog (default hive; '' for none)
              --schema NAME             default schema (default default; '' for none)
              --session NAME=VALUE      session property (repeatable)
              --truststore PEM-FILE     trust the CA certificate(s) in this PEM file (e.g. the one the
                                        demo prints) instead of the JVM's trust store
              --insecure                trust any certificate, skip host name checks (testing only)
              --password                send a password (from $GLAUX_PASSWORD, or prompted) with HTTP
                                        basic authentication; needs https
              --request-timeout DURATION  give up on an unresponsive coordinator after this long
                                        (e.g. 30s, 5m; default 2m)

            Input and output:
              -e, --execute SQL         run these statements (separated by ';') and exit
              -f, --file PATH           run the statements in this file and exit
              --output-format FORMAT    ALIGNED, VERTICAL, CSV, CSV_HEADER, TSV, TSV_HEADER, JSON or NULL
                                        (default ALIGNED interactively, CSV otherwise)
              --ignore-errors           with -e/-f: go on after a failed statement (exit code stays 1)
              --progress                show the progress line even when stderr is not a terminal
              --interactive             read statements interactively even if stdin is not a terminal
              --history-file PATH       interactive history (default ~/.glaux_history)
              --debug                   show error details from the coordinator

              --help                    show this help and exit
              --version                 show the version and exit

            Exit codes: 0 success, 1 a statement failed or the coordinator could not be reached,
            2 bad usage.
            """;

    /** Parses {@code args}; {@code env} provides USER and HOME defaults. */
    static CliOptions parse(String[] args, Map<String, String> env)
            throws UsageException
    {
        String server = DEFAULT_SERVER;
        String user = firstNonBlank(env.get("USER"), System.getProperty("user.name"), "glaux");
        String catalog = DEFAULT_CATALOG;
        String schema = DEFAULT_SCHEMA;
        String truststore = null;
        boolean insecure = false;
        boolean password = false;
        String execute = null;
        String file = null;
        String outputFormat = null;
        boolean progress = false;
        boolean interactive = false;
        String historyFile = null;
        Map<String, String> session = new LinkedHashMap<>();
        boolean ignoreErrors = false;
        boolean debug = false;
        String requestTimeout = null;
        boolean help = false;
        boolean version = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inlineValue = null;
            if (arg.startsWith("--") && arg.indexOf('=') > 2) {
                name = arg.substring(0, arg.indexOf('='));
                inlineValue = arg.substring(arg.indexOf('=') + 1);
            }
            if (!name.startsWith("-") || name.equals("-")) {
                throw new UsageException("Unexpected argument: " + arg + " (quote the SQL and pass it with -e)");
            }
            switch (name) {
                case "--insecure", "--password", "--progress", "--interactive", "--ignore-errors", "--debug",
                     "--help", "-h", "--version" -> {
                    if (inlineValue != null) {
                        throw new UsageException("Option " + name + " takes no value");
                    }
                    switch (name) {
                        case "--insecure" -> insecure = true;
                        case "--password" -> password = true;
                        case "--progress" -> progress = true;
                        case "--interactive" -> interactive = true;
                        case "--ignore-errors" -> ignoreErrors = true;
                        case "--debug" -> debug = true;
                        case "--version" -> version = true;
                        default -> help = true;
                    }
                }
                case "--server", "--user", "--catalog", "--schema", "--truststore", "-e", "--execute", "-f", "--file",
                     "--output-format", "--history-file", "--session", "--request-timeout" -> {
                    String value;
                    if (inlineValue != null) {
                        value = inlineValue;
                    }
                    else if (i + 1 < args.length) {
                        value = args[++i];
                    }
                    else {
                        throw new UsageException("Option " + name + " needs a value");
                    }
                    switch (name) {
                        case "--server" -> server = value;
                        case "--user" -> user = value;
                        case "--catalog" -> catalog = value;
                        case "--schema" -> schema = value;
                        case "--truststore" -> truststore = value;
                        case "-e", "--execute" -> execute = requireOnce(execute, value, "--execute");
                        case "-f", "--file" -> file = requireOnce(file, value, "--file");
                        case "--output-format" -> outputFormat = value;
                        case "--history-file" -> historyFile = value;
                        case "--session" -> {
                            int equals = value.indexOf('=');
                            if (equals <= 0) {
                                throw new UsageException("--session needs NAME=VALUE, got: " + value);
                            }
                            session.put(value.substring(0, equals).strip(), value.substring(equals + 1));
                        }
                        default -> requestTimeout = value;
                    }
                }
                default -> throw new UsageException("Unknown option: " + name);
            }
        }

        if (execute != null && file != null) {
            throw new UsageException("--execute and --file exclude each other");
        }
        if (interactive && (execute != null || file != null)) {
            throw new UsageException("--interactive excludes --execute and --file");
        }
        if (insecure && truststore != null) {
            throw new UsageException("--insecure and --truststore exclude each other");
        }
        if (user.isBlank()) {
            throw new UsageException("--user must not be empty");
        }
        URI serverUri = parseServer(server);
        if (password && !"https".equals(serverUri.getScheme())) {
            throw new UsageException("--password needs an https server URL");
        }
        Optional<String> catalogName = Optional.of(catalog.strip()).filter(value -> !value.isEmpty());
        Optional<String> schemaName = Optional.of(schema.strip()).filter(value -> !value.isEmpty());
        if (schemaName.isPresent() && catalogName.isEmpty()) {
            throw new UsageException("--schema needs a catalog");
        }
        Optional<Path> truststorePath = Optional.ofNullable(truststore).map(Path::of);
        if (truststorePath.isPresent() && !Files.isReadable(truststorePath.get())) {
            throw new UsageException("Cannot read truststore file: " + truststore);
        }
        Optional<Path> filePath = Optional.ofNullable(file).map(Path::of);
        Path history = historyFile != null
                ? Path.of(historyFile)
                : Path.of(firstNonBlank(env.get("HOME"), System.getProperty("user.home"), ".")).resolve(HISTORY_FILE_NAME);

        return new CliOptions(serverUri, user, catalogName, schemaName, truststorePath, insecure, password,
                Optional.ofNullable(execute), filePath, parseFormat(outputFormat), progress, interactive, history,
                session, ignoreErrors, debug,
                requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : parseDuration(requestTimeout), help, version);
    }

    private static String requireOnce(String previous, String value, String option)
            throws UsageException
    {
        if (previous != null) {
            throw new UsageException(option + " may be given once");
        }
        return value;
    }

    /** {@code https://host:port}, {@code http://host:port}, or {@code host[:port]} meaning https. */
    static URI parseServer(String server)
            throws UsageException
    {
        String text = server.strip();
        if (!text.contains("://")) {
            text = "https://" + text;
        }
        URI uri;
        try {
            uri = new URI(text);
        }
        catch (URISyntaxException e) {
            throw new UsageException("Invalid --server URL: " + server);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new UsageException("Invalid --server URL (needs https:// or http://): " + server);
        }
        if (uri.getHost() == null) {
            throw new UsageException("Invalid --server URL (no host): " + server);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new UsageException("Invalid --server URL (no query or fragment allowed): " + server);
        }
        return uri;
    }

    private static Optional<OutputFormat> parseFormat(String format)
            throws UsageException
    {
        if (format == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OutputFormat.valueOf(format.strip().toUpperCase(Locale.ROOT)));
        }
        catch (IllegalArgumentException e) {
            throw new UsageException("Unknown output format: " + format + " (use one of "
                    + Arrays.stream(OutputFormat.values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
        }
    }

    /** {@code 90} (seconds), {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
    static Duration parseDuration(String text)
            throws UsageException
    {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            Duration duration;
            if (value.endsWith("ms")) {
                duration = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            else if (value.endsWith("s")) {
                duration = Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            else if (value.endsWith("m")) {
                duration = Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            else if (value.endsWith("h")) {
                duration = Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            else {
                duration = Duration.ofSeconds(Long.parseLong(value));
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new UsageException("Duration must be positive: " + text);
            }
            return duration;
        }
        catch (NumberFormatException e) {
            throw new UsageException("Invalid duration: " + text + " (e.g. 30s, 5m)");
        }
    }

    private static String firstNonBlank(String... values)
    {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "";
    }

    /**
     * The Basic authorization header value for {@code user}: the password from {@code GLAUX_PASSWORD},
     * else typed at the terminal when {@code mayPrompt} (never echoed).
     */
    static String basicAuthorization(String user, Map<String, String> env, boolean mayPrompt)
            throws UsageException
    {
        String password = env.get("GLAUX_PASSWORD");
        if (password == null) {
            java.io.Console console = System.console();
            if (!mayPrompt || console == null) {
                throw new UsageException("--password: set GLAUX_PASSWORD, or run from a terminal to be prompted");
            }
            char[] typed = console.readPassword("Password: ");
            if (typed == null) {
                throw new UsageException("--password: no password entered");
            }
            password = new String(typed);
        }
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A command line that cannot be run; {@code glaux sql} exits with 2. */
    static final class UsageException
            extends Exception
    {
        UsageException(String message)
        {
            super(message);
        }
    }
}
