package uk.gov.islington.youthsafety.api.mail;

import io.vertx.ext.mail.StartTLSOptions;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import uk.gov.islington.youthsafety.api.config.Config;

/**
 * The SMTP server every feature's e-mail goes through when {@code SMTP_HOST} is set (report
 * referrals, bulletin e-mails), read and checked once at start (docs/operations.md, "Forwarding and
 * e-mail"). Each feature names its own sender address.
 */
public record SmtpSettings(
    Optional<String> host,
    int port,
    boolean ssl,
    StartTLSOptions startTls,
    boolean tlsRequired,
    Duration connectTimeout,
    Optional<String> username,
    String password) {

  public static SmtpSettings from(Config config) {
    return new SmtpSettings(
        config.optional("SMTP_HOST"),
        config.integer("SMTP_PORT", 587, 1, 65_535),
        config.bool("SMTP_SSL", false),
        StartTLSOptions.valueOf(
            config
                .oneOf("SMTP_STARTTLS", "required", "disabled", "optional", "required")
                .toUpperCase(Locale.ROOT)),
        config.bool("SMTP_TLS", true),
        config.positiveDuration("SMTP_CONNECT_TIMEOUT", Duration.ofSeconds(10)),
        config.optional("SMTP_USERNAME"),
        config.string("SMTP_PASSWORD", ""));
  }

  @Override
  public String toString() {
    // the password is a secret
    return "SmtpSettings[host set: " + host.isPresent() + ", port " + port + "]";
  }
}
