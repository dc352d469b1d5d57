package dev.tandem.billing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The machine-cost arithmetic: the measured rate of a local engine and each call's share of the machine-hour. */
class EngineThroughputTest {

    @Test
    void aCallPaysItsShareOfTheMachineHourAtTheMeasuredRate() {
        // $3.60 an hour at 100 tokens/s = 360,000 tokens an hour: 10 micro-units a token
        assertThat(EngineThroughput.machineCost(3_600_000, 50, 100_000)).isEqualTo(500);
        assertThat(EngineThroughput.machineCost(3_600_000, 1, 100_000)).isEqualTo(10);
        // twice the throughput halves the cost
        assertThat(EngineThroughput.machineCost(3_600_000, 50, 200_000)).isEqualTo(250);
    }

    @Test
    void roundsHalfUpToAMicroUnit() {
        // 1 × 1 × 1000 / 3600 = 0.28 → 0; 2 × 1000 / 3600 = 0.56 → 1; 1800 × 1000 / 3600 = 500 exactly
        assertThat(EngineThroughput.machineCost(1, 1, 1)).isZero();
        assertThat(EngineThroughput.machineCost(1, 2, 1)).isEqualTo(1);
        assertThat(EngineThroughput.machineCost(1, 1_800, 1)).isEqualTo(500);
        // 9,000 micro-units an hour, 1 token at 1 token/s: 9,000 × 1000 / (1000 × 3600) = 2.5 → 3
        assertThat(EngineThroughput.machineCost(9_000, 1, 1_000)).isEqualTo(3);
    }

    @Test
    void nothingToShareMeansNoCost() {
        assertThat(EngineThroughput.machineCost(0, 50, 100_000)).isZero();
        assertThat(EngineThroughput.machineCost(3_600_000, 0, 100_000)).isZero();
        assertThat(EngineThroughput.machineCost(3_600_000, 50, 0)).as("nothing measured").isZero();
    }

    @Test
    void staysExactForLargeMachinesAndCalls() {
        // $1,000,000 an hour, 10 million tokens, at 1 token/s: the intermediate product (10^22) exceeds a long
        assertThat(EngineThroughput.machineCost(1_000_000_000_000L, 10_000_000L, 1_000))
                .isEqualTo(2_777_777_777_777_778L);
    }

    @Test
    void theFirstCallSetsTheRate() {
        EngineThroughput t = new EngineThroughput();
        t.started("m", 0);

        long rate = t.finished("m", 50, 500);

        assertThat(rate).as("50 tokens in 0.5 s = 100 tokens/s").isEqualTo(100_000);
        assertThat(t.rate("m")).isEqualTo(100_000);
        assertThat(t.rate("other")).isZero();
    }

    @Test
    void callsRunningTogetherShareTheBusyTimeSoParallelismRaisesTheRate() {
        EngineThroughput t = new EngineThroughput();
        t.started("m", 0);
        t.finished("m", 100, 1_000); // 100 tokens/s alone
        long now = 1_000;
        for (int round = 0; round < 30; round++) {
            // two calls of 100 tokens side by side for one second: the engine serves 200 tokens/s
            t.started("m", now);
            t.started("m", now);
            t.finished("m", 100, now + 1_000);
            t.finished("m", 100, now + 1_000);
            now += 1_000;
        }
        assertThat(t.rate("m")).isBetween(198_000L, 200_000L);
    }

    @Test
    void idleTimeIsNotCountedAgainstTheRate() {
        EngineThroughput t = new EngineThroughput();
        t.started("m", 0);
        t.finished("m", 100, 1_000);
        t.started("m", 60_000); // a minute idle in between
        long rate = t.finished("m", 100, 61_000);

        assertThat(rate).isEqualTo(100_000);
    }

    @Test
    void eachSampleMovesTheRateAQuarterOfTheWay() {
        EngineThroughput t = new EngineThroughput();
        t.started("m", 0);
        t.finished("m", 100, 1_000); // 100 tokens/s
        t.started("m", 1_000);
        long rate = t.finished("m", 500, 2_000); // a sample of 500 tokens/s

        assertThat(rate).isEqualTo(100_000 + (500_000 - 100_000) / 4);
    }

    @Test
    void shortCallsAreCollectedUntilASampleHasASecondOfBusyTime() {
        EngineThroughput t = new EngineThroughput();
        t.started("m", 0);
        t.finished("m", 10, 100); // first sample: 100 tokens/s
        for (int i = 0; i < 4; i++) {
            t.started("m", 100 + i * 200L);
            t.finished("m", 60, 300 + i * 200L); // 0.2 s each at 300 tokens/s
        }
        assertThat(t.rate("m")).as("0.8 s collected: no sample yet").isEqualTo(100_000);
        t.started("m", 900);
        long rate = t.finished("m", 60, 1_100);

        assertThat(rate).as("one sample of 300 tokens in 1 s").isEqualTo(100_000 + (300_000 - 100_000) / 4);
    }
}
