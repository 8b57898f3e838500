package uk.gov.islington.youthsafety.api.bulletins;

import java.time.Duration;
import java.util.Optional;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.config.PublicBaseUrl;
import uk.gov.islington.youthsafety.api.mail.SmtpSettings;

/**
 * Every setting of the bulletin by e-mail, read and checked once at start (docs/operations.md, "The
 * bulletin by e-mail and its public pages").
 *
 * @param publicBaseUrl where the public pages are; every link in an e-mail starts with it
 * @param transport EMAIL_TRANSPORT when set: {@code smtp}, {@code local-sink} or {@code notify}
 * @param messagesPerSecond the pace of bulletin e-mails handed to the mail relay, per instance
 * @param keepFinished how long a sent bulletin e-mail keeps its subscriber (the counts stay)
 * @param digestCheck how often an instance checks whether last week's digest is due
 */
record BulletinEmailSettings(
    String publicBaseUrl,
    Optional<String> transport,
    String from,
    int messagesPerSecond,
    int connections,
    Duration retryInitial,
    Duration retryMax,
    Duration keepFinished,
    int signUpsPerNetworkCapacity,
    int signUpsPerNetworkPerHour,
    Duration digestCheck,
    SmtpSettings smtp,
    Notify notifyApi) {

  /**
   * GOV.UK Notify, when {@code EMAIL_TRANSPORT=notify}: the key is read from a file, never from the
   * environment.
   */
  record Notify(
      Optional<java.nio.file.Path> apiKeyFile,
      Optional<String> templateId,
      String baseUrl,
      Duration timeout) {}

  static BulletinEmailSettings from(Config config) {
    return new BulletinEmailSettings(
        PublicBaseUrl.from(config),
        config.optionalOneOf("EMAIL_TRANSPORT", "smtp", "local-sink", "notify"),
        config.string("BULLETIN_EMAIL_FROM", "youth-safety-bulletin@localhost"),
        config.integer("BULLETIN_EMAIL_PER_SECOND", 100, 1, 100_000),
        config.integer("BULLETIN_EMAIL_CONNECTIONS", 8, 1, 256),
        config.positiveDuration("BULLETIN_EMAIL_RETRY_INITIAL", Duration.ofMinutes(1)),
        config.positiveDuration("BULLETIN_EMAIL_RETRY_MAX", Duration.ofHours(1)),
        config.positiveDuration("BULLETIN_EMAIL_RETENTION", Duration.ofDays(30)),
        config.integer("BULLETIN_SIGNUP_RATE_CAPACITY", 5, 1, 1_000_000),
        config.integer("BULLETIN_SIGNUP_RATE_PER_HOUR", 10, 1, 1_000_000),
        config.positiveDuration("BULLETIN_DIGEST_CHECK_INTERVAL", Duration.ofMinutes(10)),
        SmtpSettings.from(config),
        new Notify(
            config.optional("NOTIFY_API_KEY_FILE").map(java.nio.file.Path::of),
            config.optional("NOTIFY_TEMPLATE_ID"),
            config.string("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"),
            config.positiveDuration("NOTIFY_TIMEOUT", Duration.ofSeconds(10))));
  }
}
