package io.glaux.cli;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * How the client trusts the coordinator's certificate: the JVM's trust store (default), the CA
 * certificates of a PEM file ({@code --truststore}, e.g. the CA the demo stack prints), or anything at
 * all without checking the host name ({@code --insecure}, for testing only).
 */
public record TlsOptions(Optional<Path> truststore, boolean insecure)
{
    private static final Pattern PEM_CERTIFICATE = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+?)-----END CERTIFICATE-----");

    public TlsOptions
    {
        requireNonNull(truststore, "truststore is null");
        if (insecure && truststore.isPresent()) {
            throw new IllegalArgumentException("--insecure and --truststore exclude each other");
        }
    }

    public static TlsOptions defaults()
    {
        return new TlsOptions(Optional.empty(), false);
    }

    /** The SSL context these options describe; fails with a user-facing message on an unusable truststore. */
    public SSLContext sslContext()
    {
        try {
            if (insecure) {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustAllManager()}, null);
                return context;
            }
            if (truststore.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore keyStore = KeyStore.getInstance(KeyStore.getDefaultType());
            keyStore.load(null, null);
            List<X509Certificate> certificates = readCertificates(truststore.get());
            for (int i = 0; i < certificates.size(); i++) {
                keyStore.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        }
        catch (GeneralSecurityException | IOException e) {
            throw new ClientException("Cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * The X.509 certificates of a PEM file (any number of {@code CERTIFICATE} blocks; other blocks such
     * as keys are skipped) or of a single DER-encoded certificate.
     */
    static List<X509Certificate> readCertificates(Path file)
    {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        }
        catch (IOException e) {
            throw new ClientException("Cannot read truststore " + file + ": " + e.getMessage(), e);
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certificates = new ArrayList<>();
            Matcher matcher = PEM_CERTIFICATE.matcher(new String(bytes, StandardCharsets.US_ASCII));
            while (matcher.find()) {
                byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
                certificates.add(asX509(factory.generateCertificate(new ByteArrayInputStream(der))));
            }
            if (certificates.isEmpty()) {
                certificates.add(asX509(factory.generateCertificate(new ByteArrayInputStream(bytes))));
            }
            return certificates;
        }
        catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ClientException("Truststore " + file + " holds no usable certificate (expected a PEM file"
                    + " with -----BEGIN CERTIFICATE----- blocks): " + e.getMessage(), e);
        }
    }

    private static X509Certificate asX509(Certificate certificate)
            throws GeneralSecurityException
    {
        if (certificate instanceof X509Certificate x509) {
            return x509;
        }
        throw new GeneralSecurityException("not an X.509 certificate: " + certificate.getType());
    }

    /**
     * Accepts every server certificate. Being an {@link X509ExtendedTrustManager}, it also takes over
     * the endpoint (host name) identification, so it skips that too.
     */
    private static final class TrustAllManager
            extends X509ExtendedTrustManager
    {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return new X509Certificate[0];
        }
    }
}
