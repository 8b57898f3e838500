package uk.gov.islington.youthsafety.api.reports;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.config.PublicBaseUrl;
import uk.gov.islington.youthsafety.api.mail.SmtpSettings;
import uk.gov.islington.youthsafety.content.reports.Destination;
import uk.gov.islington.youthsafety.content.reports.DutyAlerts;
import uk.gov.islington.youthsafety.content.reports.ForwardRoutes;
import uk.gov.islington.youthsafety.content.reports.ReportKeys;
import uk.gov.islington.youthsafety.content.reports.WorkingDays;

/**
 * Every setting of anonymous reports, read and checked once at start (docs/operations.md,
 * "Anonymous reports"). All are read whether or not they are used, so a malformed one is refused
 * even when it would not matter yet.
 *
 * @param givenKeys the REPORT_KEYS family as set in the environment (secrets: never logged)
 * @param emailTransport REPORT_EMAIL_TRANSPORT when set: {@code smtp} or {@code local-sink}
 */
record ReportSettings(
    Duration routingCacheTtl,
    Duration emailRetryInitial,
    Duration emailRetryMax,
    int submitCapacity,
    int submitsPerHour,
    int wrongCodeCapacity,
    int wrongCodesPerHour,
    int lookupsPerNetworkCapacity,
    int lookupsPerNetworkPerHour,
    int lookupsPerCodeCapacity,
    int lookupsPerCodePerHour,
    Duration retention,
    Duration spamRetention,
    Duration auditRetention,
    ForwardRoutes routes,
    Map<String, String> givenKeys,
    Optional<Path> keysFile,
    Optional<String> emailTransport,
    SmtpSettings smtp,
    String emailFrom,
    DutyAlerts.Settings alerts,
    Duration alertCheckInterval,
    WorkingDays workingDays) {

  static ReportSettings from(Config config) {
    return new ReportSettings(
        config.positiveDuration("REPORT_ROUTING_CACHE_TTL", Duration.ofSeconds(30)),
        config.positiveDuration("REPORT_EMAIL_RETRY_INITIAL", Duration.ofSeconds(30)),
        config.positiveDuration("REPORT_EMAIL_RETRY_MAX", Duration.ofHours(1)),
        config.integer("REPORT_SUBMIT_RATE_CAPACITY", 10, 1, 1_000_000),
        config.integer("REPORT_SUBMIT_RATE_PER_HOUR", 20, 1, 1_000_000),
        config.integer("REPORT_CODE_FAILURES_CAPACITY", 10, 1, 1_000_000),
        config.integer("REPORT_CODE_FAILURES_PER_HOUR", 10, 1, 1_000_000),
        config.integer("REPORT_CODE_LOOKUPS_PER_NETWORK_CAPACITY", 60, 1, 1_000_000),
        config.integer("REPORT_CODE_LOOKUPS_PER_NETWORK_PER_HOUR", 120, 1, 1_000_000),
        config.integer("REPORT_CODE_LOOKUPS_PER_CODE_CAPACITY", 20, 1, 1_000_000),
        config.integer("REPORT_CODE_LOOKUPS_PER_CODE_PER_HOUR", 60, 1, 1_000_000),
        config.positiveDuration("REPORT_RETENTION", Duration.ofDays(90)),
        config.positiveDuration("REPORT_SPAM_RETENTION", Duration.ofDays(30)),
        config.positiveDuration("REPORT_AUDIT_RETENTION", Duration.ofDays(730)),
        new ForwardRoutes(
            Map.of(
                Destination.CSCT,
                    route(
                        config,
                        "REPORT_CSCT_CHANNEL",
                        "email",
                        "REPORT_CSCT_EMAIL",
                        "csctreferrals@islington.gov.uk"),
                Destination.CRIMESTOPPERS,
                    route(
                        config,
                        "REPORT_CRIMESTOPPERS_CHANNEL",
                        "manual",
                        "REPORT_CRIMESTOPPERS_EMAIL",
                        null))),
        givenKeys(config),
        config.optional("REPORT_KEYS_FILE").map(Path::of),
        config.optionalOneOf("REPORT_EMAIL_TRANSPORT", "smtp", "local-sink"),
        SmtpSettings.from(config),
        config.string("REPORT_EMAIL_FROM", "youth-safety-reports@localhost"),
        new DutyAlerts.Settings(
            config.optional("REPORT_DUTY_EMAIL").map(a -> address("REPORT_DUTY_EMAIL", a)),
            config.positiveDuration("REPORT_ALERT_DIGEST_INTERVAL", Duration.ofMinutes(30)),
            config.string("REPORT_CONSOLE_URL", PublicBaseUrl.from(config) + "/console/triage"),
            config
                .optional("REPORT_ESCALATION_EMAIL")
                .map(a -> address("REPORT_ESCALATION_EMAIL", a)),
            config.positiveDuration("REPORT_URGENT_ESCALATE_AFTER", Duration.ofMinutes(15)),
            config.integer("REPORT_TRIAGE_TARGET_DAYS", 1, 1, 20),
            config.timeOfDay("REPORT_OVERDUE_DIGEST_AT", java.time.LocalTime.of(8, 0))),
        config.positiveDuration("REPORT_ALERT_CHECK_INTERVAL", Duration.ofMinutes(1)),
        workingDays(config));
  }

  /** gov.uk's bank holidays, from REPORT_BANK_HOLIDAYS_FILE when set, else the bundled copy. */
  private static WorkingDays workingDays(Config config) {
    Optional<String> file = config.optional("REPORT_BANK_HOLIDAYS_FILE");
    if (file.isEmpty()) {
      return WorkingDays.bundled();
    }
    try {
      return WorkingDays.fromFile(Path.of(file.get()));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("REPORT_BANK_HOLIDAYS_FILE could not be read");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("REPORT_BANK_HOLIDAYS_FILE " + e.getMessage());
    }
  }

  private static String address(String key, String value) {
    if (!value.matches("[^@\\s]+@[^@\\s]+")) {
      throw new IllegalArgumentException(key + " is not an e-mail address");
    }
    return value;
  }

  private static ForwardRoutes.Route route(
      Config config, String channelKey, String channel, String emailKey, String email) {
    String ch = config.string(channelKey, channel).toLowerCase(Locale.ROOT);
    String to = config.string(emailKey, email);
    try {
      return new ForwardRoutes.Route(ch, "email".equals(ch) ? to : null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          channelKey + ": " + e.getMessage() + " (set " + emailKey + ")");
    }
  }

  private static Map<String, String> givenKeys(Config config) {
    Map<String, String> given = new HashMap<>();
    for (String name :
        List.of(ReportKeys.KEYS, ReportKeys.KEY_ID, ReportKeys.PEPPERS, ReportKeys.PEPPER_ID)) {
      config.optional(name).ifPresent(v -> given.put(name, v));
    }
    return Map.copyOf(given);
  }

  @Override
  public String toString() {
    // the keys and the SMTP password are secrets
    return "ReportSettings[routes=" + routes + ", keys given: " + givenKeys.keySet() + "]";
  }
}
