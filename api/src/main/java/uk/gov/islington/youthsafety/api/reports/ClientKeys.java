package uk.gov.islington.youthsafety.api.reports;

/**
 * The key of a client's in-memory rate-limit buckets: the IPv4 address, or the /64 prefix of an
 * IPv6 address (one home or phone usually has a whole /64, so per-address buckets would let it
 * rotate addresses). Held in memory only, never stored or logged.
 */
final class ClientKeys {

  private ClientKeys() {}

  static String of(String address) {
    if (address == null || address.indexOf(':') < 0) {
      return address == null ? "unknown" : address;
    }
    try {
      byte[] b = java.net.InetAddress.getByName(address).getAddress();
      if (b.length != 16) {
        return address;
      }
      StringBuilder sb = new StringBuilder("v6:");
      for (int i = 0; i < 8; i++) {
        sb.append(String.format("%02x", b[i]));
      }
      return sb.toString();
    } catch (java.net.UnknownHostException e) {
      return address;
    }
  }
}
