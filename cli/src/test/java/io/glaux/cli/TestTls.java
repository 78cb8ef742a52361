package io.glaux.cli;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed server certificates for the test HTTPS server, made once per JVM with the JDK's own
 * keytool: one valid for {@code localhost}/{@code 127.0.0.1}, one for another host name only.
 */
final class TestTls
{
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static Material localhost;
    private static Material otherHost;

    private TestTls() {}

    /** A certificate (and its PEM) whose SAN is localhost and 127.0.0.1. */
    static synchronized Material localhost()
    {
        if (localhost == null) {
            localhost = create("localhost", "SAN=dns:localhost,ip:127.0.0.1");
        }
        return localhost;
    }

    /** A certificate for {@code db.example.invalid} only: host name checks against localhost fail. */
    static synchronized Material otherHost()
    {
        if (otherHost == null) {
            otherHost = create("other", "SAN=dns:db.example.invalid");
        }
        return otherHost;
    }

    record Material(Path keyStore, Path certificatePem)
    {
        SSLContext serverContext()
        {
            try (InputStream in = Files.newInputStream(keyStore)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, PASSWORD);
                KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(store, PASSWORD);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keyManagers.getKeyManagers(), null, null);
                return context;
            }
            catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Material create(String name, String san)
    {
        try {
            Path directory = Files.createTempDirectory("glaux-cli-tls-");
            directory.toFile().deleteOnExit();
            Path keyStore = directory.resolve(name + ".p12");
            Path pem = directory.resolve(name + ".pem");
            keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + name, "-ext", san, "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
            keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(),
                    "-storepass", new String(PASSWORD), "-file", pem.toString());
            keyStore.toFile().deleteOnExit();
            pem.toFile().deleteOnExit();
            return new Material(keyStore, pem);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... args)
            throws IOException
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
