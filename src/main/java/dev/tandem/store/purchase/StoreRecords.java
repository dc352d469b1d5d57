package dev.tandem.store.purchase;

import dev.tandem.identity.Ids;
import dev.tandem.store.Store;
import dev.tandem.store.StoreNotification;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Two logs of the store module: deliveries processed ({@code store_notifications}, so a redelivery is recognised)
 * and the audit of refusals and findings ({@code store_audit}), each of the latter also written as a log line.
 * Joins the caller's transaction; an audit of a refusal is written after the refused work rolled back, never
 * inside it. Thread-safe.
 */
@Component
public class StoreRecords {

    /** What became of something audited. */
    public enum Outcome {
        /** Refused: nothing was credited or changed. */
        REFUSED,
        /** Seen before: nothing changed now. */
        REPLAYED,
        /** Done, but a person should look (over a limit, in debt, a partial refund). */
        FLAGGED,
        /** Verified, but names no purchase, membership or person known here. */
        UNMATCHED;

        public String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Logger log = LoggerFactory.getLogger("dev.tandem.store.audit");

    private final JdbcClient jdbc;
    private final java.time.Clock clock;

    StoreRecords(JdbcClient jdbc, java.time.Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records a delivery as processed; false when it was processed before. */
    public boolean firstDelivery(StoreNotification n) {
        return jdbc.sql("INSERT INTO store_notifications (store, notification_id, type, events, sent_at, received_at) "
                        + "VALUES (:s, :id, :type, :events, :sent, :now) ON CONFLICT (store, notification_id) DO NOTHING")
                .param("s", n.store().name()).param("id", cut(n.notificationId(), 200))
                .param("type", cut(n.type(), 100)).param("events", n.events().size())
                .param("sent", n.sentAt().toEpochMilli()).param("now", clock.millis()).update() == 1;
    }

    /**
     * Writes one audit row and its log line.
     *
     * @param reason a {@code StoreException} reason or our own ({@code REPLAYED}, {@code OVER_LIMIT}, ...)
     */
    public void audit(Store store, Outcome outcome, String reason, @Nullable String personId,
            @Nullable String transactionId, @Nullable String notificationId, String detail) {
        String line = "store {} {} {}: {} (person {}, transaction {}, delivery {})";
        Object[] args = {store.label(), outcome.column(), reason, detail, personId, transactionId, notificationId};
        if (outcome == Outcome.REFUSED) {
            log.warn(line, args);
        } else {
            log.info(line, args);
        }
        jdbc.sql("INSERT INTO store_audit (id, store, outcome, reason, person_id, transaction_id, notification_id, "
                        + "detail, created_at) VALUES (:id, :s, :o, :r, :p, :t, :n, :d, :now)")
                .param("id", Ids.next("aud")).param("s", store.name()).param("o", outcome.column())
                .param("r", cut(reason, 40)).param("p", personId).param("t", cutOrNull(transactionId, 200))
                .param("n", cutOrNull(notificationId, 200)).param("d", cut(detail, 1000)).param("now", clock.millis())
                .update();
    }

    private static String cut(String s, int most) {
        return s.length() > most ? s.substring(0, most) : s;
    }

    private static @Nullable String cutOrNull(@Nullable String s, int most) {
        return s == null ? null : cut(s, most);
    }
}
