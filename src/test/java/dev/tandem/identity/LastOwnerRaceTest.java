package dev.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Browser;
import dev.tandem.support.Databases;
import dev.tandem.support.TandemServer;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two owners demote each other at the same moment: exactly one change wins, the organization keeps an owner,
 * on both databases (the organization's row is locked while the last-owner rule is checked).
 */
class LastOwnerRaceTest {

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void twoOwnersDemotingEachOtherLeaveOneOwner(String database) throws Exception {
        Databases.Fresh pg = database.equals("postgresql") ? Databases.freshPostgres() : null;
        Map<String, String> settings = new HashMap<>();
        settings.put("tandem.data-dir", Files.createTempDirectory("tandem-race-").toString());
        if (pg != null) {
            settings.put("tandem.db.url", pg.url());
        }
        try (TandemServer server = TandemServer.start(settings);
                ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Admin admin = new Admin(server);
            JdbcClient jdbc = server.context().getBean(JdbcClient.class);
            String org = admin.prepaidOrganization("race");
            String a = Browser.person(admin, org, "a@race.test", "owner", "owner a password");
            String b = Browser.person(admin, org, "b@race.test", "owner", "owner b password");
            String members = "/v1/admin/organizations/" + org + "/members/";
            for (int round = 0; round < 15; round++) {
                jdbc.sql("UPDATE memberships SET role = 'owner' WHERE organization_id = :o").param("o", org).update();
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<Integer>> demotions = List.of(a, b).stream()
                        .map(p -> CompletableFuture.supplyAsync(() -> {
                            await(go);
                            return admin.call("PATCH", members + p, "{\"role\":\"admin\"}").status();
                        }, pool)).toList();
                go.countDown();
                List<Integer> statuses = demotions.stream().map(CompletableFuture::join).sorted().toList();
                assertThat(statuses).as("round " + round).containsExactly(200, 409);
                assertThat(jdbc.sql("SELECT COUNT(*) FROM memberships WHERE organization_id = :o AND role = 'owner'")
                        .param("o", org).query(Long.class).single()).isEqualTo(1);
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
