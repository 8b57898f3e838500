package uk.gov.islington.youthsafety.content.bulletins;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import uk.gov.islington.youthsafety.notifications.email.Email;
import uk.gov.islington.youthsafety.notifications.email.EmailSource;
import uk.gov.islington.youthsafety.notifications.email.LocalSinkTransport;
import uk.gov.islington.youthsafety.notifications.outbox.GroupedWrite;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * One bulletin e-mail to one subscriber, composed when its outbox message is delivered. Its row in
 * {@code bulletin_emails} is the truth: a redelivered message finds it sent and sends nothing
 * ({@link AlreadySent}); an unsubscribed subscriber, or one whose address was refused for good
 * since the send began, is skipped. A permanent refusal marks the e-mail undeliverable and counts a
 * bounce (the third deletes the address); a delivered e-mail clears the count.
 */
public final class BulletinEmails implements EmailSource {

  private final BulletinStore bulletins = new BulletinStore();
  private final EmailParts parts;
  private final EmailSubscriptionStore store;
  private final Pool pool;
  private final Clock clock;
  private final Map<String, Future<Optional<Bulletin>>> sentBulletins = new ConcurrentHashMap<>();
  // one statement for the e-mails that went while the previous one was written
  private final GroupedWrite<Long, Void> sentRecords;

  BulletinEmails(EmailParts parts) {
    this.parts = parts;
    this.store = parts.store();
    this.pool = parts.pool();
    this.clock = parts.clock();
    this.sentRecords =
        new GroupedWrite<>(
            ids ->
                store
                    .emailsSent(pool, ids, clock.instant())
                    .map(v -> Collections.<Void>nCopies(ids.size(), null)));
  }

  @Override
  public Future<Email> compose(OutboxMessage message) {
    Long emailId = message.payload().getLong("emailId");
    if (emailId == null) {
      return Future.failedFuture(new NothingToSend("the message names no e-mail"));
    }
    return store
        .bulletinEmail(pool, emailId)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.failedFuture(new NothingToSend("the e-mail is gone"));
              }
              EmailSubscriptionStore.BulletinEmail e = found.get();
              if ("sent".equals(e.state())) {
                return Future.failedFuture(new AlreadySent());
              }
              if (!"pending".equals(e.state())) {
                return Future.failedFuture(new NothingToSend("the e-mail is " + e.state()));
              }
              EmailSubscriptionStore.Subscriber s = e.subscriber();
              if (s == null
                  || (s.undeliverableAt() != null && s.undeliverableAt().isAfter(e.createdAt()))) {
                return store
                    .finishEmail(pool, emailId, "skipped", clock.instant())
                    .compose(
                        v ->
                            Future.failedFuture(
                                new NothingToSend("skipped: unsubscribed or undeliverable")));
              }
              return sentBulletin(e.bulletinId())
                  .map(
                      b -> {
                        Bulletin bulletin =
                            b.orElseThrow(() -> new NothingToSend("the bulletin is gone"));
                        return parts.email(
                            s,
                            (preferences, unsubscribe) ->
                                BulletinEmailText.bulletin(
                                    bulletin,
                                    parts.bulletinPage(bulletin),
                                    preferences,
                                    unsubscribe),
                            "bulletin-" + bulletin.id() + "-" + emailId);
                      });
            });
  }

  /**
   * The bulletin an e-mail carries, read once per send rather than once per subscriber: a bulletin
   * that is being e-mailed has been sent, and a sent bulletin never changes.
   */
  private Future<Optional<Bulletin>> sentBulletin(String id) {
    Future<Optional<Bulletin>> known = sentBulletins.get(id);
    if (known != null) {
      return known;
    }
    Future<Optional<Bulletin>> read = bulletins.get(pool, id);
    read.onSuccess(
        b -> {
          if (b.isPresent()
              && (Bulletin.SENDING.equals(b.get().state())
                  || Bulletin.SENT.equals(b.get().state()))) {
            if (sentBulletins.size() >= 16) {
              sentBulletins.clear();
            }
            sentBulletins.put(id, read);
          }
        });
    return read;
  }

  @Override
  public Future<Void> sent(OutboxMessage message, String transport) {
    return sentRecords.submit(message.payload().getLong("emailId"));
  }

  @Override
  public Future<Void> refused(OutboxMessage message, String reason) {
    long emailId = message.payload().getLong("emailId");
    return pool.withTransaction(
            tx ->
                store
                    .finishEmail(tx, emailId, "undeliverable", clock.instant())
                    .compose(
                        to ->
                            to.isEmpty()
                                ? Future.succeededFuture(false)
                                : store.bounced(tx, to.get(), clock.instant())))
        .mapEmpty();
  }

  /** The local sink keeps what was sent without the address (the text holds the links). */
  public static JsonObject sinkPayload(LocalSinkTransport.EmailAndMessage m) {
    return new JsonObject()
        .put("recipients", m.email().to().size())
        .put("subject", m.email().subject())
        .put("text", m.email().text())
        .put("messageId", m.email().messageId());
  }
}
