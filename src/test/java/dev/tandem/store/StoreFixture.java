package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.billing.Gems;
import dev.tandem.companion.Accounts;
import dev.tandem.support.Browser;
import dev.tandem.support.Closing;
import dev.tandem.support.Databases;
import dev.tandem.support.TandemServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A real Tandem with all three stores enabled against local stand-ins: App Store payloads signed by a locally
 * minted Apple-like chain ({@link AppleChains}), Google's API served by {@link FakeGooglePlay}, Stripe's Checkout by
 * {@link FakeStripe} and its webhooks signed with the endpoint secret. Nothing leaves the machine.
 */
final class StoreFixture implements AutoCloseable {

    static final String BUNDLE = "dev.tandem.app";
    static final String WEBHOOK_SECRET = "whsec_test_tandem_0123456789abcdef0123456789";
    static final String PUSH_SECRET = GooglePlayFixture.SECRET;
    static final AtomicInteger PEOPLE = new AtomicInteger();
    static final AtomicInteger IDS = new AtomicInteger(1000);

    /** A signed-in person of the app. */
    record Buyer(Browser browser, String personId) {
    }

    final TandemServer server;
    final FakeGooglePlay play;
    final FakeStripe stripe;
    private final Databases.Fresh pg;

    private StoreFixture(TandemServer server, FakeGooglePlay play, FakeStripe stripe, Databases.Fresh pg) {
        this.server = server;
        this.play = play;
        this.stripe = stripe;
        this.pg = pg;
    }

    /** The test catalog: packs in CNY (one in USD), a membership, each sold through every store. */
    static Map<String, String> catalog() {
        Map<String, String> s = new LinkedHashMap<>();
        product(s, 0, "gems-60", "consumable", "60 gems", 60, 600, "CNY");
        product(s, 1, "gems-300", "consumable", "300 gems", 300, 3000, "CNY");
        product(s, 2, "gems-980", "consumable", "980 gems", 980, 9800, "CNY");
        product(s, 3, "gems-usd", "consumable", "120 gems (USD)", 120, 199, "USD");
        product(s, 4, "plus-monthly", "subscription", "Tandem Plus", 0, 3000, "CNY");
        s.put("tandem.store.products[4].plan.daily-gems", "30");
        s.put("tandem.store.products[4].plan.recalled-memories", "12");
        s.put("tandem.store.products[4].plan.recent-turns", "80");
        s.put("tandem.store.products[4].plan.alternatives", "12");
        s.put("tandem.store.products[4].plan.priority", "true");
        return s;
    }

    private static void product(Map<String, String> s, int i, String id, String kind, String name, long gems,
            long price, String currency) {
        String p = "tandem.store.products[" + i + "].";
        s.put(p + "id", id);
        s.put(p + "kind", kind);
        s.put(p + "name", name);
        s.put(p + "gems", String.valueOf(gems));
        s.put(p + "price", String.valueOf(price));
        s.put(p + "currency", currency);
        s.put(p + "apple-product-id", "dev.tandem." + id.replace('-', '.'));
        s.put(p + "google-product-id", id.replace('-', '_'));
        s.put(p + "stripe-price-id", "price_" + id.replace("-", ""));
    }

    /** Starts it on "sqlite" or "postgresql" (skipped with a reason where no PostgreSQL answers). */
    static StoreFixture start(String database, Map<String, String> extra) throws Exception {
        Databases.Fresh pg = database.equals("postgresql") ? Databases.freshPostgres() : null;
        FakeGooglePlay play = new FakeGooglePlay(Clock.systemUTC());
        FakeStripe stripe = new FakeStripe();
        Path dir = Files.createTempDirectory("tandem-store-");
        Path root = dir.resolve("AppleRootCA-G3.cer");
        Files.write(root, AppleVerifierTest.APPLE.root().getEncoded());
        Path account = dir.resolve("play-service-account.json");
        Files.writeString(account, play.serviceAccountJson(play.serviceKey));
        Map<String, String> s = new LinkedHashMap<>(catalog());
        s.put("tandem.store.apple.enabled", "true");
        s.put("tandem.store.apple.bundle-id", BUNDLE);
        s.put("tandem.store.apple.root-certificate", root.toString());
        s.put("tandem.store.google-play.enabled", "true");
        s.put("tandem.store.google-play.package-name", FakeGooglePlay.PACKAGE);
        s.put("tandem.store.google-play.service-account-file", account.toString());
        s.put("tandem.store.google-play.api-base-url", play.base().toString());
        s.put("tandem.store.google-play.push-secret", PUSH_SECRET);
        s.put("tandem.store.stripe.enabled", "true");
        s.put("tandem.store.stripe.secret-key", "sk_test_51TandemLocal0123456789");
        s.put("tandem.store.stripe.webhook-secret", WEBHOOK_SECRET);
        s.put("tandem.store.stripe.api-base-url", stripe.base().toString());
        if (pg != null) {
            s.put("tandem.db.url", pg.url());
        }
        s.putAll(extra);
        try {
            return new StoreFixture(TandemServer.start(s), play, stripe, pg);
        } catch (RuntimeException e) {
            Closing.all(play, stripe, pg);
            throw e;
        }
    }

