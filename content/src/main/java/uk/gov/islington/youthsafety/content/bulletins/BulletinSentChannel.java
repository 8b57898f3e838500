package uk.gov.islington.youthsafety.content.bulletins;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;
import uk.gov.islington.youthsafety.notifications.outbox.DeliveryResult;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/** The push job's last batch is done: "sending" becomes "sent" (once; a repeat changes nothing). */
final class BulletinSentChannel implements Channel {

  private static final Logger LOG = LoggerFactory.getLogger(BulletinSentChannel.class);

  private final BulletinStore store = new BulletinStore();
  private final Pool pool;
  private final Clock clock;

  BulletinSentChannel(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  @Override
  public String name() {
    return Bulletins.SENT_CHANNEL;
  }

  @Override
  public Future<DeliveryResult> deliver(OutboxMessage message) {
    String id = message.payload().getString("bulletinId");
    if (id == null) {
      return Future.succeededFuture(DeliveryResult.failed("sent message without bulletinId"));
    }
    return store
        .markSent(pool, id, clock.instant())
        .map(
            marked -> {
              if (marked) {
                LOG.info("bulletin {} sent", id);
              }
              return DeliveryResult.delivered();
            });
  }
}
