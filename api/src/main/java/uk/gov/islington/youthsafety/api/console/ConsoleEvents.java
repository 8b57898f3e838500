package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.content.staff.StaffSessions;

/**
 * Server-sent events for open console pages that show something live (the triage queue, a
 * bulletin's delivery): "changed", and nothing else. PostgreSQL announces every committed change
 * with an empty NOTIFY on the page's channel; the page then fetches itself again, through the same
 * checks as any page. Bursts are coalesced to one event per {@link #MIN_GAP_MS}. A comment every
 * heartbeat keeps idle connections (and proxies) open; at the same beat the streams whose session
 * has ended, or whose account may no longer see the page, get "ended" and are closed, so the page
 * goes to sign-in.
 */
final class ConsoleEvents {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleEvents.class);
  private static final long MIN_GAP_MS = 250;

  private final AppContext app;
  private final StaffSessions sessions;
  private final Duration heartbeatEvery;
  private final String name;
  private final String roleKey;

  /** Each open stream, with the id of the session that opened it. */
  private final Map<HttpServerResponse, String> clients = new ConcurrentHashMap<>();

  private final AtomicLong lastSent = new AtomicLong();
  private final AtomicLong scheduled = new AtomicLong(-1);
  private final PgListener listener;
  private long heartbeat = -1;

  /**
   * @param name for logs, e.g. "triage events"
   * @param channel the NOTIFY channel that says something changed
   * @param roleKey the {@link ConsoleRoles} rule a stream's session must keep to stay open
   */
  ConsoleEvents(
      AppContext app,
      StaffSessions sessions,
      Duration heartbeatEvery,
      String name,
      String channel,
      String roleKey) {
    this.app = app;
    this.sessions = sessions;
    this.heartbeatEvery = heartbeatEvery;
    this.name = name;
    this.roleKey = roleKey;
    this.listener =
        PgListener.builder(name)
            .channel(channel, payload -> changed())
            // after a reconnect notifications may have been missed: tell the pages to look again
            .reload(
                () -> {
                  changed();
                  return Future.succeededFuture();
                })
            .build(app.vertx(), app.listenerOptions(name.replace(' ', '-') + "-listener"));
  }

  PgListener listener() {
    return listener;
  }

  Future<Void> start() {
    heartbeat =
        app.vertx()
            .setPeriodic(
                heartbeatEvery.toMillis(),
                id -> {
                  clients.keySet().forEach(c -> send(c, ": keep-alive\n\n"));
                  endStreamsOfEndedSessions();
                });
    return Future.succeededFuture();
  }

  Future<Void> stop() {
    if (heartbeat >= 0) {
      app.vertx().cancelTimer(heartbeat);
    }
    clients.keySet().forEach(c -> c.end().recover(e -> Future.succeededFuture()));
    clients.clear();
    return Future.succeededFuture();
  }

  /** GET of the page's events: holds the response open and writes events to it. */
  Future<Void> subscribe(RoutingContext ctx, StaffSessions.Session session) {
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        // a compressor would hold events back until its buffer fills
        .putHeader("Content-Encoding", "identity")
        .putHeader("X-Accel-Buffering", "no");
    response.closeHandler(v -> clients.remove(response));
    response.exceptionHandler(e -> clients.remove(response));
    clients.put(response, ConsolePages.sessionId(ctx));
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
      app.vertx()
          .setTimer(
              wait,
              id -> {
                scheduled.set(-1);
                lastSent.set(System.nanoTime() / 1_000_000);
                broadcast();
              });
    }
  }

  private void broadcast() {
    clients.keySet().forEach(c -> send(c, "event: changed\ndata: \n\n"));
  }

  private void endStreamsOfEndedSessions() {
    if (clients.isEmpty()) {
      return;
    }
    Map<HttpServerResponse, String> open = Map.copyOf(clients);
    sessions
        .activeRoles(open.values())
        .onSuccess(
            live ->
                open.forEach(
                    (stream, sessionId) -> {
                      List<String> roles = live.get(sessionId);
                      if (roles == null || !ConsoleRoles.allows(roleKey, roles)) {
                        clients.remove(stream);
                        if (!stream.ended() && !stream.closed()) {
                          stream
                              .end("event: ended\ndata: \n\n")
                              .recover(e -> Future.succeededFuture());
                        }
                      }
                    }))
        // the database is away: the streams stay until it answers (a page needs it for anything)
        .onFailure(e -> LOG.debug("{}: sessions not checked", name, e));
  }

  private void send(HttpServerResponse c, String text) {
    if (c.ended() || c.closed()) {
      clients.remove(c);
      return;
    }
    c.write(text)
        .onFailure(
            e -> {
              clients.remove(c);
              LOG.debug("{}: a client went away", name);
            });
  }
}
