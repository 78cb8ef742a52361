package io.glaux.catalog.hive;

import static io.glaux.spi.error.ErrorCode.METASTORE_ERROR;
import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.GlauxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.IMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.thrift.TException;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;

/**
 * A small pool of {@link HiveMetaStoreClient}s. A Hive client is not thread-safe, so each call has a
 * client to itself; at most {@code maxConnections} calls run at once and idle clients are kept for the
 * next call. A call that fails on the transport (the metastore restarted, a connection went stale) is
 * retried once on a fresh connection.
 */
final class MetastoreClientPool
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(MetastoreClientPool.class);

    @FunctionalInterface
    interface MetastoreCall<T>
    {
        T call(IMetaStoreClient client)
                throws TException;
    }

    private final Configuration configuration;
    private final String uri;
    private final Semaphore permits;
    private final Deque<IMetaStoreClient> idle = new ArrayDeque<>();
    private boolean closed;

    MetastoreClientPool(Configuration configuration, String uri, int maxConnections)
    {
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.uri = requireNonNull(uri, "uri is null");
        this.permits = new Semaphore(maxConnections, true);
    }

    /**
     * Runs {@code call} on a pooled client. Metastore exceptions (missing objects, ...) are passed
     * through for the caller to translate; failures to connect become {@code METASTORE_ERROR}.
     */
    <T> T run(MetastoreCall<T> call)
            throws TException
    {
        try {
            permits.acquire();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GlauxException(METASTORE_ERROR, "Interrupted while waiting for a Hive metastore connection to " + uri, e);
        }
        try {
            IMetaStoreClient client = borrow();
            try {
                T result = call.call(client);
                giveBack(client);
                return result;
            }
            catch (TException e) {
                if (!isTransportFailure(e)) {
                    // an answer from the metastore (no such object, ...): the connection is fine
                    giveBack(client);
                    throw e;
                }
                closeQuietly(client);
                if (isTimeout(e)) {
                    // the metastore may still be carrying the call out: repeating a write (create table,
                    // add partitions) could apply it twice, so a timeout is not retried
                    throw e;
                }
                log.debug("Hive metastore call failed on the transport, retrying once on a new connection to {}", uri, e);
            }
            catch (RuntimeException | Error e) {
                closeQuietly(client);
                throw e;
            }

            IMetaStoreClient fresh = connect();
            try {
                T result = call.call(fresh);
                giveBack(fresh);
                return result;
            }
            catch (TException e) {
                if (isTransportFailure(e)) {
                    closeQuietly(fresh);
                }
                else {
                    giveBack(fresh);
                }
                throw e;
            }
            catch (RuntimeException | Error e) {
                closeQuietly(fresh);
                throw e;
            }
        }
        finally {
            permits.release();
        }
    }

    private static boolean isTimeout(Throwable failure)
    {
        return hasCause(failure, SocketTimeoutException.class);
    }

    static boolean isTransportFailure(Throwable failure)
    {
        return hasCause(failure, TTransportException.class) || hasCause(failure, SocketException.class);
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type)
    {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private IMetaStoreClient borrow()
    {
        synchronized (this) {
            if (closed) {
                throw new GlauxException(METASTORE_ERROR, "The Hive metastore catalog for " + uri + " is closed");
            }
            IMetaStoreClient client = idle.pollFirst();
            if (client != null) {
                return client;
            }
        }
        return connect();
    }

    private void giveBack(IMetaStoreClient client)
    {
        synchronized (this) {
            if (!closed) {
                idle.addFirst(client);
                return;
            }
        }
        closeQuietly(client);
    }

    private IMetaStoreClient connect()
    {
        try {
            return new HiveMetaStoreClient(configuration);
        }
        catch (MetaException e) {
            throw new GlauxException(METASTORE_ERROR, "Cannot connect to the Hive metastore at " + uri + ": " + e.getMessage(), e);
        }
        catch (RuntimeException e) {
            throw new GlauxException(METASTORE_ERROR, "Cannot connect to the Hive metastore at " + uri + ": " + e, e);
        }
    }

    private static void closeQuietly(IMetaStoreClient client)
    {
        try {
            client.close();
        }
        catch (RuntimeException e) {
            log.debug("Closing a Hive metastore client failed", e);
        }
    }

    @Override
    public void close()
    {
        Deque<IMetaStoreClient> clients;
        synchronized (this) {
            closed = true;
            clients = new ArrayDeque<>(idle);
            idle.clear();
        }
        clients.forEach(MetastoreClientPool::closeQuietly);
    }
}
