package dev.tandem.store;

import dev.tandem.store.apple.AppleSignedData;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificate chains shaped like Apple's (EC P-384 root, intermediate and P-256 leaf with Apple's marker OIDs)
 * and a signer that writes JWS the way the App Store does: ES256, x5c [leaf, intermediate, root].
 */
final class AppleChains {

    static final Instant NOT_BEFORE = Instant.parse("2024-01-01T00:00:00Z");
    static final Instant NOT_AFTER = Instant.parse("2030-01-01T00:00:00Z");
    private static final AtomicLong SERIALS = new AtomicLong(1000);

    /** One chain and the leaf's key. */
    record Chain(X509Certificate root, PrivateKey rootKey, X509Certificate intermediate, X509Certificate leaf,
            PrivateKey leafKey) {

        /** Signs {@code payloadJson} as a compact JWS with this chain in x5c. */
        String sign(String payloadJson) {
            return signWithHeader("{\"alg\":\"ES256\",\"x5c\":[\"%s\",\"%s\",\"%s\"]}".formatted(
                    der(leaf), der(intermediate), der(root)), payloadJson, leafKey);
        }

        /** A chain whose root is this one's but whose intermediate and leaf are given. */
        Chain withLeaf(X509Certificate otherIntermediate, X509Certificate otherLeaf, PrivateKey otherKey) {
            return new Chain(root, rootKey, otherIntermediate, otherLeaf, otherKey);
        }

        /** A new intermediate and leaf under this chain's root, broken as {@code options} say. */
        Chain issue(Options options) {
            return issueUnder(root, rootKey, options);
        }
    }

    /** Options that break one thing in a chain. */
    record Options(boolean leafMarker, boolean intermediateMarker, Instant leafNotBefore, Instant leafNotAfter) {
        static Options apple() {
            return new Options(true, true, NOT_BEFORE, NOT_AFTER);
        }
    }

    private AppleChains() {
    }

    static Chain create(String rootName) {
        return create(rootName, Options.apple());
    }

    static Chain create(String rootName, Options options) {
        KeyPair rootKeys = keys("secp384r1");
        X509Certificate root = certificate("CN=" + rootName + ", O=Tandem Test", rootKeys.getPublic(),
                "CN=" + rootName + ", O=Tandem Test", rootKeys.getPrivate(), true, null, NOT_BEFORE, NOT_AFTER);
        return issueUnder(root, rootKeys.getPrivate(), options);
    }

    private static Chain issueUnder(X509Certificate root, PrivateKey rootKey, Options options) {
        X500Name rootName = X500Name.getInstance(root.getSubjectX500Principal().getEncoded());
        KeyPair intermediateKeys = keys("secp384r1");
        X509Certificate intermediate = certificate("CN=Test Worldwide Developer Relations CA - G6",
                intermediateKeys.getPublic(), rootName, rootKey, true,
                options.intermediateMarker() ? AppleSignedData.INTERMEDIATE_MARKER : null, NOT_BEFORE, NOT_AFTER);
        KeyPair leafKeys = keys("secp256r1");
        X509Certificate leaf = certificate("CN=Test Prod ECC Mac App Store and iTunes Store Receipt Signing",
                leafKeys.getPublic(), "CN=Test Worldwide Developer Relations CA - G6",
                intermediateKeys.getPrivate(), false, options.leafMarker() ? AppleSignedData.LEAF_MARKER : null,
                options.leafNotBefore(), options.leafNotAfter());
        return new Chain(root, rootKey, intermediate, leaf, leafKeys.getPrivate());
    }

    static String signWithHeader(String headerJson, String payloadJson, PrivateKey key) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign(key);
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String der(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair keys(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate certificate(String subject, PublicKey key, String issuer, PrivateKey issuerKey, boolean ca,
            String marker, Instant notBefore, Instant notAfter) {
        return certificate(subject, key, new X500Name(issuer), issuerKey, ca, marker, notBefore, notAfter);
    }

    static X509Certificate certificate(String subject, PublicKey key, X500Name issuer, PrivateKey issuerKey,
            boolean ca, String marker, Instant notBefore, Instant notAfter) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(subject), key);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            if (marker != null) {
                builder.addExtension(new ASN1ObjectIdentifier(marker), false, DERNull.INSTANCE);
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA384withECDSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException("could not mint test certificate " + subject, e);
        }
    }
}
