package io.glaux.coordinator.security;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies signed JWT bearer tokens (JWS) against the public keys of a JWKS file. Only asymmetric
 * algorithms are accepted (RS256/384/512, PS256/384/512, ES256/384/512; never {@code none} or HMAC);
 * {@code exp} is required, {@code iss} and {@code aud} are checked when configured, and the user is the
 * {@code principalField} claim ({@code sub} by default).
 */
public final class JwtAuthenticator
{
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String principalField;

    public JwtAuthenticator(Path jwksFile, Optional<String> requiredIssuer, Optional<String> requiredAudience, String principalField)
    {
        requireNonNull(jwksFile, "jwksFile is null");
        this.principalField = requireNonNull(principalField, "principalField is null");
        JWKSet keys;
        try {
            keys = JWKSet.load(jwksFile.toFile());
        }
        catch (Exception e) {
            throw new IllegalArgumentException("Cannot read the JWKS file " + jwksFile + ": " + e.getMessage());
        }
        if (keys.getKeys().stream().anyMatch(key -> key.isPrivate())) {
            throw new IllegalArgumentException("The JWKS file " + jwksFile + " holds a private key; it must hold public keys only");
        }
        processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, new ImmutableJWKSet<>(keys)));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        requiredIssuer.ifPresent(exact::issuer);
        Set<String> required = new HashSet<>(Set.of("exp", principalField));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(requiredAudience.orElse(null), exact.build(), required));
    }

    /** The user the token names, when its signature and claims are valid. */
    public String authenticate(String token)
            throws AuthenticationException
    {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        }
        catch (Exception e) {
            throw new AuthenticationException("Invalid JWT: " + e.getMessage());
        }
        Object principal = claims.getClaim(principalField);
        if (!(principal instanceof String user) || user.isEmpty()) {
            throw new AuthenticationException("Invalid JWT: claim '" + principalField + "' is not a user name");
        }
        return user;
    }
}
