package uk.gov.islington.youthsafety.content.reports;

import java.util.Map;

/**
 * How the built-in destinations are reached (configuration: it differs between the embedded default
 * and production): {@code email} to an address, or {@code manual} hand-off by a moderator. Every
 * other destination is reached as its row says.
 */
public record ForwardRoutes(Map<String, Route> byDestination) {

  /** The outbox channel report e-mails go through. */
  public static final String EMAIL_CHANNEL = "report-email";

  /**
   * @param channel "email" or "manual"; {@code recipient} is the address for e-mail
   */
  public record Route(String channel, String recipient) {
    public Route {
      if (!"email".equals(channel) && !"manual".equals(channel)) {
        throw new IllegalArgumentException("a report destination's channel is email or manual");
      }
      if ("email".equals(channel) && (recipient == null || !recipient.contains("@"))) {
        throw new IllegalArgumentException("an e-mail route needs an address");
      }
    }
  }

  public ForwardRoutes {
    byDestination = Map.copyOf(byDestination);
  }

  Route of(Destination destination) {
    Route configured = byDestination.get(destination.id());
    return configured != null
        ? configured
        : new Route(
            destination.channel(),
            "email".equals(destination.channel()) ? destination.email() : null);
  }
}
