package dev.tandem.store.apple;

import dev.tandem.store.Store;
import dev.tandem.store.StoreException;
import dev.tandem.store.StoreException.Reason;
import dev.tandem.store.internal.Base64Url;
import dev.tandem.store.internal.CompactJws;
import dev.tandem.store.internal.WireObject;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies data the App Store signs: a compact JWS, ES256, whose {@code x5c} header holds the chain
 * [leaf, intermediate, root] as standard base64 DER.
 *
 * <ol>
 *   <li>{@code alg} must be {@code ES256}; {@code x5c} must hold exactly three certificates.</li>
 *   <li>The third must be byte for byte one of the configured trusted roots (Apple Root CA - G3).</li>
 *   <li>leaf → intermediate → root must validate with PKIX, at the payload's {@code signedDate}: Apple's own
 *       libraries do the same when they check offline, so that data signed by a since-rotated (expired) leaf
 *       still verifies. A {@code signedDate} more than {@link #FUTURE_SKEW} ahead of our clock is refused as
 *       {@code STALE}, so a payload cannot pick a date beyond the certificates' lives. Revocation (OCSP) is not
 *       checked: nothing here goes online.</li>
 *   <li>The leaf must carry Apple's marker extension {@value #LEAF_MARKER} and the intermediate
 *       {@value #INTERMEDIATE_MARKER}, as Apple's verifiers require: a certificate Apple issued for anything else
 *       under the same root cannot sign store data.</li>
 *   <li>The signature (64 bytes, R‖S) must verify with the leaf's key over {@code header.payload}.</li>
 * </ol>
 *
 * Thread-safe.
 */
public final class AppleSignedData {

    public static final String LEAF_MARKER = "1.2.840.113635.100.6.11.1";
    public static final String INTERMEDIATE_MARKER = "1.2.840.113635.100.6.2.1";
    public static final Duration FUTURE_SKEW = Duration.ofMinutes(5);

    private final List<X509Certificate> roots;
    private final Set<TrustAnchor> anchors;
    private final Clock clock;

    public AppleSignedData(List<X509Certificate> roots, Clock clock) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("at least one trusted root certificate is required");
        }
        this.roots = List.copyOf(roots);
        this.anchors = new HashSet<>();
        for (X509Certificate root : roots) {
            anchors.add(new TrustAnchor(root, null));
        }
        this.clock = clock;
    }

    /** Verifies {@code jws} as described above and returns its payload; {@code what} names it in messages. */
    public WireObject verify(String what, String jws) {
        CompactJws parsed = CompactJws.parse(Store.APPLE, what, jws);
        String alg = parsed.header().optText("alg");
        if (!"ES256".equals(alg)) {
            throw fail(Reason.BAD_SIGNATURE, what + ": JWS alg must be ES256, was " + alg);
        }
        List<X509Certificate> chain = certificates(what, parsed.header().texts("x5c"));
        X509Certificate leaf = chain.get(0);
        X509Certificate intermediate = chain.get(1);
        if (roots.stream().noneMatch(root -> sameCertificate(root, chain.get(2)))) {
            throw fail(Reason.UNTRUSTED_CERTIFICATE, what + ": the chain's root ("
                    + chain.get(2).getSubjectX500Principal() + ") is not a configured trusted root");
        }
        Instant signedAt = parsed.payload().epochMillis("signedDate");
        if (signedAt.isAfter(clock.instant().plus(FUTURE_SKEW))) {
            throw fail(Reason.STALE, what + ": signedDate " + signedAt + " lies in the future (now "
                    + clock.instant() + ")");
        }
        validatePath(what, leaf, intermediate, signedAt);
        if (leaf.getExtensionValue(LEAF_MARKER) == null) {
            throw fail(Reason.UNTRUSTED_CERTIFICATE, what + ": the leaf certificate lacks Apple's marker extension "
                    + LEAF_MARKER);
        }
        if (intermediate.getExtensionValue(INTERMEDIATE_MARKER) == null) {
            throw fail(Reason.UNTRUSTED_CERTIFICATE, what
                    + ": the intermediate certificate lacks Apple's marker extension " + INTERMEDIATE_MARKER);
        }
        checkSignature(what, leaf, parsed);
        return parsed.payload();
    }

    private static List<X509Certificate> certificates(String what, List<String> x5c) {
        if (x5c.size() != 3) {
            throw fail(Reason.UNTRUSTED_CERTIFICATE, what
                    + ": JWS header x5c must hold three certificates (leaf, intermediate, root), held " + x5c.size());
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (String encoded : x5c) {
            byte[] der = Base64Url.decodeStandard(Store.APPLE, what + " x5c certificate", encoded);
            try {
                chain.add((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException e) {
                throw new StoreException(Store.APPLE, Reason.MALFORMED,
                        what + ": x5c[" + chain.size() + "] is not an X.509 certificate", e);
            }
        }
        return chain;
    }

    private void validatePath(String what, X509Certificate leaf, X509Certificate intermediate, Instant at) {
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(leaf, intermediate)),
                    params);
        } catch (CertPathValidatorException e) {
            throw new StoreException(Store.APPLE, Reason.UNTRUSTED_CERTIFICATE, what
                    + ": the certificate chain does not validate at " + at + " (" + e.getReason() + ": "
                    + e.getMessage() + ")", e);
        } catch (InvalidAlgorithmParameterException | CertificateException e) {
            throw new StoreException(Store.APPLE, Reason.UNTRUSTED_CERTIFICATE,
                    what + ": the certificate chain cannot be checked: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PKIX is not available in this JDK", e);
        }
    }

    private static void checkSignature(String what, X509Certificate leaf, CompactJws jws) {
        if (!(leaf.getPublicKey() instanceof ECPublicKey key)) {
            throw fail(Reason.UNTRUSTED_CERTIFICATE, what + ": the leaf certificate's key is not an EC key");
        }
        if (jws.signature().length != 64) {
            throw fail(Reason.BAD_SIGNATURE, what + ": an ES256 signature is 64 bytes, this one is "
                    + jws.signature().length);
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(key);
            verifier.update(jws.signingInput());
            if (!verifier.verify(jws.signature())) {
                throw fail(Reason.BAD_SIGNATURE, what + ": the signature does not match the signed data");
            }
        } catch (GeneralSecurityException e) {
            throw new StoreException(Store.APPLE, Reason.BAD_SIGNATURE,
                    what + ": the signature cannot be checked: " + e.getMessage(), e);
        }
    }

    private static boolean sameCertificate(X509Certificate a, X509Certificate b) {
        try {
            return Arrays.equals(a.getEncoded(), b.getEncoded());
        } catch (CertificateException e) {
            return false;
        }
    }

    private static StoreException fail(Reason reason, String message) {
        return new StoreException(Store.APPLE, reason, message);
    }
}
