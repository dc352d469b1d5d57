package dev.tandem.billing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerIdsTest {

    @Test
    void idsMadeOneAfterAnotherSortInThatOrderEvenWithinOneMillisecond() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            made.add(LedgerWriter.newId());
        }
        assertThat(made).isSorted().doesNotHaveDuplicates();
        assertThat(made).allSatisfy(id -> assertThat(id).hasSize(20).matches("[0-9a-z]{20}"));
    }

    @Test
    void theRandomTailDiffersSoTwoNodesDoNotCollide() {
        HashSet<String> tails = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            tails.add(LedgerWriter.newId().substring(12));
        }
        assertThat(tails).hasSize(1000);
    }
}
