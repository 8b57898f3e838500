package uk.gov.islington.youthsafety.api;

import io.vertx.core.Future;
import java.util.List;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.common.DemoContent;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;

/**
 * One feature as the process sees it: the operations it handles, and optionally the outbox channels
 * it delivers through, the retention rules of its personal data, its demo content and the listeners
 * that keep its caches true. {@link Features} lists them all; nothing else needs to change to add
 * one.
 */
public interface Feature {

  void routes(Routes routes);

  /**
   * Outbox channels this feature delivers through (e.g. e-mail, FCM, or a local sink on the
   * embedded default).
   */
  default List<Channel> channels() {
    return List.of();
  }

  default List<Retention> retention() {
    return List.of();
  }

  default List<DemoContent> demoContent() {
    return List.of();
  }

  /**
   * The LISTEN connections that keep this feature's caches true. The app starts them all after the
   * demo content, before {@link #start}, and stops them after {@link #stop}.
   */
  default List<PgListener> listeners() {
    return List.of();
  }

  /**
   * What this feature cannot do as configured, in words for operators and staff (readiness, the
   * console's banner, and the log at every start); empty when it is set up for production.
   */
  default List<String> warnings() {
    return List.of();
  }

  /**
   * Runs once at start-up after migrations and demo content, before the HTTP servers listen (e.g.
   * create the first admin). A failure stops the start.
   */
  default Future<Void> start() {
    return Future.succeededFuture();
  }

  /**
   * Runs at shutdown after the HTTP servers have finished their requests, before the pool closes.
   */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
