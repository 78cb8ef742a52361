package io.glaux.launcher;

import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code glaux tls --dir DIR --node NAME [--host-names a,b]}: creates (or reuses) the cluster CA in
 * {@code DIR} and the certificate of one node, as the nodes do on their first start. Deployments use it
 * to create the cluster's TLS material once, before any node starts ({@code docker/tls-init.sh}).
 */
final class TlsCommand
{
    private TlsCommand() {}

    static void run(String[] args)
    {
        Path dir = null;
        List<String> nodes = new ArrayList<>();
        List<String> hostNames = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(value(args, ++i));
                case "--node" -> nodes.add(value(args, ++i));
                case "--host-names" -> {
                    for (String host : value(args, ++i).split(",")) {
                        if (!host.isBlank()) {
                            hostNames.add(host.strip());
                        }
                    }
                }
                default -> throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Unknown tls option " + args[i] + " (options: --dir DIR, --node NAME, --host-names a,b)");
            }
        }
        if (dir == null || nodes.isEmpty()) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "glaux tls needs --dir DIR and at least one --node NAME");
        }
        for (String node : nodes) {
            TlsMaterial material = TlsMaterial.loadOrCreate(dir, node, hostNames);
            System.out.println("tls: " + material.certificateChain() + " (" + material.certificate().getSubjectX500Principal() + ", CA " + material.caCertificate() + ")");
        }
    }

    private static String value(String[] args, int index)
    {
        if (index >= args.length) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Option " + args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
