package uk.gov.islington.youthsafety.content.bulletins;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;
import uk.gov.islington.youthsafety.notifications.outbox.DeliveryResult;
import uk.gov.islington.youthsafety.notifications.outbox.Outbox;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;
import uk.gov.islington.youthsafety.notifications.push.PushFanout;

/**
 * When a bulletin's send time comes (its fan-out message falls due): in one transaction, move it
 * from "scheduled" to "sending" (publishing it in the archive) and start its push job, which cuts
 * the matching subscriptions into batches and enqueues one outbox message per batch, and one e-mail
 * (with its outbox message) per confirmed e-mail subscriber who wants each bulletin. Delivered
 * again (a lease ran out, a restart), it finds the bulletin no longer "scheduled" and does nothing.
 */
final class BulletinFanoutChannel implements Channel {

  private static final Logger LOG = LoggerFactory.getLogger(BulletinFanoutChannel.class);

  private final BulletinStore store = new BulletinStore();
  private final Pool pool;
  private final Clock clock;
  private final int batchSize;
  private final EmailSubscriptions emails;

  BulletinFanoutChannel(Pool pool, Clock clock, int batchSize, EmailSubscriptions emails) {
    this.emails = emails;
    this.pool = pool;
    this.clock = clock;
    this.batchSize = batchSize;
  }

  @Override
  public String name() {
    return Bulletins.FANOUT_CHANNEL;
  }

  @Override
  public Future<DeliveryResult> deliver(OutboxMessage message) {
    String id = message.payload().getString("bulletinId");
    if (id == null) {
      return Future.succeededFuture(DeliveryResult.failed("fan-out message without bulletinId"));
    }
    return pool.withTransaction(
            tx ->
                store
                    .startSending(tx, id, clock.instant())
                    .compose(
                        started -> {
                          if (started.isEmpty()) {
                            return Future.succeededFuture(Optional.<Integer>empty());
                          }
                          Bulletin b = started.get();
                          Future<Integer> emailed =
                              emails == null
                                  ? Future.succeededFuture(0)
                                  : emails.startBulletin(tx, b, clock.instant());
                          return emailed.compose(
                              n ->
                                  PushFanout.start(
                                      tx,
                                      Bulletins.jobId(id),
                                      Bulletins.pushMessage(b),
                                      new PushFanout.Target(b.audiences(), b.areas()),
                                      new PushFanout.Completion(
                                          Bulletins.SENT_CHANNEL,
                                          new JsonObject().put("bulletinId", id)),
                                      batchSize,
                                      clock.instant()));
                        }))
        .compose(
            targeted -> {
              if (targeted.isEmpty()) {
                return Future.succeededFuture(DeliveryResult.delivered());
              }
              LOG.info("bulletin {} is being sent to {} subscriptions", id, targeted.get());
              // its e-mails and push batches have just become pending all at once
              return Outbox.refreshStatistics(pool).map(v -> DeliveryResult.delivered());
            });
  }
}
