package uk.gov.islington.youthsafety.content.common;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/**
 * Sample content for the embedded default only (never with DATABASE_URL). A loader must be
 * idempotent: it adds its samples only when its tables hold none, so restarts add nothing.
 */
public interface DemoContent {

  String name();

  Future<Void> load(Pool pool, Clock clock);
}
