package uk.gov.islington.youthsafety.api.havens;

import java.time.Duration;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.content.havens.ServiceArea;

/**
 * Every setting of Safe Havens, read and checked once at start (docs/operations.md, "Safe Havens").
 */
record HavenSettings(
    String nearbyIndex,
    ServiceArea serviceArea,
    Duration resyncInterval,
    Duration contactRetention,
    Duration pendingRetention,
    Duration reverifyAfter) {

  static HavenSettings from(Config config) {
    return new HavenSettings(
        config.oneOf("HAVEN_NEARBY_INDEX", "memory", "memory", "postgres"),
        serviceArea(config),
        config.positiveDuration("HAVEN_RESYNC_INTERVAL", Duration.ofSeconds(60)),
        config.positiveDuration("HAVEN_APPLICATION_CONTACT_RETENTION", Duration.ofDays(90)),
        config.positiveDuration("HAVEN_APPLICATION_PENDING_RETENTION", Duration.ofDays(180)),
        config.positiveDuration("HAVEN_REVERIFY_AFTER", Duration.ofDays(365)));
  }

  private static ServiceArea serviceArea(Config config) {
    try {
      return ServiceArea.parse(config.string("HAVEN_SERVICE_AREA", ServiceArea.ISLINGTON));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("HAVEN_SERVICE_AREA: " + e.getMessage());
    }
  }
}
