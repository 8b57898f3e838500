package uk.gov.islington.youthsafety.content.bulletins;

import io.vertx.core.Future;
import java.time.Instant;
import java.time.LocalDate;
import uk.gov.islington.youthsafety.notifications.email.Email;
import uk.gov.islington.youthsafety.notifications.email.EmailSource;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * A weekly subscriber's digest: every bulletin for them published in the week, composed when its
 * outbox message is delivered (queued once per subscriber and week by {@link
 * EmailSubscriptions#queueWeeklyDigest}). A refusal counts as a bounce.
 */
public final class DigestEmails implements EmailSource {

  private final BulletinStore bulletins = new BulletinStore();
  private final EmailParts parts;

  DigestEmails(EmailParts parts) {
    this.parts = parts;
  }

  @Override
  public Future<Email> compose(OutboxMessage message) {
    String id = message.payload().getString("subscriberId");
    LocalDate weekStart;
    try {
      weekStart = LocalDate.parse(message.payload().getString("weekStart"));
    } catch (RuntimeException e) {
      return Future.failedFuture(new NothingToSend("the message names no week"));
    }
    Instant from = weekStart.atStartOfDay(EmailSubscriptions.LONDON).toInstant();
    Instant to = weekStart.plusWeeks(1).atStartOfDay(EmailSubscriptions.LONDON).toInstant();
    return parts
        .store()
        .byId(parts.pool(), id)
        .compose(
            found -> {
              if (found.isEmpty() || !found.get().confirmed()) {
                return Future.failedFuture(new NothingToSend("the subscriber is gone"));
              }
              EmailSubscriptionStore.Subscriber s = found.get();
              return bulletins
                  .publishedBetween(parts.pool(), from, to, s.audiences(), s.areas())
                  .map(
                      week -> {
                        if (week.isEmpty()) {
                          throw new NothingToSend("no bulletin for this subscriber that week");
                        }
                        return parts.email(
                            s,
                            (preferences, unsubscribe) ->
                                BulletinEmailText.digest(
                                    weekStart, week, parts::bulletinPage, preferences, unsubscribe),
                            "digest-" + weekStart + "-" + message.id());
                      });
            });
  }

  @Override
  public Future<Void> refused(OutboxMessage message, String reason) {
    return parts.bounced(message.payload().getString("subscriberId"));
  }
}
