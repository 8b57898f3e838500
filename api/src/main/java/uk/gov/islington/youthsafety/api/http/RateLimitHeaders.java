package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.http.HttpServerResponse;

/**
 * The budget a client has left, in the IETF httpapi draft's structured fields, so that a
 * well-behaved app can slow down before it is refused: {@code RateLimit-Policy: "name";q=;w=} (the
 * bucket's size and the seconds it takes to fill) and {@code RateLimit: "name";r=;t=} (what is
 * left, and the seconds until it is full again; on a 429, until the next request is allowed, as
 * {@code Retry-After}).
 */
public final class RateLimitHeaders {

  /** Longer waits are announced as this: the contract's bound for Retry-After. */
  static final long MAX_SECONDS = 86_400;

  private RateLimitHeaders() {}

  /** An allowed request under a limit: its budget. */
  public static void allowed(
      HttpServerResponse response,
      String policy,
      RateLimits.Limit limit,
      RateLimits.Decision decision) {
    response.putHeader(
        "RateLimit-Policy",
        item(policy)
            + ";q="
            + limit.capacity()
            + ";w="
            + Math.min(MAX_SECONDS, Math.max(1, limit.windowSeconds())));
    response.putHeader(
        "RateLimit",
        item(policy)
            + ";r="
            + decision.remaining()
            + ";t="
            + Math.min(MAX_SECONDS, decision.fullInSeconds()));
  }

  /** A refused request (429): when to come back. */
  public static void refused(HttpServerResponse response, String policy, long retryAfterSeconds) {
    long seconds = Math.min(MAX_SECONDS, Math.max(1, retryAfterSeconds));
    response.putHeader("Retry-After", Long.toString(seconds));
    response.putHeader("RateLimit", item(policy) + ";r=0;t=" + seconds);
  }

  /** A structured-field string: our policy names are operation ids, quoted to be safe. */
  private static String item(String policy) {
    return "\"" + (policy == null ? "default" : policy.replaceAll("[^A-Za-z0-9_.:-]", "")) + "\"";
  }
}
