package dev.tandem.store;

import dev.tandem.store.apple.AppleEvents;
import dev.tandem.store.apple.AppleSignedData;
import dev.tandem.store.internal.WireObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Verifies what the App Store signs: transactions ({@code JWSTransaction}, as StoreKit 2 hands them to the app)
 * and App Store Server Notifications V2. Signature and certificate checks are {@link AppleSignedData}'s (ES256,
 * x5c chain to a configured root validated at the payload's {@code signedDate}, Apple's marker OIDs); then the
 * bundle id must be {@link Settings#bundleId()} and the environment one of {@link Settings#environments()}.
 * Apple's {@code Xcode} and {@code LocalTesting} environments are refused: they are not signed by Apple.
 *
 * <p>Offline: nothing here calls Apple. Thread-safe. Every method throws {@link StoreException} when what it
 * was given cannot be trusted, never returns a partly verified result.
 */
public final class AppleVerifier {

    /**
     * What the verifier trusts.
     *
     * @param bundleId           the app's bundle id ({@code dev.tandem.app})
     * @param environments       accepted environments: production alone in production, or production and sandbox
     *                           where App Review's sandbox purchases must work against the production server
     * @param trustedRoots       root certificates the x5c chain must end in: Apple Root CA - G3 in production
     * @param maxNotificationAge oldest {@code signedDate} a notification may have; Apple retries a failed delivery
     *                           for about six and a half days, so seven days by default
     */
    public record Settings(String bundleId, Set<StoreEnvironment> environments, List<X509Certificate> trustedRoots,
            Duration maxNotificationAge) {

        public static final Duration DEFAULT_MAX_NOTIFICATION_AGE = Duration.ofDays(7);

        public Settings {
            if (bundleId == null || bundleId.isBlank()) {
                throw new IllegalArgumentException("Apple bundle id must not be blank");
            }
            if (environments.isEmpty()) {
                throw new IllegalArgumentException("Apple environments must name at least one of sandbox, production");
            }
            if (trustedRoots.isEmpty()) {
                throw new IllegalArgumentException("Apple trusted roots must hold at least one certificate");
            }
            if (maxNotificationAge.isNegative() || maxNotificationAge.isZero()) {
                throw new IllegalArgumentException("Apple max notification age must be positive, was "
                        + maxNotificationAge);
            }
            environments = Set.copyOf(environments);
            trustedRoots = List.copyOf(trustedRoots);
        }
    }

    private final Settings settings;
    private final AppleSignedData signed;
    private final Clock clock;

    public AppleVerifier(Settings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signed = new AppleSignedData(settings.trustedRoots(), clock);
    }

    /**
     * Reads an X.509 certificate, PEM ({@code -----BEGIN CERTIFICATE-----}) or DER, such as
     * {@code AppleRootCA-G3.cer}.
     *
     * @throws IllegalArgumentException when the bytes are not a certificate
     */
    public static X509Certificate readCertificate(byte[] pemOrDer) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pemOrDer));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not an X.509 certificate (PEM or DER): " + e.getMessage(), e);
        }
    }

    /** {@link #readCertificate(byte[])} from a file; {@link IllegalArgumentException} when unreadable. */
    public static X509Certificate readCertificate(Path file) {
        try {
            return readCertificate(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read certificate file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Verifies a signed transaction ({@code Transaction.jwsRepresentation}, or {@code signedTransactionInfo}).
     *
     * @return {@link StoreEvent.Purchased}, or {@link StoreEvent.Revoked} when Apple has refunded or revoked it
     */
    public StoreEvent verifyTransaction(String signedTransaction) {
        WireObject tx = signed.verify("Apple transaction", signedTransaction);
        return AppleEvents.fromTransaction(tx, checkApp(tx, true));
    }

    /**
     * Verifies the body of an App Store Server Notification V2 request ({@code {"signedPayload": "..."}}) and the
     * transaction and renewal info nested in it, each its own JWS.
     *
     * @return the notification, its {@code notificationUUID} as id and {@code TYPE} or {@code TYPE/SUBTYPE} as type
     * @throws StoreException also when its {@code signedDate} is older than {@link Settings#maxNotificationAge()}
     */
    public StoreNotification verifyNotification(String requestBody) {
        String signedPayload = WireObject.parse(Store.APPLE, "Apple notification body", requestBody)
                .text("signedPayload");
        WireObject payload = signed.verify("Apple notification", signedPayload);
        Instant signedAt = payload.epochMillis("signedDate");
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(settings.maxNotificationAge()))) {
            throw new StoreException(Store.APPLE, StoreException.Reason.STALE, "notification signed at " + signedAt
                    + " is older than the allowed " + settings.maxNotificationAge() + " (now " + now + ")");
        }
        String type = payload.text("notificationType");
        String subtype = payload.optText("subtype");
        WireObject data = payload.optObject("data");
        WireObject summary = payload.optObject("summary");
        StoreEnvironment environment = null;
        WireObject tx = null;
        WireObject renewal = null;
        if (data != null) {
            environment = checkApp(data, true);
            String signedTx = data.optText("signedTransactionInfo");
            if (signedTx != null) {
                tx = signed.verify("Apple notification transaction", signedTx);
                checkApp(tx, true);
            }
            String signedRenewal = data.optText("signedRenewalInfo");
            if (signedRenewal != null) {
                renewal = signed.verify("Apple notification renewal info", signedRenewal);
                checkApp(renewal, false);
                if (tx != null && !tx.text("originalTransactionId").equals(renewal.text("originalTransactionId"))) {
                    throw renewal.malformed("renewal info and transaction name different originalTransactionIds");
                }
            }
        } else if (summary != null) {
            environment = checkApp(summary, true);
        }
        List<StoreEvent> events = environment == null ? List.of()
                : AppleEvents.fromNotification(type, subtype, tx, renewal, signedAt, environment);
        return new StoreNotification(Store.APPLE, payload.text("notificationUUID"),
                subtype == null ? type : type + "/" + subtype, signedAt, events);
    }

    /** Checks bundle id (where the object has one) and environment; returns the environment. */
    private StoreEnvironment checkApp(WireObject object, boolean hasBundleId) {
        if (hasBundleId) {
            String bundleId = object.text("bundleId");
            if (!bundleId.equals(settings.bundleId())) {
                throw new StoreException(Store.APPLE, StoreException.Reason.WRONG_APP, "signed for bundle id '"
                        + bundleId + "', this server serves '" + settings.bundleId() + "'");
            }
        }
        String name = object.text("environment");
        @Nullable StoreEnvironment environment = switch (name) {
            case "Production" -> StoreEnvironment.PRODUCTION;
            case "Sandbox" -> StoreEnvironment.SANDBOX;
            default -> null;
        };
        if (environment == null || !settings.environments().contains(environment)) {
            throw new StoreException(Store.APPLE, StoreException.Reason.WRONG_ENVIRONMENT, "environment '" + name
                    + "' is not accepted here (accepted: " + settings.environments() + ")");
        }
        return environment;
    }
}
