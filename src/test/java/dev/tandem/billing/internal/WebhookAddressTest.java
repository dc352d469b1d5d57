package dev.tandem.billing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Webhooks may not be aimed inside Tandem's own network unless allowed. */
class WebhookAddressTest {

    @ParameterizedTest(name = "{0} private: {1}")
    @CsvSource({
            "127.0.0.1, true", "10.1.2.3, true", "172.16.0.1, true", "192.168.1.1, true", "169.254.169.254, true",
            "100.64.0.1, true", "0.0.0.0, true", "::1, true", "fd00::1, true", "fe80::1, true", "224.0.0.1, true",
            "93.184.215.14, false", "100.128.0.1, false", "2606:4700::1111, false"})
    void recognisesPrivateAddresses(String address, boolean isPrivate) throws Exception {
        assertThat(WebhookSender.privateAddress(InetAddress.getByName(address))).isEqualTo(isPrivate);
    }
}