    /** Signs up someone born {@code years} years (and a few days) ago, signed in with the CSRF token at hand. */
    Buyer signUp(int years) {
        Browser b = new Browser(server);
        int n = PEOPLE.incrementAndGet();
        String handle = "buyer" + n + "_" + Long.toHexString(System.nanoTime() & 0xffff);
        Browser.Reply r = b.post("/sign-up", Map.of("email", handle + "@example.com", "name", "Buyer " + n,
                "handle", handle, "password", "correct horse battery", "birth_date",
                LocalDate.now().minusYears(years).minusDays(3).toString()));
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        b.csrfFrom(b.get("/me").ok());
        String person = server.context().getBean(Accounts.class).byHandle(handle).orElseThrow().personId();
        return new Buyer(b, person);
    }

    Gems gems() {
        return server.context().getBean(Gems.class);
    }

    JdbcClient jdbc() {
        return server.context().getBean(JdbcClient.class);
    }

    /** Audit rows with {@code reason}: outcome, person, transaction, delivery and detail. */
    List<Map<String, Object>> audit(String reason) {
        return jdbc().sql("SELECT outcome, person_id, transaction_id, notification_id, detail FROM store_audit "
                + "WHERE reason = :r ORDER BY created_at").param("r", reason).query().listOfRows();
    }

