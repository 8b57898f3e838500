package uk.gov.islington.youthsafety.api.mail;

import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.Locale;
import uk.gov.islington.youthsafety.api.config.Loopback;
import uk.gov.islington.youthsafety.notifications.email.SmtpTransport;

/**
 * Builds the SMTP transport of a feature from {@link SmtpSettings}: one rule for TLS, one client
 * shape.
 */
public final class SmtpClients {

  private SmtpClients() {}

  /**
   * @param from the feature's sender address
   * @param connections the most SMTP connections this feature's client keeps open at once
   */
  public static SmtpTransport transport(
      Vertx vertx, SmtpSettings smtp, String from, int connections) {
    String host = smtp.host().orElseThrow(() -> new IllegalStateException("SMTP_HOST is not set"));
    MailConfig mail =
        new MailConfig()
            .setHostname(host)
            .setPort(smtp.port())
            .setSsl(smtp.ssl())
            .setStarttls(starttls(smtp, host))
            .setConnectTimeout((int) smtp.connectTimeout().toMillis())
            .setKeepAlive(true)
            .setMaxPoolSize(connections);
    smtp.username()
        .ifPresentOrElse(
            user ->
                mail.setLogin(LoginOption.REQUIRED).setUsername(user).setPassword(smtp.password()),
            () -> mail.setLogin(LoginOption.DISABLED));
    return new SmtpTransport(MailClient.create(vertx, mail), from);
  }

  /**
   * E-mails carry a report's words or a subscriber's address: toward another machine, STARTTLS
   * disabled or optional (which an attacker in the path can strip) stops the start unless SMTP_SSL
   * is on or SMTP_TLS=off writes the decision down.
   */
  private static StartTLSOptions starttls(SmtpSettings smtp, String host) {
    StartTLSOptions starttls = smtp.startTls();
    boolean downgradable = starttls != StartTLSOptions.REQUIRED && !smtp.ssl();
    if (downgradable && smtp.tlsRequired() && !Loopback.is(host)) {
      String setting = starttls.name().toLowerCase(Locale.ROOT);
      throw new IllegalArgumentException(
          "SMTP_STARTTLS="
              + setting
              + " toward another machine sends reports in plaintext: use SMTP_STARTTLS=required (or SMTP_SSL=true), "
              + "or set SMTP_TLS=off to accept plaintext on this network");
    }
    return starttls;
  }
}
