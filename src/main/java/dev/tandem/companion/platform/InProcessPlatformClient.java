package dev.tandem.companion.platform;

import dev.tandem.billing.Billing;
import dev.tandem.billing.BillingProfile;
import dev.tandem.companion.CompanionException;
import dev.tandem.companion.CompanionProperties;
import dev.tandem.companion.PlatformClient;
import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.CallOrigin;
import dev.tandem.gateway.ChatPipeline;
import dev.tandem.identity.ApiKeyInfo;
import dev.tandem.identity.ApiKeyPrincipal;
import dev.tandem.identity.ApiKeys;
import dev.tandem.identity.KeyRole;
import dev.tandem.identity.KeySpec;
import dev.tandem.identity.Organization;
import dev.tandem.identity.Organizations;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.Inference;
import dev.tandem.inference.InferenceException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the platform inside this process, through {@link ChatPipeline}: the same admission, rate limits, routing
 * and metering as an API call, billed to the companion app's own organization ({@code tandem.companion.organization},
 * made on first use, postpaid: the app is the platform's own tenant, so its calls are metered but never refused
 * for credit) with its key {@code companion-app}. Its usage and cost show in that organization's reports.
 */
public final class InProcessPlatformClient implements PlatformClient {

    static final String KEY_NAME = "companion-app";
    private static final Logger log = LoggerFactory.getLogger(InProcessPlatformClient.class);

    private final ChatPipeline pipeline;
    private final Inference inference;
    private final Organizations organizations;
    private final ApiKeys keys;
    private final Billing billing;
    private final CompanionProperties properties;
    private volatile @Nullable String keyId;

    public InProcessPlatformClient(ChatPipeline pipeline, Inference inference, Organizations organizations, ApiKeys keys, Billing billing,
            CompanionProperties properties) {
        this.pipeline = pipeline;
        this.inference = inference;
        this.organizations = organizations;
        this.keys = keys;
        this.billing = billing;
        this.properties = properties;
    }

    @Override
    public ChatStream chat(ChatRequest request, @Nullable String affinity) {
        ApiKeyPrincipal principal = principal();
        String callId = "call_app" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE)
                + Long.toHexString(System.nanoTime());
        Origin origin = new Origin(principal, callId, System.nanoTime(), affinity);
        try {
            return pipeline.open(origin, request);
        } catch (ApiError e) {
            throw new CompanionException(CompanionException.Reason.UNAVAILABLE, e.getMessage(), null);
        } catch (InferenceException e) {
            throw new CompanionException(CompanionException.Reason.UNAVAILABLE, e.getMessage(), null);
        }
    }

    @Override
    public java.util.OptionalInt countTokens(ChatRequest request) {
        try {
            Inference.TokenCount count = inference.countTokens(request);
            return count.exact() ? java.util.OptionalInt.of(count.tokens()) : java.util.OptionalInt.empty();
        } catch (InferenceException e) {
            return java.util.OptionalInt.empty();
        }
    }

    @Override
    public java.util.OptionalInt contextTokens(String model) {
        return inference.model(model).filter(m -> m.contextLength() > 0)
                .map(m -> java.util.OptionalInt.of(m.contextLength())).orElse(java.util.OptionalInt.empty());
    }

    @Override
    public List<String> models() {
        ApiKeyPrincipal principal = principal();
        return inference.models().stream().map(m -> m.id()).filter(principal::mayUse).toList();
    }

    @Override
    public String describe() {
        return "in-process";
    }

    /** The organization the app is billed as, made on first use. */
    public String organizationId() {
        return principal().organizationId();
    }

    private ApiKeyPrincipal principal() {
        String id = keyId;
        if (id != null) {
            var p = keys.principal(id);
            if (p.isPresent()) {
                return p.get();
            }
        }
        synchronized (this) {
            Organization org = organizations.list().stream()
                    .filter(o -> o.name().equals(properties.organization())).findFirst()
                    .orElseGet(() -> {
                        Organization made = organizations.create(properties.organization());
                        BillingProfile p = billing.profile(made.id());
                        billing.updateProfile(new BillingProfile(made.id(), false, p.priceMultiplierBp(),
                                p.lowBalanceThreshold(), p.lowBalanceWebhook(), p.rpm(), p.tpm()));
                        log.info("companion app: made organization {} ({}), postpaid", made.name(), made.id());
                        return made;
                    });
            String found = keys.list(org.id()).stream()
                    .filter(k -> k.spec().name().equals(KEY_NAME) && k.revokedAt() == null)
                    .map(ApiKeyInfo::id).findFirst()
                    .orElseGet(() -> keys.create(org.id(), new KeySpec(KEY_NAME, KeyRole.DEVELOPER, null, List.of(),
                            null, null, null, null, null, List.of()), null).info().id());
            keyId = found;
            return keys.principal(found).orElseThrow(() -> new IllegalStateException(
                    "the companion app's key " + found + " is not valid"));
        }
    }

    /** An in-process call: no headers but sticky routing. */
    private record Origin(ApiKeyPrincipal principal, String callId, long startedNanos, @Nullable String affinity)
            implements CallOrigin {

        @Override
        public String dialectName() {
            return "internal";
        }

        @Override
        public String requestId() {
            return callId;
        }

        @Override
        public @Nullable String requestHeader(String name) {
            return "x-tandem-affinity".equalsIgnoreCase(name) ? affinity : null;
        }

        @Override
        public @Nullable Boolean fallbacksWanted() {
            return null;
        }

        /** The app sets priorities itself: members' replies go first, everyone else's wait in arrival order. */
        @Override
        public boolean mayGoFirst() {
            return true;
        }
    }
}
