package io.glaux.engine.exchange;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The TLS identity of one node and the cluster CA that signs every node, as PEM files in a directory
 * shared by all nodes of a cluster (the {@code tls.dir}).
 *
 * <p>On first use {@link #loadOrCreate} creates an EC P-256 CA valid for ten years ({@code ca.pem},
 * {@code ca-key.pem}) and a certificate for the node signed by it ({@code <node>.pem}: node certificate
 * followed by the CA certificate; {@code <node>-key.pem}: PKCS#8). Later calls reuse the files; the node
 * certificate is re-issued when it no longer matches its key, is not signed by the CA, expires within
 * 30 days or lacks a requested host name. Node certificates are valid for both server and client
 * authentication and name {@code localhost}, {@code 127.0.0.1} and any extra host names in their SAN.
 *
 * <p>Processes starting at the same time on the same directory are serialized with a lock file
 * ({@code .lock}); every file is written to a temporary file and atomically renamed, and private key
 * files are readable by the owner only. Operators may also provide the files themselves (the CA key is
 * then only needed to issue missing node certificates).
 *
 * <p>Instances are immutable.
 */
public final class TlsMaterial
{
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Duration CA_VALIDITY = Duration.ofDays(3653);
    private static final Duration NODE_VALIDITY = Duration.ofDays(3652);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final ConcurrentHashMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final String nodeName;
    private final X509Certificate ca;
    private final List<X509Certificate> trusted;
    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private TlsMaterial(Path directory, String nodeName, X509Certificate ca, List<X509Certificate> trusted, List<X509Certificate> chain, PrivateKey key)
    {
        this.directory = requireNonNull(directory, "directory is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.ca = requireNonNull(ca, "ca is null");
        this.trusted = List.copyOf(trusted);
        this.chain = List.copyOf(chain);
        this.key = requireNonNull(key, "key is null");
        if (!this.trusted.contains(ca)) {
            throw new IllegalArgumentException("the CA of node " + nodeName + " is not among the trusted CAs");
        }
    }

    /**
     * Loads the CA and the certificate of {@code nodeName} from {@code dir}, creating whatever is
     * missing (the directory, the CA, the node certificate).
     *
     * @param nodeName letters, digits, '.', '_' and '-'; names the files and the certificate's CN
     * @param extraHostNames host names or IP literals to add to the certificate's SAN
     */
    public static TlsMaterial loadOrCreate(Path dir, String nodeName, List<String> extraHostNames)
    {
        requireNonNull(dir, "dir is null");
        Set<String> hostNames = hostNames(nodeName, extraHostNames);
        Path directory = dir.toAbsolutePath().normalize();
        try {
            createDirectory(directory);
            // FileLock serializes processes; it throws OverlappingFileLockException for two threads of
            // one JVM, so threads are serialized first on a per-directory monitor.
            Object jvmLock = JVM_LOCKS.computeIfAbsent(directory, _ -> new Object());
            synchronized (jvmLock) {
                try (FileChannel channel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock _ = channel.lock()) {
                    return loadOrCreateLocked(directory, nodeName, hostNames);
                }
            }
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot create or read TLS material in " + directory + ": " + e.getMessage(), e);
        }
        catch (GeneralSecurityException | OperatorCreationException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Invalid TLS material in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static TlsMaterial loadOrCreateLocked(Path dir, String nodeName, Set<String> hostNames)
            throws IOException, GeneralSecurityException, OperatorCreationException
    {
        Path caFile = dir.resolve("ca.pem");
        Path caKeyFile = dir.resolve("ca-key.pem");
        Path certFile = dir.resolve(nodeName + ".pem");
        Path keyFile = dir.resolve(nodeName + "-key.pem");

        List<X509Certificate> trusted;
        PrivateKey caKey = null;
        if (Files.exists(caFile)) {
            trusted = readCertificates(caFile);
        }
        else {
            KeyPair caPair = newKeyPair();
            X509Certificate ca = createCa(caPair);
            caKey = caPair.getPrivate();
            trusted = List.of(ca);
            // key first: a crash between the two writes leaves no CA certificate, so the next start
            // creates a fresh CA rather than finding a certificate without its key
            writeAtomically(caKeyFile, privateKeyPem(caKey), true);
            writeAtomically(caFile, certificatePem(List.of(ca)), false);
        }

        if (Files.exists(certFile) && Files.exists(keyFile)) {
            List<X509Certificate> chain = readCertificates(certFile);
            PrivateKey key = readPrivateKey(keyFile);
            Optional<X509Certificate> issuer = issuer(chain.getFirst(), trusted);
            if (issuer.isPresent() && isUsable(chain.getFirst(), key, issuer.get(), hostNames)) {
                return new TlsMaterial(dir, nodeName, issuer.get(), trusted, chain, key);
            }
        }

        if (caKey == null) {
            if (!Files.exists(caKeyFile)) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR,
                        "Cannot issue a TLS certificate for node " + nodeName + ": " + caKeyFile + " does not exist");
            }
            caKey = readPrivateKey(caKeyFile);
        }
        return issueOwn(dir, nodeName, hostNames, trusted, caKey, NODE_VALIDITY);
    }

    /** Issues this node a new key and certificate with the CA key {@code caKey} (one of {@code trusted}'s) and writes them. */
    private static TlsMaterial issueOwn(Path dir, String nodeName, Set<String> hostNames, List<X509Certificate> trusted, PrivateKey caKey, Duration validity)
            throws IOException, GeneralSecurityException, OperatorCreationException
    {
        X509Certificate ca = signingCa(dir, trusted, caKey);
        KeyPair nodePair = newKeyPair();
        X509Certificate cert = createNodeCertificate(nodeName, hostNames, nodePair, ca, caKey, validity);
        List<X509Certificate> chain = List.of(cert, ca);
        writeAtomically(dir.resolve(nodeName + "-key.pem"), privateKeyPem(nodePair.getPrivate()), true);
        writeAtomically(dir.resolve(nodeName + ".pem"), certificatePem(chain), false);
        return new TlsMaterial(dir, nodeName, ca, trusted, chain, nodePair.getPrivate());
    }

    /**
     * Issues this node (the coordinator: it holds the CA key) a new key and a certificate valid for
     * {@code validity} from the CA key in {@code dir}, writes them and returns them: how the coordinator
     * renews its own certificate while it runs.
     */
    public static TlsMaterial renewOwn(Path dir, String nodeName, List<String> extraHostNames, Duration validity)
    {
        requireNonNull(validity, "validity is null");
        Set<String> hostNames = hostNames(nodeName, extraHostNames);
        Path directory = dir.toAbsolutePath().normalize();
        try {
            return locked(directory, () -> {
                Path caKeyFile = directory.resolve("ca-key.pem");
                if (!Files.exists(caKeyFile)) {
                    throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Cannot renew the TLS certificate of node " + nodeName + ": " + caKeyFile + " does not exist");
                }
                return issueOwn(directory, nodeName, hostNames, readCertificates(directory.resolve("ca.pem")), readPrivateKey(caKeyFile), validity);
            });
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot renew the TLS certificate of node " + nodeName + " in " + directory + ": " + e.getMessage(), e);
        }
        catch (GeneralSecurityException | OperatorCreationException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Invalid TLS material in " + directory + ": " + e.getMessage(), e);
        }
    }

    private interface LockedAction<T>
    {
        T run()
                throws IOException, GeneralSecurityException, OperatorCreationException;
    }

    /** Runs {@code action} holding the directory's lock (threads of this JVM, then processes). */
    private static <T> T locked(Path directory, LockedAction<T> action)
            throws IOException, GeneralSecurityException, OperatorCreationException
    {
        createDirectory(directory);
        Object jvmLock = JVM_LOCKS.computeIfAbsent(directory, _ -> new Object());
        synchronized (jvmLock) {
            try (FileChannel channel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock _ = channel.lock()) {
                return action.run();
            }
        }
    }

    // --- CA rotation: ca.pem may hold several CA certificates, all trusted; the one whose key is ca-key.pem signs

    /** {@code ca-next-key.pem}: the key of a CA staged by {@link #stageNextCa}, until {@link #promoteNextCa}. */
    public static final String NEXT_CA_KEY_FILE = "ca-next-key.pem";

    /**
     * Step 1 of a CA rotation: makes a new CA (its key in {@code ca-next-key.pem}, 0600) and adds its
     * certificate to {@code ca.pem}, so that every node that reads the bundle trusts both CAs while
     * certificates are still signed by the current one. Returns the new CA certificate.
     */
    public static X509Certificate stageNextCa(Path dir)
    {
        Path directory = dir.toAbsolutePath().normalize();
        return rotation(directory, "stage a new CA", () -> {
            requireCaKey(directory);
            if (Files.exists(directory.resolve(NEXT_CA_KEY_FILE))) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "A new CA is already staged in " + directory + " (" + NEXT_CA_KEY_FILE + "): promote it first");
            }
            KeyPair pair = newKeyPair();
            X509Certificate next = createCa(pair);
            List<X509Certificate> bundle = new ArrayList<>(readCertificates(directory.resolve("ca.pem")));
            bundle.add(next);
            writeAtomically(directory.resolve(NEXT_CA_KEY_FILE), privateKeyPem(pair.getPrivate()), true);
            writeAtomically(directory.resolve("ca.pem"), certificatePem(bundle), false);
            return next;
        });
    }

    /**
     * Step 2: the staged CA signs from now on ({@code ca-next-key.pem} becomes {@code ca-key.pem}; the old
     * key is deleted) and comes first in {@code ca.pem}; the old CA stays trusted until
     * {@link #retireOldCas}. Returns the CA that now signs.
     */
    public static X509Certificate promoteNextCa(Path dir)
    {
        Path directory = dir.toAbsolutePath().normalize();
        return rotation(directory, "promote the staged CA", () -> {
            requireCaKey(directory);
            Path nextKeyFile = directory.resolve(NEXT_CA_KEY_FILE);
            if (!Files.exists(nextKeyFile)) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "No new CA is staged in " + directory + " (" + NEXT_CA_KEY_FILE + "): stage one first");
            }
            PrivateKey nextKey = readPrivateKey(nextKeyFile);
            List<X509Certificate> bundle = readCertificates(directory.resolve("ca.pem"));
            X509Certificate next = signingCa(directory, bundle, nextKey);
            List<X509Certificate> reordered = new ArrayList<>();
            reordered.add(next);
            bundle.stream().filter(ca -> !ca.equals(next)).forEach(reordered::add);
            writeAtomically(directory.resolve("ca-key.pem"), privateKeyPem(nextKey), true);
            writeAtomically(directory.resolve("ca.pem"), certificatePem(reordered), false);
            Files.delete(nextKeyFile);
            return next;
        });
    }

    /** Step 3: {@code ca.pem} keeps only the CA that signs; nodes stop trusting the others. Returns the CAs removed. */
    public static List<X509Certificate> retireOldCas(Path dir)
    {
        Path directory = dir.toAbsolutePath().normalize();
        return rotation(directory, "retire the old CAs", () -> {
            requireCaKey(directory);
            if (Files.exists(directory.resolve(NEXT_CA_KEY_FILE))) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "A new CA is staged in " + directory + " (" + NEXT_CA_KEY_FILE + "): promote it before retiring the old one");
            }
            List<X509Certificate> bundle = readCertificates(directory.resolve("ca.pem"));
            X509Certificate signing = signingCa(directory, bundle, readPrivateKey(directory.resolve("ca-key.pem")));
            writeAtomically(directory.resolve("ca.pem"), certificatePem(List.of(signing)), false);
            return bundle.stream().filter(ca -> !ca.equals(signing)).toList();
        });
    }

    /** The CA certificate of {@code dir/ca.pem} whose key is {@code dir/ca-key.pem}: the one that signs now. */
    public static X509Certificate signingCaCertificate(Path dir)
    {
        Path directory = dir.toAbsolutePath().normalize();
        requireCaKey(directory);
        try {
            return signingCa(directory, readCertificates(directory.resolve("ca.pem")), readPrivateKey(directory.resolve("ca-key.pem")));
        }
        catch (IOException | GeneralSecurityException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Invalid TLS material in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void requireCaKey(Path directory)
    {
        if (!Files.exists(directory.resolve("ca-key.pem")) || !Files.exists(directory.resolve("ca.pem"))) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, directory + " holds no CA (ca.pem and ca-key.pem): rotate the CA where the coordinator keeps it");
        }
    }

    private static <T> T rotation(Path directory, String what, LockedAction<T> action)
    {
        try {
            return locked(directory, action);
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot " + what + " in " + directory + ": " + e.getMessage(), e);
        }
        catch (GeneralSecurityException | OperatorCreationException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Invalid TLS material in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The CA of {@code trusted} whose public key is {@code caKey}'s: the one that signs. */
    private static X509Certificate signingCa(Path dir, List<X509Certificate> trusted, PrivateKey caKey)
            throws GeneralSecurityException
    {
        for (X509Certificate ca : trusted) {
            if (keyMatches(ca, caKey)) {
                return ca;
            }
        }
        throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "No CA certificate in " + dir.resolve("ca.pem") + " belongs to the CA key " + dir.resolve("ca-key.pem"));
    }

    /** The CA of {@code trusted} that signed {@code cert}. */
    private static Optional<X509Certificate> issuer(X509Certificate cert, List<X509Certificate> trusted)
    {
        for (X509Certificate ca : trusted) {
            if (!ca.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                continue;
            }
            try {
                cert.verify(ca.getPublicKey());
                return Optional.of(ca);
            }
            catch (GeneralSecurityException e) {
                // another CA of the same name
            }
        }
        return Optional.empty();
    }

    /**
     * Loads the CA certificate and this node's certificate and key from {@code dir} when they are there
     * and usable (signed by {@code ca.pem}, valid for 30 more days, naming every host); never reads or
     * creates a CA key. For nodes whose files come from the operator or from an earlier {@link #join}.
     */
    public static Optional<TlsMaterial> loadExisting(Path dir, String nodeName, List<String> extraHostNames)
    {
        requireNonNull(dir, "dir is null");
        Set<String> hostNames = hostNames(nodeName, extraHostNames);
        Path directory = dir.toAbsolutePath().normalize();
        Path caFile = directory.resolve("ca.pem");
        Path certFile = directory.resolve(nodeName + ".pem");
        Path keyFile = directory.resolve(nodeName + "-key.pem");
        if (!Files.exists(caFile) || !Files.exists(certFile) || !Files.exists(keyFile)) {
            return Optional.empty();
        }
        try {
            List<X509Certificate> trusted = readCertificates(caFile);
            List<X509Certificate> chain = readCertificates(certFile);
            PrivateKey key = readPrivateKey(keyFile);
            Optional<X509Certificate> issuer = issuer(chain.getFirst(), trusted);
            if (issuer.isEmpty() || !isUsable(chain.getFirst(), key, issuer.get(), hostNames)) {
                return Optional.empty();
            }
            return Optional.of(new TlsMaterial(directory, nodeName, issuer.get(), trusted, chain, key));
        }
        catch (IOException | GeneralSecurityException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Invalid TLS material in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * This node's certificate and key from {@code dir} while they are still valid now and signed by
     * {@code ca.pem}, even when {@link #loadExisting} would not use them any more (they expire within
     * 30 days, or lack a host name): what a node presents to renew its certificate.
     */
    public static Optional<TlsMaterial> loadCurrent(Path dir, String nodeName)
    {
        requireNonNull(dir, "dir is null");
        Path directory = dir.toAbsolutePath().normalize();
        Path caFile = directory.resolve("ca.pem");
        Path certFile = directory.resolve(nodeName + ".pem");
        Path keyFile = directory.resolve(nodeName + "-key.pem");
        if (!isValidNodeName(nodeName) || !Files.exists(caFile) || !Files.exists(certFile) || !Files.exists(keyFile)) {
            return Optional.empty();
        }
        try {
            List<X509Certificate> trusted = readCertificates(caFile);
            List<X509Certificate> chain = readCertificates(certFile);
            PrivateKey key = readPrivateKey(keyFile);
            X509Certificate cert = chain.getFirst();
            Optional<X509Certificate> issuer = issuer(cert, trusted);
            if (issuer.isEmpty()) {
                return Optional.empty();
            }
            X509Certificate ca = issuer.get();
            try {
                cert.checkValidity();
            }
            catch (GeneralSecurityException e) {
                return Optional.empty();
            }
            if (!keyMatches(cert, key) || !cert.getSubjectX500Principal().equals(nodeSubject(nodeName))) {
                return Optional.empty();
            }
            return Optional.of(new TlsMaterial(directory, nodeName, ca, trusted, chain, key));
        }
        catch (IOException | GeneralSecurityException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Invalid TLS material in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gets this node's certificate without the CA key: generates a key pair here (the private key never
     * leaves {@code dir}), sends a PKCS#10 certificate request (PEM) to {@code signer} (the coordinator,
     * with a join token) and stores what it returns: the node certificate followed by the CA certificate.
     * The returned chain must certify this node's key under the name {@code nodeName} and end with a CA
     * whose public key hashes to {@code caPin} ({@link #caPin}); otherwise nothing is written.
     */
    public static TlsMaterial join(Path dir, String nodeName, List<String> extraHostNames, String caPin, Function<String, String> signer)
    {
        requireNonNull(caPin, "caPin is null");
        requireNonNull(signer, "signer is null");
        Set<String> hostNames = hostNames(nodeName, extraHostNames);
        Path directory = dir.toAbsolutePath().normalize();
        try {
            createDirectory(directory);
            KeyPair pair = newKeyPair();
            String csr = certificateRequestPem(nodeName, hostNames, pair);
            String answer = signer.apply(csr);
            List<X509Certificate> chain = parseCertificates(answer.getBytes(US_ASCII));
            if (chain.size() < 2) {
                throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "The coordinator's answer to the join of node " + nodeName + " holds no CA certificate");
            }
            X509Certificate cert = chain.getFirst();
            // the node certificate, the CA that signed it, then any other CA the cluster trusts (a CA rotation)
            X509Certificate ca = chain.get(1);
            List<X509Certificate> trusted = chain.subList(1, chain.size());
            if (trusted.stream().noneMatch(candidate -> caPin(candidate).equals(caPin))) {
                throw new GlauxException(ErrorCode.INVALID_JOIN_TOKEN,
                        "The CA the coordinator returned to node " + nodeName + " does not match the join token's CA hash " + caPin);
            }
            cert.verify(ca.getPublicKey());
            if (!cert.getPublicKey().equals(pair.getPublic()) || !cert.getSubjectX500Principal().equals(nodeSubject(nodeName))) {
                throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "The coordinator returned a certificate for another key or name than node " + nodeName + "'s");
            }
            Object jvmLock = JVM_LOCKS.computeIfAbsent(directory, _ -> new Object());
            synchronized (jvmLock) {
                writeAtomically(directory.resolve(nodeName + "-key.pem"), privateKeyPem(pair.getPrivate()), true);
                writeAtomically(directory.resolve(nodeName + ".pem"), certificatePem(List.of(cert, ca)), false);
                writeAtomically(directory.resolve("ca.pem"), certificatePem(trusted), false);
            }
            return new TlsMaterial(directory, nodeName, ca, trusted, List.of(cert, ca), pair.getPrivate());
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot write TLS material in " + directory + ": " + e.getMessage(), e);
        }
        catch (GeneralSecurityException | OperatorCreationException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Invalid certificate for node " + nodeName + " from the coordinator: " + e.getMessage(), e);
        }
    }

    /**
     * {@code sha256:<base64url of the SHA-256 of the CA's SubjectPublicKeyInfo>}: what a join token pins,
     * so that a joining worker trusts only the coordinator of its own cluster (like kubeadm's
     * {@code --discovery-token-ca-cert-hash}).
     */
    public static String caPin(X509Certificate ca)
    {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(ca.getPublicKey().getEncoded());
            return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code sha256:<base64url of the SHA-256 of the key's SubjectPublicKeyInfo>}: names a node's key
     * pair (the coordinator remembers which key joined as which node id).
     */
    public static String keyPin(java.security.PublicKey key)
    {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The {@link #keyPin} of the key a PKCS#10 request (PEM) certifies, once its signature verifies
     * (proof that the requester holds the key); a USER error naming {@code nodeName} otherwise.
     */
    public static String requestKeyPin(String nodeName, String csrPem)
    {
        try {
            PKCS10CertificationRequest request = parseRequest(csrPem);
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(request.getSubjectPublicKeyInfo()))) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "The certificate request of node " + nodeName + " has an invalid signature");
            }
            return keyPin(new JcaPKCS10CertificationRequest(request).getPublicKey());
        }
        catch (IOException | IllegalArgumentException | GeneralSecurityException | OperatorCreationException | PKCSException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid certificate request of node " + nodeName + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code content} to {@code target} atomically (a temporary file renamed), owner-only when {@code secret}. */
    public static void writeFile(Path target, String content, boolean secret)
            throws IOException
    {
        writeAtomically(target.toAbsolutePath(), content, secret);
    }

    /** True when {@code dir} holds the CA's private key ({@code ca-key.pem}). */
    public static boolean holdsCaKey(Path dir)
    {
        return Files.exists(dir.resolve("ca-key.pem"));
    }

    /**
     * Signs a node certificate for the key in {@code csrPem} (PKCS#10, PEM) with the CA key in
     * {@code dir}: the fixed profile of every node certificate (CA:false, server and client
     * authentication, CN = {@code nodeName}, SAN = localhost, 127.0.0.1 and {@code extraHostNames}).
     * The request's own names and extensions are ignored; its signature must verify (proof that the
     * requester holds the key). Returns the PEM of the certificate followed by the CA certificate.
     */
    public static String issueForRequest(Path dir, String nodeName, List<String> extraHostNames, String csrPem)
    {
        return issueForRequest(dir, nodeName, extraHostNames, csrPem, NODE_VALIDITY);
    }

    /** As {@link #issueForRequest(Path, String, List, String)}, valid for {@code validity} (at most as long as the CA). */
    public static String issueForRequest(Path dir, String nodeName, List<String> extraHostNames, String csrPem, Duration validity)
    {
        requireNonNull(validity, "validity is null");
        Set<String> hostNames = hostNames(nodeName, extraHostNames);
        Path directory = dir.toAbsolutePath().normalize();
        try {
            PKCS10CertificationRequest request = parseRequest(csrPem);
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(request.getSubjectPublicKeyInfo()))) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "The certificate request of node " + nodeName + " has an invalid signature");
            }
            java.security.PublicKey publicKey = new JcaPKCS10CertificationRequest(request).getPublicKey();
            if (!publicKey.getAlgorithm().equals("EC") && !publicKey.getAlgorithm().equals("RSA")) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "The certificate request of node " + nodeName + " has an unsupported key type " + publicKey.getAlgorithm());
            }
            Path caKeyFile = directory.resolve("ca-key.pem");
            if (!Files.exists(caKeyFile)) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Cannot issue a TLS certificate for node " + nodeName + ": " + caKeyFile + " does not exist");
            }
            List<X509Certificate> trusted = readCertificates(directory.resolve("ca.pem"));
            PrivateKey caKey = readPrivateKey(caKeyFile);
            X509Certificate ca = signingCa(directory, trusted, caKey);
            X509Certificate cert = createNodeCertificate(nodeName, hostNames, new KeyPair(publicKey, null), ca, caKey, validity);
            // the certificate, the CA that signed it, then the other CAs the cluster trusts (during a CA rotation)
            List<X509Certificate> answer = new ArrayList<>(List.of(cert, ca));
            trusted.stream().filter(other -> !other.equals(ca)).forEach(answer::add);
            return certificatePem(answer);
        }
        catch (IOException | IllegalArgumentException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid certificate request of node " + nodeName + ": " + e.getMessage(), e);
        }
        catch (GeneralSecurityException | OperatorCreationException | PKCSException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid certificate request of node " + nodeName + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code name} can name a node (letters, digits, '.', '_', '-'; at most 128). */
    public static boolean isValidNodeName(String name)
    {
        return name != null && NODE_NAME.matcher(name).matches();
    }

    private static Set<String> hostNames(String nodeName, List<String> extraHostNames)
    {
        requireNonNull(nodeName, "nodeName is null");
        requireNonNull(extraHostNames, "extraHostNames is null");
        if (!NODE_NAME.matcher(nodeName).matches()) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid node name for TLS files: '" + nodeName + "'");
        }
        Set<String> hostNames = new LinkedHashSet<>();
        hostNames.add("localhost");
        hostNames.add("127.0.0.1");
        for (String host : extraHostNames) {
            String trimmed = host.strip();
            if (!trimmed.isEmpty()) {
                hostNames.add(trimmed.toLowerCase(Locale.ROOT));
            }
        }
        return hostNames;
    }

    private static X500Principal nodeSubject(String nodeName)
    {
        return new X500Principal("CN=" + nodeName + ",O=Glaux");
    }

    private static String certificateRequestPem(String nodeName, Set<String> hostNames, KeyPair pair)
            throws OperatorCreationException, IOException
    {
        PKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(nodeSubject(nodeName), pair.getPublic());
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(pair.getPrivate());
        return pem("CERTIFICATE REQUEST", builder.build(signer).getEncoded());
    }

    private static PKCS10CertificationRequest parseRequest(String pem)
            throws IOException
    {
        String begin = "-----BEGIN CERTIFICATE REQUEST-----";
        String end = "-----END CERTIFICATE REQUEST-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IOException("not a PEM certificate request (BEGIN CERTIFICATE REQUEST)");
        }
        return new PKCS10CertificationRequest(Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to)));
    }

    public Path directory()
    {
        return directory;
    }

    public String nodeName()
    {
        return nodeName;
    }

    /** {@code ca.pem}: the CA certificates every node trusts (the one that signs first, except during a CA rotation's first step). */
    public Path caCertificate()
    {
        return directory.resolve("ca.pem");
    }

    /** {@code <node>.pem}: this node's certificate followed by the CA certificate. */
    public Path certificateChain()
    {
        return directory.resolve(nodeName + ".pem");
    }

    /** {@code <node>-key.pem}: this node's private key, PKCS#8 PEM. */
    public Path privateKey()
    {
        return directory.resolve(nodeName + "-key.pem");
    }

    public X509Certificate certificate()
    {
        return chain.getFirst();
    }

    public X509Certificate caCertificateValue()
    {
        return ca;
    }

    /** Every CA this node trusts ({@code ca.pem}: one, or several during a CA rotation); the one that signed this node's certificate among them. */
    public List<X509Certificate> caCertificates()
    {
        return trusted;
    }

    /** This node's certificate chain (node certificate first), for {@link NodeKeys}. */
    List<X509Certificate> chainValue()
    {
        return chain;
    }

    /** This node's private key, for {@link NodeKeys}. */
    PrivateKey privateKeyValue()
    {
        return key;
    }

    /** A PKCS#12 key store holding this node's key and chain under the alias {@link #nodeName()}. */
    public KeyStore keyStore(char[] password)
    {
        requireNonNull(password, "password is null");
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(nodeName, key, password, chain.toArray(new Certificate[0]));
            return store;
        }
        catch (GeneralSecurityException | IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot build a key store for node " + nodeName + ": " + e.getMessage(), e);
        }
    }

    /** A PKCS#12 trust store holding the cluster CA (alias {@code glaux-ca}) and any other CA of {@code ca.pem} ({@code glaux-ca-1}, …). */
    public KeyStore trustStore()
    {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("glaux-ca", ca);
            int index = 1;
            for (X509Certificate other : trusted) {
                if (!other.equals(ca)) {
                    store.setCertificateEntry("glaux-ca-" + index++, other);
                }
            }
            return store;
        }
        catch (GeneralSecurityException | IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot build a trust store: " + e.getMessage(), e);
        }
    }

    /**
     * For HTTPS servers (the coordinator's): presents this node's certificate and trusts only the
     * cluster CA for client certificates. Whether client certificates are required is the server's
     * choice ({@code SSLParameters.setNeedClientAuth}).
     */
    public SSLContext serverSslContext()
    {
        return sslContext();
    }

    /** For HTTPS clients: trusts only the cluster CA and presents this node's certificate when asked. */
    public SSLContext clientSslContext()
    {
        return sslContext();
    }

    private SSLContext sslContext()
    {
        try {
            char[] password = new char[0];
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore(password), password);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), RANDOM);
            return context;
        }
        catch (GeneralSecurityException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot build an SSL context for node " + nodeName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString()
    {
        return "TlsMaterial{node=" + nodeName + ", dir=" + directory + ", subject=" + certificate().getSubjectX500Principal() + "}";
    }

    // --- checks

    private static boolean isUsable(X509Certificate cert, PrivateKey key, X509Certificate ca, Set<String> hostNames)
            throws GeneralSecurityException
    {
        try {
            cert.verify(ca.getPublicKey());
            cert.checkValidity(Date.from(Instant.now().plus(RENEW_BEFORE)));
        }
        catch (GeneralSecurityException e) {
            return false;
        }
        if (!keyMatches(cert, key)) {
            return false;
        }
        Set<String> names = new LinkedHashSet<>();
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                names.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
            }
        }
        for (String host : hostNames) {
            String expected = isIpLiteral(host) ? InetAddress.ofLiteral(host).getHostAddress() : host;
            if (!names.contains(expected) && !names.contains(host)) {
                return false;
            }
        }
        return true;
    }

    private static boolean keyMatches(X509Certificate cert, PrivateKey key)
            throws GeneralSecurityException
    {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm())) {
            return false;
        }
        byte[] probe = new byte[32];
        RANDOM.nextBytes(probe);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(cert.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }

    private static boolean isIpLiteral(String host)
    {
        try {
            InetAddress.ofLiteral(host);
            return true;
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }

    // --- generation

    private static KeyPair newKeyPair()
            throws GeneralSecurityException
    {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate createCa(KeyPair pair)
            throws GeneralSecurityException, OperatorCreationException, IOException
    {
        Instant now = Instant.now();
        X500Principal subject = new X500Principal("CN=Glaux cluster CA " + new BigInteger(32, RANDOM).toString(16) + ",O=Glaux");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject, serial(), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
        return sign(builder, pair.getPrivate());
    }

    private static X509Certificate createNodeCertificate(String nodeName, Set<String> hostNames, KeyPair pair, X509Certificate ca, PrivateKey caKey, Duration validity)
            throws GeneralSecurityException, OperatorCreationException, IOException
    {
        Instant now = Instant.now();
        Instant notAfter = now.plus(validity);
        if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
            notAfter = ca.getNotAfter().toInstant();
        }
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                ca, serial(), Date.from(now.minus(Duration.ofHours(1))), Date.from(notAfter),
                nodeSubject(nodeName), pair.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        List<GeneralName> names = new ArrayList<>();
        for (String host : hostNames) {
            names.add(isIpLiteral(host)
                    ? new GeneralName(GeneralName.iPAddress, InetAddress.ofLiteral(host).getHostAddress())
                    : new GeneralName(GeneralName.dNSName, host));
        }
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca));
        return sign(builder, caKey);
    }

    private static BigInteger serial()
    {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws GeneralSecurityException, OperatorCreationException
    {
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signingKey);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    // --- PEM files

    private static String certificatePem(List<X509Certificate> certificates)
            throws GeneralSecurityException
    {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            pem.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        return pem.toString();
    }

    private static String privateKeyPem(PrivateKey key)
    {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalStateException("expected a PKCS#8 key, got " + key.getFormat());
        }
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der)
    {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static List<X509Certificate> readCertificates(Path file)
            throws IOException, GeneralSecurityException
    {
        try {
            return parseCertificates(Files.readAllBytes(file));
        }
        catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(e.getMessage() + " in " + file, e);
        }
    }

    private static List<X509Certificate> parseCertificates(byte[] pem)
            throws GeneralSecurityException
    {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
            certificates.add((X509Certificate) certificate);
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate");
        }
        return certificates;
    }

    private static PrivateKey readPrivateKey(Path file)
            throws IOException, GeneralSecurityException
    {
        String text = Files.readString(file, US_ASCII);
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException(file + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException failure = null;
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            }
            catch (GeneralSecurityException e) {
                failure = e;
            }
        }
        throw new GeneralSecurityException("unsupported private key in " + file, failure);
    }

    private static void createDirectory(Path dir)
            throws IOException
    {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir);
        }
        catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    private static void writeAtomically(Path target, String content, boolean secret)
            throws IOException
    {
        Path dir = target.getParent();
        boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
        FileAttribute<?>[] attributes = secret && posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attributes);
        try {
            Files.writeString(temp, content, US_ASCII);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            if (!secret && posix) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            }
            catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
