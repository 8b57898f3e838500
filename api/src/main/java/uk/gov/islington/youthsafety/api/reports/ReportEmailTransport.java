package uk.gov.islington.youthsafety.api.reports;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.mail.SmtpClients;
import uk.gov.islington.youthsafety.api.mail.SmtpSettings;
import uk.gov.islington.youthsafety.notifications.email.EmailTransport;

/** The relay for referrals and duty alerts, chosen from {@link ReportSettings}. */
final class ReportEmailTransport {

  private static final Logger LOG = LoggerFactory.getLogger(ReportEmailTransport.class);

  private ReportEmailTransport() {}

  /** The SMTP transport, or empty when report e-mails go to the local sink. */
  static Optional<EmailTransport> smtp(AppContext app, ReportSettings settings, boolean used) {
    SmtpSettings smtp = settings.smtp();
    String fallback =
        smtp.host().isPresent() ? "smtp" : app.embedded() || !used ? "local-sink" : null;
    String kind = settings.emailTransport().orElse(fallback == null ? "" : fallback);
    if (kind.equals("local-sink")) {
      if (!app.embedded() && used) {
        LOG.warn(
            "report e-mails go to the local sink (REPORT_EMAIL_TRANSPORT=local-sink), not to an SMTP server");
      }
      return Optional.empty();
    }
    if (!kind.equals("smtp")) {
      throw new IllegalStateException(
          "SMTP_HOST is required when DATABASE_URL is set and a report destination or REPORT_DUTY_EMAIL uses e-mail"
              + " (or set REPORT_EMAIL_TRANSPORT=local-sink)");
    }
    if (smtp.host().isEmpty()) {
      throw new IllegalStateException("REPORT_EMAIL_TRANSPORT=smtp needs SMTP_HOST");
    }
    return Optional.of(SmtpClients.transport(app.vertx(), smtp, settings.emailFrom(), 4));
  }
}
