package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.content.staff.StaffSessions;

/**
 * Server-sent events for open triage pages: "changed", and nothing else. PostgreSQL announces
 * every committed change of a report, its messages or its forwards (an empty NOTIFY on
 * {@value #CHANNEL}); the page then fetches itself again, through the same checks as any page.
 * Bursts are coalesced to one event per {@link #MIN_GAP_MS}, and a comment every
 * {@link #HEARTBEAT_MS} keeps idle connections (and proxies) open.
 */
final class TriageEvents {

  private static final Logger LOG = LoggerFactory.getLogger(TriageEvents.class);
  static final String CHANNEL = "content_reports_changed";
  private static final long MIN_GAP_MS = 250;
  private static final long HEARTBEAT_MS = 20_000;

  private final AppContext app;
  private final Set<HttpServerResponse> clients = ConcurrentHashMap.newKeySet();
  private final AtomicLong lastSent = new AtomicLong();
  private final AtomicLong scheduled = new AtomicLong(-1);
  private final PgListener listener;
  private long heartbeat = -1;

  TriageEvents(AppContext app) {
    this.app = app;
    this.listener = PgListener.builder("triage events")
        .channel(CHANNEL, payload -> changed())
        // after a reconnect notifications may have been missed: tell the pages to look again
        .reload(() -> {
          changed();
          return Future.succeededFuture();
        })
        .build(app.vertx(), app.listenerOptions("triage-events-listener"));
  }

  PgListener listener() {
    return listener;
  }

  Future<Void> start() {
    heartbeat = app.vertx().setPeriodic(HEARTBEAT_MS, id -> clients.forEach(c -> send(c, ": keep-alive\n\n")));
    return Future.succeededFuture();
  }

  Future<Void> stop() {
    if (heartbeat >= 0) {
      app.vertx().cancelTimer(heartbeat);
    }
    clients.forEach(c -> c.end().recover(e -> Future.succeededFuture()));
    clients.clear();
    return Future.succeededFuture();
  }

  /** GET /console/triage/events: holds the response open and writes events to it. */
  Future<Void> subscribe(RoutingContext ctx, StaffSessions.Session session) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        // a compressor would hold events back until its buffer fills
        .putHeader("Content-Encoding", "identity")
        .putHeader("X-Accel-Buffering", "no");
    response.closeHandler(v -> clients.remove(response));
    response.exceptionHandler(e -> clients.remove(response));
    clients.add(response);
    send(response, "retry: 2000\n: connected\n\n");
    return Future.succeededFuture();
  }

  int clients() {
    return clients.size();
  }

  /** Something changed: one event now, or one at the end of the current gap. */
  void changed() {
    long now = System.nanoTime() / 1_000_000;
    long wait = lastSent.get() + MIN_GAP_MS - now;
    if (wait <= 0) {
      lastSent.set(now);
      broadcast();
    } else if (scheduled.compareAndSet(-1, 0)) {
      app.vertx().setTimer(wait, id -> {
        scheduled.set(-1);
        lastSent.set(System.nanoTime() / 1_000_000);
        broadcast();
      });
    }
  }

  private void broadcast() {
    clients.forEach(c -> send(c, "event: changed\ndata: \n\n"));
  }

  private void send(HttpServerResponse c, String text) {
    if (c.ended() || c.closed()) {
      clients.remove(c);
      return;
    }
    c.write(text).onFailure(e -> {
      clients.remove(c);
      LOG.debug("triage events: a client went away");
    });
  }
}
