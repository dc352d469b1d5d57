package dev.tandem.web.store;

import dev.tandem.billing.Gems;
import dev.tandem.companion.Accounts;
import dev.tandem.companion.CompanionException;
import dev.tandem.companion.Profile;
import dev.tandem.gateway.ConsoleCookie;
import dev.tandem.identity.ConsoleSession;
import dev.tandem.store.Purchase;
import dev.tandem.store.PurchaseException;
import dev.tandem.store.Purchases;
import dev.tandem.store.Store;
import dev.tandem.store.StoreInbox;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /store}: what the native app calls around a store purchase, and where the stores deliver their
 * notifications. App calls need the sign-in session and its CSRF token; store deliveries are authenticated by
 * their signatures (Apple, Stripe) or the secret in the push URL (Google).
 */
@RestController
class StoreEndpoints {

    private final Purchases purchases;
    private final StoreInbox inbox;
    private final ConsoleCookie cookie;
    private final Accounts accounts;

    StoreEndpoints(Purchases purchases, StoreInbox inbox, ConsoleCookie cookie, Accounts accounts) {
        this.purchases = purchases;
        this.inbox = inbox;
        this.cookie = cookie;
        this.accounts = accounts;
    }

    /** Before a purchase: {@code {"product": "gems-300", "store": "apple"}} → what to ask the store for. */
    @PostMapping("/store/intents")
    Map<String, Object> intent(@RequestBody JsonNode body, HttpServletRequest request) {
        Profile buyer = buyer(request);
        Purchases.Intent intent = purchases.intent(buyer.personId(), text(body, "product"),
                store(text(body, "store")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("product", intent.product().id());
        out.put("store", intent.store().name().toLowerCase(Locale.ROOT));
        out.put("store_product_id", intent.storeProductId());
        out.put("account_token", intent.accountToken());
        out.put("price", intent.price().minor());
        out.put("currency", intent.price().currency());
        out.put("price_text", intent.price().format());
        return out;
    }

    /** After an App Store purchase: {@code {"signed_transaction": "<jwsRepresentation>"}}. */
    @PostMapping("/store/apple/transactions")
    Map<String, Object> apple(@RequestBody JsonNode body, HttpServletRequest request) {
        Profile buyer = buyer(request);
        return credited(purchases.submitApple(buyer.personId(), text(body, "signed_transaction")));
    }

    /** After a Google Play purchase: {@code {"product_id": "gems_300", "purchase_token": "..."}}. */
    @PostMapping("/store/google/purchases")
    Map<String, Object> google(@RequestBody JsonNode body, HttpServletRequest request) {
        Profile buyer = buyer(request);
        return credited(purchases.submitGoogle(buyer.personId(), text(body, "product_id"),
                text(body, "purchase_token")));
    }

    /** App Store Server Notifications V2 (the URL set in App Store Connect). */
    @PostMapping("/store/apple/notifications")
    ResponseEntity<Map<String, Object>> appleNotification(@RequestBody(required = false) @Nullable String body) {
        return reply(inbox.apple(body == null ? "" : body));
    }

    /** Google Play real-time developer notifications: the Pub/Sub push subscription's endpoint, with its secret. */
    @PostMapping("/store/google/rtdn")
    ResponseEntity<Map<String, Object>> googleNotification(@RequestBody(required = false) @Nullable String body,
            @RequestParam(required = false) @Nullable String secret) {
        return reply(inbox.google(body == null ? "" : body, secret));
    }

    /** Stripe webhook events, verified on the body's exact bytes. */
    @PostMapping(path = "/store/stripe/webhook", consumes = MediaType.ALL_VALUE)
    ResponseEntity<Map<String, Object>> stripe(@RequestBody(required = false) byte @Nullable [] body,
            @RequestHeader(name = "Stripe-Signature", required = false) @Nullable String signature) {
        return reply(inbox.stripe(body == null ? new byte[0] : body, signature));
    }

    private static ResponseEntity<Map<String, Object>> reply(StoreInbox.Reply reply) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (reply.status() / 100 == 2) {
            out.put("result", reply.message());
        } else {
            out.put("error", Map.of("message", reply.message()));
        }
        return ResponseEntity.status(reply.status()).body(out);
    }

    private static Map<String, Object> credited(Purchases.Credited credited) {
        Purchase p = credited.purchase();
        Gems.Balance b = credited.balance();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", p.status().name().toLowerCase(Locale.ROOT));
        out.put("store", p.store().name().toLowerCase(Locale.ROOT));
        out.put("transaction_id", p.transactionId());
        out.put("product", p.productId());
        out.put("quantity", p.quantity());
        out.put("gems", p.gems());
        out.put("over_limit", p.overLimit());
        out.put("balance", Map.of("paid", b.paid(), "free", b.free()));
        return out;
    }

    private Profile buyer(HttpServletRequest request) {
        ConsoleSession session = cookie.session(request).orElseThrow(() -> new CompanionException(
                CompanionException.Reason.UNAUTHENTICATED, "Sign in first.", null));
        ConsoleCookie.csrfProblem(request, session).ifPresent(problem -> {
            throw new CompanionException(CompanionException.Reason.FORBIDDEN, problem, null);
        });
        return accounts.profile(session.person().id()).orElseThrow(() -> new CompanionException(
                CompanionException.Reason.UNAUTHENTICATED, "This account has no app profile yet: sign up.", null));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (!value.isString() || value.asString().isBlank()) {
            throw new PurchaseException(PurchaseException.Reason.INVALID, null, "'" + field
                    + "' is required (a string)");
        }
        return value.asString().strip();
    }

    static Store store(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "apple", "app_store" -> Store.APPLE;
            case "google", "google_play" -> Store.GOOGLE_PLAY;
            case "stripe", "web" -> Store.STRIPE;
            default -> throw new PurchaseException(PurchaseException.Reason.INVALID, null, "'store' must be apple, "
                    + "google_play or stripe, was '" + name + "'");
        };
    }
}
