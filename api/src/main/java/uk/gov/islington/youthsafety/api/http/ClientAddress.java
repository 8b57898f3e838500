package uk.gov.islington.youthsafety.api.http;

import io.vertx.ext.web.RoutingContext;

/**
 * The client's address, for in-memory rate limiting only. Behind a load balancer set
 * {@code TRUSTED_PROXY_HOPS} to the number of proxies that append to X-Forwarded-For; otherwise
 * the header is ignored, since any client can write it.
 */
public final class ClientAddress {

  private static volatile int trustedHops = 0;

  private ClientAddress() {}

  static void trustProxyHops(int hops) {
    trustedHops = Math.max(0, hops);
  }

  public static String of(RoutingContext ctx) {
    if (trustedHops > 0) {
      String xff = ctx.request().getHeader("X-Forwarded-For");
      if (xff != null) {
        String[] hops = xff.split(",");
        int i = hops.length - trustedHops;
        if (i >= 0 && i < hops.length) {
          return hops[i].trim();
        }
      }
    }
    var remote = ctx.request().remoteAddress();
    return remote == null ? "unknown" : remote.hostAddress();
  }
}
