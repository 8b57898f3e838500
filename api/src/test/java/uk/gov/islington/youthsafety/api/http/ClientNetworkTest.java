package uk.gov.islington.youthsafety.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key every rate limit and throttle counts a client under, and whom X-Forwarded-For is believed
 * from.
 */
class ClientNetworkTest {

  private final ClientNetwork direct = ClientNetwork.of(List.of(), 0);

  @Test
  void ipv6AddressesOfOneSlash64ShareAKeyAndOtherSlash64sDoNot() {
    String key = direct.clientOf("2001:db8:1:2:3:4:5:6", null);
    assertThat(direct.clientOf("2001:db8:1:2::9", null)).isEqualTo(key);
    assertThat(direct.clientOf("[2001:DB8:1:2:ffff:ffff:ffff:ffff]", null)).isEqualTo(key);
    assertThat(direct.clientOf("2001:db8:1:3::1", null)).isNotEqualTo(key);
    assertThat(key).doesNotContain("3:4:5:6");
  }

  @Test
  void ipv4AddressesAreKeyedWholeAndTheirIpv6MappedFormIsTheSameClient() {
    assertThat(direct.clientOf("192.0.2.10", null))
        .isNotEqualTo(direct.clientOf("192.0.2.11", null));
    assertThat(direct.clientOf("::ffff:192.0.2.10", null))
        .isEqualTo(direct.clientOf("192.0.2.10", null));
  }

  @Test
  void onlyAddressLiteralsAreParsedNeverNamesThatWouldNeedADnsLookUp() {
    // InetAddress.getByName would resolve these (and block the event loop on the resolver)
    assertThat(ClientNetwork.literal("localhost")).isEmpty();
    assertThat(ClientNetwork.literal("example.org")).isEmpty();
    assertThat(ClientNetwork.literal("attacker:controlled")).isEmpty();
    assertThat(ClientNetwork.literal("::1")).isPresent();
    assertThat(ClientNetwork.literal("127.0.0.1")).isPresent();
  }

  @Test
  void forwardedForIsBelievedOnlyFromATrustedProxy() {
    ClientNetwork behindProxy = ClientNetwork.of(List.of("10.0.0.0/8", "2001:db8:ff::/48"), 1);
    // from the proxy: the entry it appended is the client
    assertThat(behindProxy.clientOf("10.1.2.3", "198.51.100.7, 192.0.2.10"))
        .isEqualTo(direct.clientOf("192.0.2.10", null));
    assertThat(behindProxy.clientOf("2001:db8:ff:1::5", "192.0.2.10"))
        .isEqualTo(direct.clientOf("192.0.2.10", null));
    // from anyone else: the header is ignored, the peer is the client
    assertThat(behindProxy.clientOf("192.0.2.99", "192.0.2.10"))
        .isEqualTo(direct.clientOf("192.0.2.99", null));
    // a proxy's entry that is not an address literal is not a key an attacker can rotate
    assertThat(behindProxy.clientOf("10.1.2.3", "client-chosen-name"))
        .isEqualTo(direct.clientOf("10.1.2.3", null));
    // without TRUSTED_PROXIES nothing is believed
    assertThat(direct.clientOf("192.0.2.99", "192.0.2.10"))
        .isEqualTo(direct.clientOf("192.0.2.99", null));
  }

  @Test
  void aForwardedIpv6ClientIsKeyedBySlash64Too() {
    ClientNetwork behindProxy = ClientNetwork.of(List.of("127.0.0.1/32"), 1);
    assertThat(behindProxy.clientOf("127.0.0.1", "2001:db8:5:6::1"))
        .isEqualTo(behindProxy.clientOf("127.0.0.1", "2001:db8:5:6:aaaa::2"));
  }

  @Test
  void aMalformedTrustedProxyListStopsTheStartNamingTheSetting() {
    assertThatThrownBy(() -> ClientNetwork.of(List.of("10.0.0.0/33"), 1))
        .hasMessageContaining("TRUSTED_PROXIES");
    assertThatThrownBy(() -> ClientNetwork.of(List.of("proxy.internal"), 1))
        .hasMessageContaining("TRUSTED_PROXIES");
    assertThatThrownBy(() -> ClientNetwork.of(List.of(), 1))
        .hasMessageContaining("TRUSTED_PROXIES");
  }
}
