package io.glaux.engine.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightStatusCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;

class TestRemoteErrors
{
    private static final URI WORKER = URI.create("grpc+tls://127.0.0.1:4711");

    @Test
    void glauxErrorsRoundTrip()
    {
        GlauxException original = new GlauxException(ErrorCode.CORRUPT_FILE, "Corrupt Parquet footer in s3://logs/a.parquet at offset 1234");
        CallStatus status = RemoteErrors.toCallStatus(original);
        assertThat(status.code()).isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
        assertThat(status.description()).isEqualTo(original.getMessage());

        GlauxException decoded = RemoteErrors.fromFlight(status.toRuntimeException(), "w1", WORKER);
        assertThat(decoded.errorCode()).isEqualTo(ErrorCode.CORRUPT_FILE);
        assertThat(decoded.getMessage()).isEqualTo(original.getMessage());
    }

    @Test
    void locationsAndCategoriesRoundTrip()
    {
        GlauxException original = new GlauxException(ErrorCode.DIVISION_BY_ZERO, new ErrorLocation(3, 14), "Division by zero", null);
        GlauxException decoded = RemoteErrors.fromFlight(RemoteErrors.toCallStatus(original).toRuntimeException(), "w1", WORKER);
        assertThat(decoded.errorCode()).isEqualTo(ErrorCode.DIVISION_BY_ZERO);
        assertThat(decoded.location()).contains(new ErrorLocation(3, 14));
        assertThat(decoded.getMessage()).isEqualTo("line 3:14: Division by zero");

        assertThat(RemoteErrors.toCallStatus(new GlauxException(ErrorCode.EXCEEDED_MEMORY_LIMIT, "m")).code()).isEqualTo(FlightStatusCode.RESOURCE_EXHAUSTED);
        assertThat(RemoteErrors.toCallStatus(new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "m")).code()).isEqualTo(FlightStatusCode.INTERNAL);
        assertThat(RemoteErrors.toCallStatus(new GlauxException(ErrorCode.USER_CANCELED, "m")).code()).isEqualTo(FlightStatusCode.CANCELLED);
    }

    @Test
    void longMessagesAreTruncated()
    {
        CallStatus status = RemoteErrors.toCallStatus(new GlauxException(ErrorCode.BAD_DATA, "x".repeat(100_000)));
        assertThat(status.description()).hasSize(RemoteErrors.MAX_MESSAGE_LENGTH).endsWith("...");
    }

    @Test
    void transportFailuresNameTheWorker()
    {
        CallStatus status = CallStatus.UNAVAILABLE.withDescription("io exception").withCause(new IOException("Connection refused: /127.0.0.1:4711"));
        GlauxException decoded = RemoteErrors.fromFlight(status.toRuntimeException(), "w1", WORKER);
        assertThat(decoded.errorCode()).isEqualTo(ErrorCode.WORKER_FAILED);
        assertThat(decoded.getMessage()).isEqualTo("Worker w1 at grpc+tls://127.0.0.1:4711 failed: UNAVAILABLE: io exception (IOException: Connection refused: /127.0.0.1:4711)");
    }

    @Test
    void unknownCodesFromNewerWorkers()
    {
        ErrorFlightMetadata metadata = new ErrorFlightMetadata();
        metadata.insert(RemoteErrors.ERROR_CODE_KEY, "SOME_FUTURE_CODE");
        CallStatus status = new CallStatus(FlightStatusCode.INTERNAL, null, "boom", metadata);
        GlauxException decoded = RemoteErrors.fromFlight(status.toRuntimeException(), "w1", WORKER);
        assertThat(decoded.errorCode()).isEqualTo(ErrorCode.REMOTE_TASK_ERROR);
        assertThat(decoded.getMessage()).isEqualTo("Worker w1 at grpc+tls://127.0.0.1:4711 failed with SOME_FUTURE_CODE: boom");
    }
}