    /** The person's app-store account token, as the intent hands it to the app. */
    String accountToken(Buyer buyer, String product, String store) {
        Browser.Reply r = buyer.browser().call("POST", "/store/intents", "{\"product\":\"" + product
                + "\",\"store\":\"" + store + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("account_token").asString();
    }

    static final Path SERAPHINA = Path.of("../shared/fixtures/cards/seraphina.png");

    /** Imports SillyTavern's Seraphina as the buyer's private character and starts a chat with her; its id. */
    String chatWithSeraphina(Buyer buyer) throws Exception {
        Browser b = buyer.browser();
        Browser.Reply imported = b.upload("/import", Map.of("visibility", "private", "rating", "teen"), "file",
                "seraphina.png", Files.readAllBytes(SERAPHINA));
        assertThat(imported.status()).as(imported.body()).isEqualTo(302);
        String character = imported.header("location").replaceAll(".*/c/", "");
        Browser.Reply chat = b.post("/c/" + character + "/chats", Map.of());
        assertThat(chat.status()).as(chat.body()).isEqualTo(302);
        return chat.header("location").replaceAll(".*/chats/", "");
    }

    /** Sends a message the way the page's form does, and waits for the reply. */
    void send(Buyer buyer, String chat, String text) {
        Browser.Reply sent = buyer.browser().post("/chats/" + chat + "/send", Map.of("text", text));
        assertThat(sent.status()).as(sent.body()).isEqualTo(302);
    }

    /** Subscribes the buyer to Tandem Plus through a Stripe checkout. */
    void becomeMember(Buyer buyer) {
        String id = nextId();
        String session = paidPackSession(buyer.personId(), "plus-monthly", "pi_" + id)
                .replace("\"mode\":\"payment\"", "\"mode\":\"subscription\"")
                .replace("\"subscription\":null", "\"subscription\":\"sub_" + id + "\"")
                .replace("\"invoice\":null", "\"invoice\":\"in_" + id + "\"");
        assertThat(postStripe(stripeEvent("evt_m" + id, "checkout.session.completed", session)).status())
                .isEqualTo(200);
    }

    static String nextId() {
        return "20000009" + IDS.incrementAndGet();
    }

    // ---- Apple

    /** JWSTransactionDecodedPayload of a consumable bought now, as Apple documents it. */
    static Map<String, Object> appleTransaction(String transactionId, String productId, String accountToken) {
        Map<String, Object> tx = AppleVerifierTest.consumable();
        long now = Instant.now().toEpochMilli();
        tx.put("transactionId", transactionId);
        tx.put("originalTransactionId", transactionId);
        tx.put("productId", productId);
        tx.put("quantity", 1);
        tx.put("appAccountToken", accountToken);
        tx.put("purchaseDate", now - 60_000);
        tx.put("originalPurchaseDate", now - 60_000);
        tx.put("signedDate", now - 30_000);
        return tx;
    }

    /** The same for the first period of a membership, ending {@code expires}. */
    static Map<String, Object> appleSubscription(String transactionId, String original, String accountToken,
            Instant expires) {
        Map<String, Object> tx = appleTransaction(transactionId, "dev.tandem.plus.monthly", accountToken);
        tx.put("originalTransactionId", original);
        tx.put("type", "Auto-Renewable Subscription");
        tx.put("subscriptionGroupIdentifier", "21345678");
        tx.put("expiresDate", expires.toEpochMilli());
        return tx;
    }

    static String sign(Map<String, Object> payload) {
        return AppleVerifierTest.APPLE.sign(AppleVerifierTest.json(payload));
    }

    /** An App Store Server Notification V2 request body signed now. */
    static String appleNotification(String uuid, String type, String subtype, Map<String, Object> tx,
            Map<String, Object> renewal) {
        return "{\"signedPayload\":\"" + sign(AppleNotificationsTest.payload(uuid, Instant.now().minusSeconds(1),
                type, subtype, tx, renewal)) + "\"}";
    }

    Browser.Reply postAppleNotification(String body) {
        return new Browser(server).send("POST", "/store/apple/notifications", body, Map.of());
    }

    // ---- Stripe

    /** A webhook event envelope as Stripe sends it, created now, in live mode. */
    static String stripeEvent(String eventId, String type, String object) {
        return """
                {"id":"%s","object":"event","api_version":"2025-03-31.basil","created":%d,"livemode":true,
                 "pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"%s",
                 "data":{"object":%s}}""".formatted(eventId, Instant.now().getEpochSecond(), type, object);
    }

    /** An event about an object that changed, with its previous attributes. */
    static String stripeEvent(String eventId, String type, String object, String previous) {
        String event = stripeEvent(eventId, type, object);
        return event.substring(0, event.lastIndexOf('}') - 1) + ",\"previous_attributes\":" + previous + "}}";
    }

    /** A completed pack Checkout Session for {@code person}, as StripeCheckout made it. */
    static String paidPackSession(String person, String product, String paymentIntent) {
        return """
                {"id":"cs_test_%s","object":"checkout.session","mode":"payment","payment_status":"paid",
                 "status":"complete","client_reference_id":"%s","customer":"cus_Q1w2E3","payment_intent":"%s",
                 "subscription":null,"invoice":null,"amount_total":3000,"currency":"cny",
                 "metadata":{"tandem_person":"%s","tandem_product":"%s","tandem_quantity":"1"}}"""
                .formatted(paymentIntent, person, paymentIntent, person, product);
    }

    static String stripeSignature(String payload, String secret, long t) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal((t + "." + payload)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Delivers an event as Stripe does, signed now with the endpoint's secret. */
    Browser.Reply postStripe(String payload) {
        return postStripe(payload, stripeSignature(payload, WEBHOOK_SECRET, Instant.now().getEpochSecond()));
    }

    Browser.Reply postStripe(String payload, String signature) {
        return new Browser(server).send("POST", "/store/stripe/webhook", payload, Map.of("Stripe-Signature",
                signature));
    }

    // ---- Google

    /** A Pub/Sub push of a developer notification, with {@code messageId}. */
    static String googlePush(String messageId, String field, String notification) {
        String developer = """
                {"version":"1.0","packageName":"%s","eventTimeMillis":"%d","%s":%s}"""
                .formatted(FakeGooglePlay.PACKAGE, Instant.now().toEpochMilli(), field, notification);
        return """
                {"message":{"attributes":{},"data":"%s","messageId":"%s","publishTime":"%s"},
                 "subscription":"projects/tandem-test/subscriptions/play-rtdn"}"""
                .formatted(Base64.getEncoder().encodeToString(developer.getBytes(StandardCharsets.UTF_8)), messageId,
                        Instant.now());
    }

    Browser.Reply postGooglePush(String body, String secret) {
        return new Browser(server).send("POST", "/store/google/rtdn" + (secret == null ? "" : "?secret=" + secret),
                body, Map.of());
    }

    /** A paid one-time purchase as purchases.products.get returns it, bought for {@code accountToken}. */
    static String googleProductPurchase(String orderId, String accountToken) {
        return """
                {"kind":"androidpublisher#productPurchase","purchaseTimeMillis":"%d","purchaseState":0,
                 "consumptionState":0,"developerPayload":"","orderId":"%s","acknowledgementState":0,
                 "quantity":1,"obfuscatedExternalAccountId":"%s","regionCode":"CN"}"""
                .formatted(Instant.now().toEpochMilli() - 60_000, orderId, accountToken);
    }

    @Override
    public void close() {
        Closing.all(server, play, stripe, pg);
    }
}
