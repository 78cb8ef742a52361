package io.glaux.engine.exchange;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;

import java.net.URI;
import java.util.Optional;

/**
 * How a {@link GlauxException} raised on a worker travels over Flight and is rebuilt on the caller.
 *
 * <p>The worker ends the call with a Flight status whose description is the exception's raw message
 * (truncated to {@value #MAX_MESSAGE_LENGTH} characters, never a stack trace) and whose trailers carry
 * {@value #ERROR_CODE_KEY} = the {@link ErrorCode} name and, for SQL errors,
 * {@value #ERROR_LOCATION_KEY} = {@code line:column}. The status code follows the error category
 * (user → INVALID_ARGUMENT, resources → RESOURCE_EXHAUSTED, canceled → CANCELLED, else INTERNAL) so
 * that other Flight clients see something sensible.
 *
 * <p>A failed call whose trailers carry no error code did not come from Glaux code on the worker:
 * the connection broke, the process died, TLS was refused, the server shut down. The caller turns it
 * into {@link ErrorCode#WORKER_FAILED} "Worker &lt;id&gt; at &lt;uri&gt; failed: &lt;reason&gt;".
 */
public final class RemoteErrors
{
    public static final String ERROR_CODE_KEY = "glaux-error-code";
    public static final String ERROR_LOCATION_KEY = "glaux-error-location";
    public static final int MAX_MESSAGE_LENGTH = 4000;

    private RemoteErrors() {}

    /** The status a worker ends a call with when {@code failure} stops it. */
    public static CallStatus toCallStatus(GlauxException failure)
    {
        ErrorFlightMetadata metadata = new ErrorFlightMetadata();
        metadata.insert(ERROR_CODE_KEY, failure.errorCode().name());
        failure.location().ifPresent(location -> metadata.insert(ERROR_LOCATION_KEY, location.line() + ":" + location.column()));
        FlightStatusCode code = switch (failure.errorCode().category()) {
            case USER_ERROR -> failure.errorCode() == ErrorCode.USER_CANCELED ? FlightStatusCode.CANCELLED : FlightStatusCode.INVALID_ARGUMENT;
            case INSUFFICIENT_RESOURCES -> FlightStatusCode.RESOURCE_EXHAUSTED;
            case EXTERNAL, INTERNAL_ERROR -> FlightStatusCode.INTERNAL;
        };
        return new CallStatus(code, null, truncate(failure.rawMessage()), metadata);
    }

    /**
     * Rebuilds the exception a worker raised, or describes the transport failure as
     * {@link ErrorCode#WORKER_FAILED} naming the worker.
     */
    public static GlauxException fromFlight(FlightRuntimeException failure, String workerId, URI workerUri)
    {
        CallStatus status = failure.status();
        Optional<ErrorCode> errorCode = errorCode(status);
        if (errorCode.isPresent()) {
            return new GlauxException(errorCode.get(), location(status), description(status), null);
        }
        String codeName = metadataValue(status, ERROR_CODE_KEY);
        if (codeName != null) {
            // a newer worker sent a code this coordinator does not know
            return new GlauxException(ErrorCode.REMOTE_TASK_ERROR,
                    "Worker " + workerId + " at " + workerUri + " failed with " + codeName + ": " + description(status));
        }
        return workerFailed(workerId, workerUri, reason(failure), failure);
    }

    public static GlauxException workerFailed(String workerId, URI workerUri, String reason, Throwable cause)
    {
        return new GlauxException(ErrorCode.WORKER_FAILED, "Worker " + workerId + " at " + workerUri + " failed: " + reason, cause);
    }

    /** Whether the status carries an error raised by Glaux code on the worker. */
    public static boolean isRemoteError(CallStatus status)
    {
        return errorCode(status).isPresent();
    }

    private static Optional<ErrorCode> errorCode(CallStatus status)
    {
        String name = metadataValue(status, ERROR_CODE_KEY);
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ErrorCode.valueOf(name));
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ErrorLocation location(CallStatus status)
    {
        String value = metadataValue(status, ERROR_LOCATION_KEY);
        if (value == null) {
            return null;
        }
        int colon = value.indexOf(':');
        try {
            return new ErrorLocation(Integer.parseInt(value.substring(0, colon)), Integer.parseInt(value.substring(colon + 1)));
        }
        catch (RuntimeException e) {
            return null;
        }
    }

    private static String metadataValue(CallStatus status, String key)
    {
        ErrorFlightMetadata metadata = status.metadata();
        // ErrorFlightMetadata.get throws for an absent key
        return metadata == null || !metadata.containsKey(key) ? null : metadata.get(key);
    }

    private static String description(CallStatus status)
    {
        String description = status.description();
        return description == null || description.isEmpty() ? status.code().name() : description;
    }

    /** A short human-readable reason for a transport failure: status, description and root cause. */
    static String reason(FlightRuntimeException failure)
    {
        CallStatus status = failure.status();
        StringBuilder reason = new StringBuilder(status.code().name());
        String description = status.description();
        if (description != null && !description.isEmpty()) {
            reason.append(": ").append(description);
        }
        Throwable cause = status.cause() != null ? status.cause() : failure.getCause();
        Throwable root = cause;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != null && root.getMessage() != null && (description == null || !description.contains(root.getMessage()))) {
            reason.append(" (").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage()).append(')');
        }
        return reason.toString();
    }

    private static String truncate(String message)
    {
        return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
    }
}
