package uk.gov.islington.youthsafety.content.bulletins;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import uk.gov.islington.youthsafety.notifications.email.Email;
import uk.gov.islington.youthsafety.notifications.email.EmailSource;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * The e-mails of signing up: the confirmation (its link made from the row's current nonce when the
 * e-mail goes, so the outbox holds no secret) and, for an address already confirmed, a reminder
 * with its preferences and unsubscribe links. A refusal counts as a bounce.
 */
public final class SubscriptionEmails implements EmailSource {

  private final EmailParts parts;

  SubscriptionEmails(EmailParts parts) {
    this.parts = parts;
  }

  @Override
  public Future<Email> compose(OutboxMessage message) {
    String id = message.payload().getString("subscriberId");
    String kind = message.payload().getString("kind");
    if (id == null || kind == null) {
      return Future.failedFuture(new NothingToSend("the message names no subscriber"));
    }
    return parts
        .store()
        .byId(parts.pool(), id)
        .map(
            found -> {
              if (found.isEmpty()) {
                throw new NothingToSend("the subscriber is gone");
              }
              EmailSubscriptionStore.Subscriber s = found.get();
              BulletinEmailText.Parts words;
              Map<String, String> headers = Map.of();
              if ("confirm".equals(kind)) {
                if (s.confirmNonce() == null
                    || !s.confirmExpiresAt().isAfter(parts.clock().instant())) {
                  throw new NothingToSend("confirmed, replaced or expired");
                }
                String token = parts.links().token(EmailLinks.CONFIRM, s.id(), s.confirmNonce());
                words =
                    BulletinEmailText.confirmation(
                        parts.links().url("/bulletins/confirm", s.id(), token),
                        EmailSubscriptions.CONFIRM_VALID.toHours());
              } else {
                if (!s.confirmed()) {
                  throw new NothingToSend("not confirmed");
                }
                EmailParts.ManageLinks manage = parts.manage(s);
                words = BulletinEmailText.reminder(manage.preferences(), manage.unsubscribe());
                headers = manage.headers();
              }
              return new Email(
                  List.of(parts.address(s)),
                  words.subject(),
                  words.text(),
                  words.html(),
                  headers,
                  "<subscription-" + message.id() + "@youth-safety.islington.gov.uk>");
            });
  }

  @Override
  public Future<Void> refused(OutboxMessage message, String reason) {
    return parts.bounced(message.payload().getString("subscriberId"));
  }
}
