package uk.gov.islington.youthsafety.notifications.email;

import io.vertx.core.Future;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * Sends through an SMTP server with the Vert.x mail client. A permanent SMTP reply (5xx) becomes
 * {@link EmailTransport.Rejected}; connection failures and 4xx replies stay ordinary failures, so
 * the channel retries them. Error texts from the server are not passed on: they may quote the
 * message.
 */
public final class SmtpTransport implements EmailTransport {

  private final MailClient client;
  private final String from;

  public SmtpTransport(MailClient client, String from) {
    this.client = client;
    this.from = from;
  }

  @Override
  public String name() {
    return "smtp";
  }

  @Override
  public Future<Void> send(OutboxMessage message, Email email) {
    MailMessage mail =
        new MailMessage()
            .setFrom(from)
            .setTo(email.to())
            .setSubject(email.subject())
            .setText(email.text());
    if (email.html() != null) {
      mail.setHtml(email.html());
    }
    email.headers().forEach(mail::addHeader);
    if (email.messageId() != null) {
      mail.addHeader("Message-ID", email.messageId());
    }
    return client
        .sendMail(mail)
        .<Void>mapEmpty()
        .recover(
            error -> {
              if (error instanceof SMTPException smtp && smtp.isPermanent()) {
                return Future.failedFuture(
                    new Rejected("SMTP server refused the message (" + smtp.getReplyCode() + ")"));
              }
              if (error instanceof SMTPException smtp) {
                return Future.failedFuture(
                    new IllegalStateException(
                        "SMTP server deferred the message (" + smtp.getReplyCode() + ")"));
              }
              return Future.failedFuture(error);
            });
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
