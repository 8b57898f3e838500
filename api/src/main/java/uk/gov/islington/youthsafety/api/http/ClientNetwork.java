package uk.gov.islington.youthsafety.api.http;

import io.netty.util.NetUtil;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The client's network, the one key every rate limit and throttle counts under: an IPv4 address, or
 * the /64 prefix of an IPv6 address (one home or phone usually holds a whole /64, so a per-address
 * key would let it rotate through billions of keys). Held in memory only, never stored or logged.
 *
 * <p>X-Forwarded-For is believed only when the direct peer is one of {@code TRUSTED_PROXIES} (CIDR
 * list); then the entry the outermost of {@code TRUSTED_PROXY_HOPS} proxies appended is the client
 * (anything left of it is client-written). Addresses are parsed as literals only: resolving
 * attacker-written text would block the event loop on DNS.
 */
public final class ClientNetwork implements PlatformHandler {

  private static final String HOP_SEPARATOR = ",";

  private static final String SELF = "clientNetwork";
  private static final String KEY = "clientNetworkKey";

  private final List<Cidr> trustedProxies;
  private final int trustedHops;

  private ClientNetwork(List<Cidr> trustedProxies, int trustedHops) {
    this.trustedProxies = trustedProxies;
    this.trustedHops = trustedHops;
  }

  /**
   * @param trustedProxies CIDRs (or single addresses) of the proxies in front of us
   * @param trustedHops how many of them append to X-Forwarded-For (at least 1 when any are trusted)
   */
  public static ClientNetwork of(List<String> trustedProxies, int trustedHops) {
    List<Cidr> cidrs = new ArrayList<>();
    for (String text : trustedProxies) {
      cidrs.add(Cidr.parse(text.trim()));
    }
    if (trustedHops > 0 && cidrs.isEmpty()) {
      throw new IllegalArgumentException(
          "TRUSTED_PROXY_HOPS needs TRUSTED_PROXIES (the proxies' CIDRs): "
              + "X-Forwarded-For from any other peer is client-written");
    }
    return new ClientNetwork(List.copyOf(cidrs), cidrs.isEmpty() ? 0 : Math.max(1, trustedHops));
  }

  /**
   * As a root handler it records itself on the request, so routers built with other settings never
   * share it.
   */
  @Override
  public void handle(RoutingContext ctx) {
    ctx.put(SELF, this);
    ctx.next();
  }

  /** The client network's key for this request (computed once per request). */
  public static String of(RoutingContext ctx) {
    String key = ctx.get(KEY);
    if (key == null) {
      ClientNetwork self = ctx.get(SELF);
      var remote = ctx.request().remoteAddress();
      String peer = remote == null ? null : remote.hostAddress();
      // a proxy may append its entry as a header line of its own (HAProxy's option forwardfor
      // does): the lines together are the list, or the client's own line would be read as the
      // proxy's
      String xff = forwardedFor(ctx.request().headers().getAll("X-Forwarded-For"));
      key =
          self == null
              ? ClientNetwork.of(List.of(), 0).clientOf(peer, null)
              : self.clientOf(peer, xff);
      ctx.put(KEY, key);
    }
    return key;
  }

  private static String forwardedFor(List<String> lines) {
    return lines.isEmpty() ? null : String.join(HOP_SEPARATOR, lines);
  }

  /** The key for a request from {@code peer} carrying {@code forwardedFor} (may be null). */
  String clientOf(String peer, String forwardedFor) {
    Optional<byte[]> peerAddress = peer == null ? Optional.empty() : literal(peer);
    if (peerAddress.isEmpty()) {
      return "unknown";
    }
    if (forwardedFor != null && trustedHops > 0 && isTrustedProxy(peerAddress.get())) {
      String[] hops = forwardedFor.split(HOP_SEPARATOR);
      int i = hops.length - trustedHops;
      if (i >= 0) {
        Optional<byte[]> client = literal(hops[i].trim());
        if (client.isPresent()) {
          return key(client.get());
        }
      }
    }
    return key(peerAddress.get());
  }

  private boolean isTrustedProxy(byte[] address) {
    return trustedProxies.stream().anyMatch(c -> c.contains(address));
  }

  /**
   * The address's bytes (4, or 16 for IPv6 other than IPv4-mapped), or empty for anything but a
   * literal.
   */
  static Optional<byte[]> literal(String text) {
    byte[] b = NetUtil.createByteArrayFromIpAddressString(text);
    if (b == null) {
      return Optional.empty();
    }
    if (b.length == 16 && isIpv4Mapped(b)) {
      return Optional.of(java.util.Arrays.copyOfRange(b, 12, 16));
    }
    return Optional.of(b);
  }

  private static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  private static String key(byte[] address) {
    if (address.length == 4) {
      return NetUtil.bytesToIpAddress(address);
    }
    return "v6:" + HexFormat.of().formatHex(address, 0, 8);
  }

  /** An address range: an address literal with an optional /prefix length. */
  private record Cidr(byte[] network, int prefix) {

    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      Optional<byte[]> address = literal(slash < 0 ? text : text.substring(0, slash));
      if (address.isEmpty()) {
        throw new IllegalArgumentException("TRUSTED_PROXIES: not an address range: " + text);
      }
      int bits = address.get().length * 8;
      int prefix = bits;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
          throw new IllegalArgumentException(
              "TRUSTED_PROXIES: prefix length out of range: " + text);
        }
      }
      return new Cidr(address.get(), prefix);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }
}
