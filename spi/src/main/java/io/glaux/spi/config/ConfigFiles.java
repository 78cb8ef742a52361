package io.glaux.spi.config;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a node's properties file ({@code etc/config.properties}, {@code etc/worker.properties}).
 * A value may name environment variables as {@code ${ENV:NAME}}, replaced by their values when the
 * file is read, so that one mounted {@code etc/} serves every container and secrets stay in the
 * environment (a Kubernetes Secret, a compose {@code environment:}). {@code ${ENV:NAME:-default}} gives
 * a default for a variable that is not set. A variable that is not set and has no default is an error
 * naming the key and the variable, never an empty value.
 */
public final class ConfigFiles
{
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{ENV:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private ConfigFiles() {}

    /** The file's properties, values trimmed and {@code ${ENV:NAME}} replaced from the process environment. */
    public static Properties load(Path file)
    {
        return load(file, System::getenv);
    }

    static Properties load(Path file, Function<String, String> environment)
    {
        requireNonNull(file, "file is null");
        Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            raw.load(reader);
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Cannot read configuration file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        Properties resolved = new Properties();
        for (String key : raw.stringPropertyNames()) {
            resolved.setProperty(key, resolve(file, key, raw.getProperty(key).strip(), environment));
        }
        return resolved;
    }

    /** {@link #load(Path)} as a map. */
    public static Map<String, String> loadMap(Path file)
    {
        Properties properties = load(file);
        Map<String, String> map = new java.util.HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }

    private static String resolve(Path file, String key, String value, Function<String, String> environment)
    {
        Matcher matcher = ENV_REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String replacement = environment.apply(variable);
            if (replacement == null) {
                replacement = matcher.group(2);
            }
            if (replacement == null) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR,
                        "Configuration property '" + key + "' in " + file + " refers to environment variable " + variable + ", which is not set");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
