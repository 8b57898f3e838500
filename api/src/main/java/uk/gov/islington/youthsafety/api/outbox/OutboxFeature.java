package uk.gov.islington.youthsafety.api.outbox;

import java.time.Duration;
import java.util.List;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.notifications.outbox.LocalSink;
import uk.gov.islington.youthsafety.notifications.outbox.Outbox;

/**
 * Retention of the outbox itself: delivered or failed messages and local-sink copies are purged.
 */
public final class OutboxFeature implements Feature {

  private final Duration keep;

  public OutboxFeature(AppContext app) {
    this.keep = OutboxSettings.from(app.config()).retention();
  }

  @Override
  public void routes(Routes routes) {
    // no operations of its own
  }

  @Override
  public List<Retention> retention() {
    return List.of(
        Retention.of("outbox-finished", (pool, now) -> Outbox.purgeFinished(pool, keep)),
        Retention.of("local-sink", (pool, now) -> LocalSink.purgeOlderThan(pool, keep)));
  }
}
