package uk.gov.islington.youthsafety.api.devices;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import uk.gov.islington.youthsafety.api.config.Config;

/**
 * Every setting of device registration, read and checked once at start (docs/operations.md, "Device
 * attestation (Firebase App Check)").
 *
 * @param appCheck off, monitor (count only) or enforce
 * @param projectNumber the Firebase project number, digits only; required unless off
 * @param jwksUrl where App Check's public keys are
 * @param jwksCa a CA file to trust for {@code jwksUrl} (a local test server), or null
 * @param jwksMinRefresh the least time between two fetches of the keys
 * @param logInterval in monitor mode, how often the counts are logged (when they changed)
 */
record DeviceSettings(
    AppCheck.Mode appCheck,
    String projectNumber,
    URI jwksUrl,
    String jwksCa,
    Duration jwksMinRefresh,
    Duration logInterval) {

  static DeviceSettings from(Config c) {
    AppCheck.Mode mode =
        AppCheck.Mode.valueOf(
            c.oneOf("APP_CHECK", "off", "off", "monitor", "enforce").toUpperCase(Locale.ROOT));
    String project = c.optional("APP_CHECK_PROJECT_NUMBER").orElse(null);
    if (mode != AppCheck.Mode.OFF && (project == null || !project.matches("\\d{1,20}"))) {
      throw new IllegalArgumentException(
          "APP_CHECK="
              + mode.name().toLowerCase(Locale.ROOT)
              + " needs APP_CHECK_PROJECT_NUMBER (the Firebase project number, digits only)");
    }
    return new DeviceSettings(
        mode,
        project,
        URI.create(
            c.string("APP_CHECK_JWKS_URL", "https://firebaseappcheck.googleapis.com/v1/jwks")),
        c.optional("APP_CHECK_JWKS_CA").orElse(null),
        c.positiveDuration("APP_CHECK_JWKS_MIN_REFRESH", Duration.ofMinutes(1)),
        c.positiveDuration("APP_CHECK_LOG_INTERVAL", Duration.ofMinutes(1)));
  }
}
