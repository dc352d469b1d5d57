package dev.tandem.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.support.Closing;
import dev.tandem.support.Databases;
import dev.tandem.support.TandemServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Gems on the ledger: paid and free apart, free spent first, idempotent, never overdrawn, refunds into debt. */
class GemsTest {

    interface Body {
        void run(Gems gems, LedgerCheck check) throws Exception;
    }

    static void on(String database, Body body) throws Exception {
        Databases.Fresh pg = database.equals("postgresql") ? Databases.freshPostgres() : null;
        TandemServer server = TandemServer.start(pg == null ? Map.of() : Map.of("tandem.db.url", pg.url()));
        try {
            body.run(server.context().getBean(Gems.class), server.context().getBean(LedgerCheck.class));
        } finally {
            Closing.all(server, pg);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void freeGemsGoFirstEveryKeyCountsOnceAndARefundBlocksSpendingUntilRepaid(String database) throws Exception {
        on(database, (gems, check) -> {
            gems.credit("psn_a", Gems.Kind.PAID, 300, "purchase", "apple:tx1", "tx1", "300 gems");
            Gems.Move again = gems.credit("psn_a", Gems.Kind.PAID, 300, "purchase", "apple:tx1", "tx1", "300 gems");
            assertThat(again.repeated()).isTrue();
            gems.credit("psn_a", Gems.Kind.FREE, 50, "checkin", "checkin:psn_a:2026-11-29", "", "day 1");
            assertThat(gems.balance("psn_a")).isEqualTo(new Gems.Balance(300, 50));

            Gems.Move spent = gems.spend("psn_a", 160, "draw", "draw:1", "draw_1", "one pull");
            assertThat(spent.free()).isEqualTo(-50);
            assertThat(spent.paid()).isEqualTo(-110);
            assertThat(spent.after()).as("the balance after, as the ledger has it").isEqualTo(new Gems.Balance(190, 0));
            assertThat(gems.spend("psn_a", 160, "draw", "draw:1", "draw_1", "one pull").repeated()).isTrue();
            assertThat(gems.balance("psn_a")).isEqualTo(new Gems.Balance(190, 0));
            assertThatThrownBy(() -> gems.spend("psn_a", 191, "draw", "draw:2", "", ""))
                    .isInstanceOf(BillingException.class).hasMessageContaining("you have 190");

            gems.takeBack("psn_a", 300, "refund", "refund:apple:tx1", "tx1", "refunded");
            gems.takeBack("psn_a", 300, "refund", "refund:apple:tx1", "tx1", "refunded twice");
            assertThat(gems.balance("psn_a").paid()).isEqualTo(-110);
            assertThat(gems.inDebt("psn_a")).isTrue();
            gems.credit("psn_a", Gems.Kind.FREE, 500, "grant", "grant:1", "", "");
            assertThatThrownBy(() -> gems.spend("psn_a", 10, "draw", "draw:3", "", ""))
                    .hasMessageContaining("refunded purchase");
            assertThat(gems.history("psn_a", 10)).extracting(Gems.Entry::kind)
                    .containsExactly("grant", "refund", "draw", "checkin", "purchase");
            assertThat(check.verify().problems()).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void parallelSpendsNeverOverdraw(String database) throws Exception {
        on(database, (gems, check) -> {
            gems.credit("psn_b", Gems.Kind.PAID, 1000, "purchase", "p:1", "", "");
            AtomicInteger ok = new AtomicInteger();
            List<Future<?>> all = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    all.add(pool.submit(() -> {
                        try {
                            gems.spend("psn_b", 10, "draw", "par:" + n, "", "");
                            ok.incrementAndGet();
                        } catch (BillingException refused) {
                            assertThat(refused.kind()).isEqualTo(BillingException.Kind.INSUFFICIENT_BALANCE);
                        }
                    }));
                }
                for (Future<?> f : all) {
                    f.get();
                }
            }
            assertThat(ok.get()).isEqualTo(100);
            assertThat(gems.balance("psn_b").total()).isZero();
            assertThat(check.verify().problems()).isEmpty();
        });
    }
}
