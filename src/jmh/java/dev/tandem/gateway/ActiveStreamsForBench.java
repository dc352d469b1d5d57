package dev.tandem.gateway;

import java.time.Duration;

/** Makes the package-private {@link ActiveStreams} for benchmarks in other packages. */
public final class ActiveStreamsForBench {

    private ActiveStreamsForBench() {
    }

    public static ActiveStreams create() {
        return new ActiveStreams(new GatewayProperties(1 << 20, Duration.ofSeconds(1), null));
    }
}
