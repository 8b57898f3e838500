package uk.gov.islington.youthsafety.api.bulletins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.mail.SmtpClients;
import uk.gov.islington.youthsafety.content.bulletins.BulletinEmails;
import uk.gov.islington.youthsafety.notifications.email.EmailTransport;
import uk.gov.islington.youthsafety.notifications.email.LocalSinkTransport;
import uk.gov.islington.youthsafety.notifications.email.NotifyTransport;

/** The relay the bulletin's e-mails go to, chosen from {@link BulletinEmailSettings}. */
final class BulletinEmailTransport {

  private BulletinEmailTransport() {}

  /**
   * SMTP when SMTP_HOST is set (or EMAIL_TRANSPORT=smtp), GOV.UK Notify with
   * EMAIL_TRANSPORT=notify, else the local sink.
   */
  static EmailTransport of(AppContext app, BulletinEmailSettings settings) {
    String kind =
        settings.transport().orElse(settings.smtp().host().isPresent() ? "smtp" : "local-sink");
    if (kind.equals("notify")) {
      BulletinEmailSettings.Notify notify = settings.notifyApi();
      java.nio.file.Path keyFile =
          notify
              .apiKeyFile()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "EMAIL_TRANSPORT=notify needs NOTIFY_API_KEY_FILE"));
      String template =
          notify
              .templateId()
              .orElseThrow(
                  () ->
                      new IllegalStateException("EMAIL_TRANSPORT=notify needs NOTIFY_TEMPLATE_ID"));
      String key;
      try {
        key = Files.readString(keyFile);
      } catch (IOException e) {
        throw new UncheckedIOException("NOTIFY_API_KEY_FILE could not be read", e);
      }
      try {
        return new NotifyTransport(
            app.vertx(), notify.baseUrl(), key, template, app.clock(), notify.timeout());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("NOTIFY_API_KEY_FILE: " + e.getMessage());
      }
    }
    if (kind.equals("local-sink")) {
      return new LocalSinkTransport(app.pool(), BulletinEmails::sinkPayload);
    }
    if (settings.smtp().host().isEmpty()) {
      throw new IllegalStateException("EMAIL_TRANSPORT=smtp needs SMTP_HOST");
    }
    return SmtpClients.transport(
        app.vertx(), settings.smtp(), settings.from(), settings.connections());
  }
}
