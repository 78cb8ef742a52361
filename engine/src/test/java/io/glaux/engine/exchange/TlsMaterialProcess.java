package io.glaux.engine.exchange;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/** {@code TlsMaterialProcess <dir> <node>}: loads or creates TLS material and prints the CA's SHA-256. */
public final class TlsMaterialProcess
{
    private TlsMaterialProcess() {}

    public static void main(String[] args)
            throws Exception
    {
        TlsMaterial tls = TlsMaterial.loadOrCreate(Path.of(args[0]), args[1], List.of());
        tls.certificate().verify(tls.caCertificateValue().getPublicKey());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(tls.caCertificateValue().getEncoded());
        System.out.println(HexFormat.of().formatHex(digest));
    }
}
