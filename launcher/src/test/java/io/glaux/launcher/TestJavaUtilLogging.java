package io.glaux.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.util.logging.Handler;
import java.util.logging.LogManager;

/** What gRPC logs through java.util.logging reaches SLF4J (and so Log4j's configuration), and nothing else prints it. */
class TestJavaUtilLogging
{
    @Test
    void javaUtilLoggingGoesOnlyThroughSlf4j()
    {
        Glaux.routeJavaUtilLogging();
        Glaux.routeJavaUtilLogging();
        Handler[] handlers = LogManager.getLogManager().getLogger("").getHandlers();
        assertThat(handlers).hasSize(1);
        assertThat(handlers[0]).isInstanceOf(SLF4JBridgeHandler.class);
    }
}
