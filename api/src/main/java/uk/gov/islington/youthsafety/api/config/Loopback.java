package uk.gov.islington.youthsafety.api.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Whether a configured host is this machine, decided from the text alone (no DNS look-up): traffic
 * to it never crosses a network, so plaintext there is no downgrade. Any other name counts as
 * another machine.
 */
public final class Loopback {

  private Loopback() {}

  public static boolean is(String host) {
    if (host == null) {
      return false;
    }
    if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
      return true;
    }
    byte[] address = NetUtil.createByteArrayFromIpAddressString(host);
    try {
      return address != null && InetAddress.getByAddress(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
