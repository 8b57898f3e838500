package uk.gov.islington.youthsafety.api.config;

import java.net.URI;

/**
 * {@code PUBLIC_BASE_URL}: where people reach the service from outside. Every link the service
 * sends away from itself starts with it (e-mail links, the one-click unsubscribe URL, the Atom
 * feed's ids, the console link in duty alerts), so a wrong value breaks them all silently. On the
 * embedded default it is this machine; with {@code DATABASE_URL} (production) it must be given.
 */
public final class PublicBaseUrl {

  private PublicBaseUrl() {}

  /** The address without a trailing slash; fails the start with a message that names the key. */
  public static String from(Config config) {
    if (config.optional("PUBLIC_BASE_URL").isEmpty() && !config.embedded()) {
      throw new IllegalArgumentException(
          "PUBLIC_BASE_URL is required when DATABASE_URL is set: "
              + "every link in an e-mail and in the Atom feed starts with it");
    }
    String base = config.string("PUBLIC_BASE_URL", "http://localhost:" + config.port());
    URI uri;
    try {
      uri = URI.create(base);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PUBLIC_BASE_URL is not a URL");
    }
    boolean https = "https".equals(uri.getScheme());
    if (uri.getHost() == null
        || !(https || "http".equals(uri.getScheme()) && Loopback.is(uri.getHost()))
        || uri.getQuery() != null
        || uri.getFragment() != null) {
      // RFC 8058: the one-click unsubscribe URL must be https; http only for this machine
      throw new IllegalArgumentException(
          "PUBLIC_BASE_URL must be an https:// address (http:// only for localhost)");
    }
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }
}
