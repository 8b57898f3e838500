package uk.gov.islington.youthsafety.api.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * The client's address, for in-memory rate limiting only. Behind a load balancer set
 * {@code TRUSTED_PROXY_HOPS} to the number of proxies that append to X-Forwarded-For; otherwise
 * the header is ignored, since any client can write it. As a root handler it only records the
 * setting on the request, so that routers built with different settings never share it.
 */
public final class ClientAddress implements PlatformHandler {

  private static final String HOPS = "trustedProxyHops";

  private final int trustedHops;

  ClientAddress(int trustedHops) {
    this.trustedHops = Math.max(0, trustedHops);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (trustedHops > 0) {
      ctx.put(HOPS, trustedHops);
    }
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    Integer trusted = ctx.get(HOPS);
    if (trusted != null) {
      String xff = ctx.request().getHeader("X-Forwarded-For");
      if (xff != null) {
        String[] hops = xff.split(",");
        // the entry the outermost trusted proxy appended; anything left of it is client-written
        int i = hops.length - trusted;
        if (i >= 0 && i < hops.length && !hops[i].isBlank()) {
          return hops[i].trim();
        }
      }
    }
    var remote = ctx.request().remoteAddress();
    return remote == null ? "unknown" : remote.hostAddress();
  }
}
