package uk.gov.islington.youthsafety.content.common;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgNotification;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.notifications.outbox.Backoff;

/**
 * One LISTEN connection keeping an in-memory copy of PostgreSQL data true on this instance: the
 * building block of every cache that other instances' writes can make stale.
 *
 * <p>What it guarantees: {@link #start} LISTENs on every channel first and only then runs the
 * cache's full reload, so nothing committed between the two is missed; each notification runs its
 * channel's handler. When the connection drops, notifications sent meanwhile are lost for good, so
 * it reconnects with backoff, LISTENs again and runs the full reload again; a failed reload starts
 * the connection over, also with backoff. {@link #fresh} is true only between a successful reload
 * and the next drop, so a cache can refuse to serve what it cannot vouch for. An optional periodic
 * action bounds staleness should a notification ever be lost while the connection stays up.
 *
 * <p>Built on {@link PgConnection} rather than the client's {@code PgSubscriber}: the subscriber
 * neither retries a failed first connection nor tells when its connection drops, and a cache needs
 * both. State lives on one Vert.x context, so there are no locks; handlers run on that context.
 */
public final class PgListener {

  private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final String name;
  private final Map<String, Consumer<String>> channels;
  private final Supplier<Future<?>> reload;
  private final Duration period;
  private final Supplier<Future<?>> periodic;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Runnable onTrouble;
  private final Context context;

  // confined to the context
  private boolean running;
  private long attempt;
  private PgConnection connection;
  private int failures;
  private long retryTimer = -1;
  private long periodicTimer = -1;
  private Promise<Void> started;
  private volatile boolean fresh;

  private PgListener(Builder b, Vertx vertx, PgConnectOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.name = b.name;
    this.channels = Map.copyOf(b.channels);
    this.reload = b.reload;
    this.period = b.period;
    this.periodic = b.periodic;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.onTrouble = b.onTrouble;
    this.context = vertx.getOrCreateContext();
    if (channels.isEmpty()) {
      throw new IllegalArgumentException(name + ": a listener needs at least one channel");
    }
  }

  /** A listener named {@code name} in its log lines (e.g. "haven catalogue"). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** What a cache does on a notification, after a (re)connect, and periodically. */
  public static final class Builder {

    private final String name;
    private final Map<String, Consumer<String>> channels = new LinkedHashMap<>();
    private Supplier<Future<?>> reload = Future::succeededFuture;
    private Duration period;
    private Supplier<Future<?>> periodic;
    private Duration initialBackoff = Duration.ofMillis(250);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Runnable onTrouble = () -> {};

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** Runs {@code onNotification} with the payload of each notification on {@code channel}. */
    public Builder channel(String channel, Consumer<String> onNotification) {
      channels.put(channel, Objects.requireNonNull(onNotification, "onNotification"));
      return this;
    }

    /**
     * Reloads the whole cache from PostgreSQL; runs after every (re)connect, once its LISTEN is
     * active.
     */
    public Builder reload(Supplier<Future<?>> fullReload) {
      this.reload = Objects.requireNonNull(fullReload, "fullReload");
      return this;
    }

    /** Also runs {@code action} every {@code period} once the first reload has succeeded. */
    public Builder every(Duration period, Supplier<Future<?>> action) {
      if (period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException(name + ": the period must be positive");
      }
      this.period = period;
      this.periodic = Objects.requireNonNull(action, "action");
      return this;
    }

    /** Reconnects after {@code initial}, doubling (with jitter) up to {@code max}. */
    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Also runs {@code action} the moment the connection reports an error from the server (a
     * shutdown announces itself so, before the connection closes), when it drops, and when a
     * (re)connect fails.
     */
    public Builder onTrouble(Runnable action) {
      this.onTrouble = Objects.requireNonNull(action, "action");
      return this;
    }

    public PgListener build(Vertx vertx, PgConnectOptions options) {
      return new PgListener(this, vertx, options);
    }
  }

  /**
   * Connects, LISTENs and runs the first full reload. The answer completes when that has succeeded;
   * until then (and after any failure) it keeps trying with backoff until {@link #stop}.
   */
  public Future<Void> start() {
    return onContext(
        () -> {
          if (!running) {
            running = true;
            started = Promise.promise();
            failures = 0;
            connect();
            if (period != null) {
              periodicTimer =
                  vertx.setPeriodic(
                      period.toMillis(),
                      id -> {
                        if (started.future().succeeded()) {
                          periodic
                              .get()
                              .onFailure(
                                  e ->
                                      LOG.warn(
                                          "{}: periodic refresh failed ({})",
                                          name,
                                          e.getClass().getSimpleName()));
                        }
                      });
            }
          }
          return started.future();
        });
  }

  /** Closes the connection and stops reconnecting; the cache is no longer {@link #fresh}. */
  public Future<Void> stop() {
    return onContext(
        () -> {
          running = false;
          fresh = false;
          cancel(retryTimer);
          cancel(periodicTimer);
          retryTimer = -1;
          periodicTimer = -1;
          if (started != null) {
            started.tryFail(name + " stopped");
          }
          PgConnection c = connection;
          connection = null;
          return c == null
              ? Future.succeededFuture()
              : c.close().recover(e -> Future.succeededFuture());
        });
  }

  /**
   * True while the LISTEN connection is up and the full reload after its LISTEN has succeeded:
   * every change committed since has been, or will be, notified to this instance.
   */
  public boolean fresh() {
    return fresh;
  }

  private void connect() {
    long mine = ++attempt;
    retryTimer = -1;
    PgConnection.connect(vertx, options)
        .compose(
            c -> {
              if (mine != attempt || !running) {
                return c.close()
                    .compose(v -> Future.failedFuture(new IllegalStateException("superseded")));
              }
              connection = c;
              c.notificationHandler(this::notified);
              c.closeHandler(v -> context.runOnContext(x -> dropped(c)));
              // a server-side end arrives as an error, then a close: the close is what we act on
              c.exceptionHandler(
                  e -> {
                    LOG.debug("{}: {}", name, e.getClass().getSimpleName());
                    onTrouble.run();
                  });
              return c.query(listenStatements()).execute().compose(rows -> reload.get());
            })
        .onComplete(
            ar ->
                context.runOnContext(
                    v -> {
                      if (mine != attempt || !running) {
                        return;
                      }
                      if (ar.succeeded()) {
                        failures = 0;
                        fresh = true;
                        LOG.info("{} listening for changes", name);
                        started.tryComplete();
                      } else {
                        onTrouble.run();
                        LOG.warn(
                            "{}: LISTEN or reload failed ({})",
                            name,
                            ar.cause().getClass().getSimpleName());
                        retry();
                      }
                    }));
  }

  private void notified(PgNotification n) {
    Consumer<String> handler = channels.get(n.getChannel());
    if (handler != null) {
      handler.accept(n.getPayload());
    }
  }

  private void dropped(PgConnection c) {
    if (c != connection || !running) {
      return;
    }
    LOG.warn("{}: LISTEN connection lost; reconnecting", name);
    onTrouble.run();
    retry();
  }

  /** Starts over on a new connection after a backoff; whatever it held may already be stale. */
  private void retry() {
    fresh = false;
    attempt++;
    PgConnection c = connection;
    connection = null;
    if (c != null) {
      c.close();
    }
    failures++;
    Duration delay =
        Backoff.delay(
            failures, initialBackoff, maxBackoff, ThreadLocalRandom.current()::nextDouble);
    cancel(retryTimer);
    retryTimer =
        vertx.setTimer(
            delay.toMillis(),
            id ->
                context.runOnContext(
                    v -> {
                      if (running) {
                        connect();
                      }
                    }));
  }

  private String listenStatements() {
    return channels.keySet().stream()
        .map(ch -> "LISTEN \"" + ch.replace("\"", "\"\"") + "\"")
        .collect(Collectors.joining("; "));
  }

  private void cancel(long timer) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }
}
