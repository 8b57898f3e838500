package uk.gov.islington.youthsafety.notifications.outbox;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbox messages through the channels this process has.
 *
 * <p>Why it is shaped like this: several API instances run against one database, any of them may
 * die at any moment, and the outbox promises that nothing committed is lost. So a dispatcher claims
 * a batch with {@code FOR UPDATE SKIP LOCKED} in one short transaction that also sets a lease,
 * delivers outside any transaction, and records each outcome only if its claim is still the current
 * one. A row whose dispatcher died becomes due again when the lease ends. Delivery is therefore
 * at-least-once; channels that can should pass the message id on as an idempotency key.
 *
 * <p>Each channel has its own claim loop ("lane"), so a hung destination holds back only its own
 * messages; up to {@code batchSize} deliveries per channel are in flight at once. A lane wakes up
 * on {@code LISTEN notifications_outbox} (sent by {@link Outbox#enqueue} at commit), when its next
 * pending row falls due, and at least every poll interval, which covers notifications missed while
 * the LISTEN connection was being re-established.
 *
 * <p>All state is confined to one Vert.x context (the caller's, or a new event-loop context), so
 * there are no locks; channels are called on that context and must not block it.
 */
public final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final long MIN_WAKE_MILLIS = 20;

  private final OutboxStore store = new OutboxStore();
  // one statement for the delivered outcomes that arrive while the previous one is written
  private final GroupedWrite<OutboxMessage, Boolean> deliveredMarks;
  private final Vertx vertx;
  private final Pool pool;
  private final PgConnectOptions listenOptions;
  private final Clock clock;
  private final Map<String, Channel> channels;
  private final DispatcherOptions options;
  private final Context context;

  private final Map<String, Lane> lanes;

  // confined to the context
  private boolean running;
  private PgSubscriber subscriber;

  private final Set<Future<?>> inFlight = ConcurrentHashMap.newKeySet();
  // claims whose outcome is not recorded yet: id -> the attempt it was claimed as
  private final Map<Long, Integer> held = new ConcurrentHashMap<>();
  private final AtomicLong claimed = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong leasesLost = new AtomicLong();

  /**
   * @param listenOptions where to LISTEN for new messages (the service's database), or null to rely
   *     on polling alone
   * @param clock times deliveries, to warn about slow ones; due times and leases use the database's
   *     clock
   * @param channels at most one per name; rows of other channels are left for other processes
   */
  public Dispatcher(
      Vertx vertx,
      Pool pool,
      PgConnectOptions listenOptions,
      Clock clock,
      List<Channel> channels,
      DispatcherOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.deliveredMarks = new GroupedWrite<>(messages -> store.markDelivered(pool, messages));
    this.listenOptions = listenOptions;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
    Map<String, Channel> byName = new LinkedHashMap<>();
    for (Channel channel : channels) {
      if (byName.putIfAbsent(channel.name(), channel) != null) {
        throw new IllegalArgumentException("two outbox channels are called " + channel.name());
      }
    }
    this.channels = Map.copyOf(byName);
    Map<String, Lane> lanesByName = new LinkedHashMap<>();
    byName.keySet().forEach(name -> lanesByName.put(name, new Lane(name)));
    this.lanes = lanesByName;
    this.context = vertx.getOrCreateContext();
  }

  /**
   * Starts listening (if listen options were given) and delivering; completes once LISTEN is
   * active.
   */
  public Future<Void> start() {
    return onContext(
        () -> {
          if (running) {
            return Future.succeededFuture();
          }
          running = true;
          Future<Void> listening = listenOptions == null ? Future.succeededFuture() : listen();
          return listening
              .onSuccess(
                  v -> {
                    LOG.info("outbox dispatcher started for channels {}", lanes.keySet());
                    pumpAll();
                  })
              .onFailure(
                  error -> {
                    running = false;
                    closeSubscriber();
                  });
        });
  }

  /**
   * Stops claiming, waits for deliveries in flight to finish and their outcomes to be recorded (at
   * most about half the lease), and closes the LISTEN connection. The pool is the caller's.
   */
  public Future<Void> stop() {
    return stop(options.lease());
  }

  /**
   * Stops claiming and closes the LISTEN connection at once, then waits up to {@code wait} for the
   * deliveries in flight to finish. Whatever is still in flight then is let go of: its channels are
   * told to start nothing more and release what they hold, and its outbox rows are due again at
   * once, so that another instance takes them now rather than when their lease runs out. The pool
   * is the caller's and must stay open until this completes.
   */
  public Future<Void> stop(Duration wait) {
    return onContext(
        () -> {
          boolean wasRunning = running;
          running = false;
          lanes.values().forEach(Lane::cancelTimer);
          Future<Void> closed = closeSubscriber();
          Promise<Void> finished = Promise.promise();
          long timer =
              vertx.setTimer(
                  Math.max(1, wait.toMillis()), t -> finished.tryFail(new TimeoutException()));
          closed
              .transform(ar -> Future.join(new ArrayList<>(inFlight)))
              .onComplete(
                  ar -> {
                    vertx.cancelTimer(timer);
                    finished.tryComplete();
                  });
          return finished
              .future()
              .<Void>transform(ar -> ar.succeeded() ? Future.succeededFuture() : releaseHeld())
              .onSuccess(
                  v -> {
                    if (wasRunning) {
                      LOG.info("outbox dispatcher stopped");
                    }
                  });
        });
  }

  /** Lets go of every claim still held (see {@link #stop(Duration)}); never fails. */
  private Future<Void> releaseHeld() {
    List<Future<Void>> releasing = new ArrayList<>();
    channels
        .values()
        .forEach(
            channel ->
                releasing.add(
                    channel
                        .release()
                        .onFailure(
                            e ->
                                LOG.warn(
                                    "outbox channel {} could not let go of its work: {}",
                                    channel.name(),
                                    e.toString()))));
    return Future.join(releasing)
        .transform(
            ignored -> {
              Map<Long, Integer> still = Map.copyOf(held);
              if (still.isEmpty()) {
                return Future.succeededFuture();
              }
              Long[] ids = still.keySet().toArray(Long[]::new);
              Integer[] attempts = new Integer[ids.length];
              for (int i = 0; i < ids.length; i++) {
                attempts[i] = still.get(ids[i]);
              }
              return store
                  .release(pool, ids, attempts)
                  .onSuccess(
                      n -> LOG.info("outbox dispatcher let go of {} messages still in flight", n))
                  .onFailure(
                      e ->
                          LOG.warn(
                              "outbox dispatcher could not let go of {} messages; they are due again when"
                                  + " their lease ends: {}",
                              ids.length,
                              e.toString()))
                  .<Void>mapEmpty()
                  .recover(e -> Future.succeededFuture());
            });
  }

  /**
   * Claims one batch per channel, delivers them and records the outcomes; returns how many messages
   * were handled.
   */
  public Future<Integer> runOnce() {
    return onContext(
        () -> {
          List<Future<Integer>> batches = new ArrayList<>();
          lanes.values().forEach(lane -> batches.add(tracked(lane.names)));
          return Future.all(batches)
              .map(
                  all -> {
                    int handled = 0;
                    for (Future<Integer> batch : batches) {
                      handled += batch.result();
                    }
                    return handled;
                  });
        });
  }

  public DispatcherStats stats() {
    return new DispatcherStats(
        claimed.get(), delivered.get(), retried.get(), failed.get(), leasesLost.get());
  }

  // --- the loop -------------------------------------------------------------------------------

  private Future<Void> listen() {
    subscriber =
        PgSubscriber.subscriber(vertx, listenOptions)
            // keep trying for as long as we run; polling covers the gap
            .reconnectPolicy(retries -> Math.min(30_000L, 500L << Math.min(retries, 6)));
    subscriber
        .channel(OutboxStore.NOTIFY_CHANNEL)
        .handler(
            channel ->
                context.runOnContext(
                    v -> {
                      Lane lane = channel == null ? null : lanes.get(channel);
                      if (lane != null) {
                        lane.pump();
                      }
                    }))
        // also runs after a reconnect: catch up on anything notified meanwhile
        .subscribeHandler(v -> context.runOnContext(x -> pumpAll()));
    return subscriber.connect();
  }

  private Future<Void> closeSubscriber() {
    PgSubscriber s = subscriber;
    subscriber = null;
    return s == null ? Future.succeededFuture() : s.close().recover(e -> Future.succeededFuture());
  }

  /**
   * The claim loop of one channel. Each channel has its own, so that a slow or hung destination
   * (FCM timing out) never holds back another (a report being forwarded by e-mail).
   */
  private final class Lane {

    private final String name;
    private final String[] names;
    // confined to the context
    private boolean pumping;
    private boolean pumpAgain;
    private long timerId = -1;

    Lane(String name) {
      this.name = name;
      this.names = new String[] {name};
    }

    /**
     * Runs batches until one comes back short, then sleeps until the next row is due or the poll
     * interval.
     */
    void pump() {
      if (!running) {
        return;
      }
      if (pumping) {
        pumpAgain = true;
        return;
      }
      pumping = true;
      pumpAgain = false;
      cancelTimer();
      tracked(names)
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  LOG.warn(
                      "outbox dispatcher could not claim {} messages: {}",
                      name,
                      ar.cause().toString());
                  pumping = false;
                  schedule(options.pollInterval().toMillis());
                } else if (ar.result() >= options.batchSize() || pumpAgain) {
                  pumping = false;
                  context.runOnContext(v -> pump());
                } else {
                  store
                      .millisUntilNextDue(pool, names)
                      .onComplete(
                          next -> {
                            pumping = false;
                            long poll = options.pollInterval().toMillis();
                            long wake =
                                next.succeeded() && next.result() != null
                                    ? Math.min(poll, next.result())
                                    : poll;
                            if (pumpAgain) {
                              context.runOnContext(v -> pump());
                            } else {
                              schedule(Math.max(MIN_WAKE_MILLIS, wake));
                            }
                          });
                }
              });
    }

    private void schedule(long delayMillis) {
      if (!running) {
        return;
      }
      cancelTimer();
      timerId =
          vertx.setTimer(
              delayMillis,
              id -> {
                timerId = -1;
                pump();
              });
    }

    void cancelTimer() {
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
        timerId = -1;
      }
    }
  }

  private void pumpAll() {
    lanes.values().forEach(Lane::pump);
  }

  /** One batch, remembered until done so that {@link #stop} can wait for it. */
  private Future<Integer> tracked(String[] names) {
    Future<Integer> batch = claimAndDeliver(names);
    inFlight.add(batch);
    return batch.onComplete(ar -> inFlight.remove(batch));
  }

  private Future<Integer> claimAndDeliver(String[] names) {
    return store
        .claim(pool, names, options.batchSize(), options.lease())
        .compose(
            batch -> {
              claimed.addAndGet(batch.size());
              List<Future<Void>> outcomes = new ArrayList<>(batch.size());
              for (OutboxMessage message : batch) {
                held.put(message.id(), message.attempt());
                outcomes.add(
                    handle(message).andThen(done -> held.remove(message.id(), message.attempt())));
              }
              return Future.join(outcomes).transform(ar -> Future.succeededFuture(batch.size()));
            });
  }

  // --- one message ----------------------------------------------------------------------------

  private Future<Void> handle(OutboxMessage message) {
    if (message.attempt() > options.maxAttempts()) {
      // Earlier claims ended without an outcome (the process died, or recording failed): do not
      // let a message that crashes dispatchers go round for ever.
      return settle(
          message,
          giveUp(
              message,
              "abandoned after " + (message.attempt() - 1) + " attempts without an outcome"));
    }
    long started = clock.millis();
    return withTimeout(deliver(message), options.deliveryTimeout().toMillis())
        .recover(
            error ->
                Future.succeededFuture(
                    DeliveryResult.retryLater(null, Reasons.describe(error, message.payload()))))
        .compose(
            result -> {
              long took = clock.millis() - started;
              if (took > options.deliveryTimeout().toMillis() / 2) {
                LOG.warn(
                    "outbox message {} on channel {} took {} ms to deliver",
                    message.id(),
                    message.channel(),
                    took);
              }
              return record(message, result);
            });
  }

  /**
   * Completes on this dispatcher's context whichever thread the channel completes on, and fails
   * with a {@link TimeoutException} if the channel takes longer than {@code millis}.
   */
  private Future<DeliveryResult> withTimeout(Future<DeliveryResult> delivery, long millis) {
    Promise<DeliveryResult> outcome = Promise.promise();
    long timer = vertx.setTimer(millis, t -> outcome.tryFail(new TimeoutException()));
    delivery.onComplete(
        ar ->
            context.runOnContext(
                v -> {
                  vertx.cancelTimer(timer);
                  if (ar.succeeded()) {
                    outcome.tryComplete(ar.result());
                  } else {
                    outcome.tryFail(ar.cause());
                  }
                }));
    return outcome.future();
  }

  private Future<DeliveryResult> deliver(OutboxMessage message) {
    Channel channel = channels.get(message.channel());
    try {
      Future<DeliveryResult> result = channel.deliver(message);
      return result == null
          ? Future.failedFuture(new IllegalStateException("channel returned no result"))
          : result.map(
              r -> r == null ? DeliveryResult.retryLater(null, "channel returned no result") : r);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Void> record(OutboxMessage message, DeliveryResult result) {
    Future<Boolean> recorded;
    if (result instanceof DeliveryResult.Delivered) {
      recorded =
          deliveredMarks
              .submit(message)
              .onSuccess(
                  ok -> {
                    if (ok) {
                      delivered.incrementAndGet();
                      LOG.debug(
                          "outbox message {} delivered on channel {} (attempt {})",
                          message.id(),
                          message.channel(),
                          message.attempt());
                    }
                  });
    } else if (result instanceof DeliveryResult.Failed f) {
      recorded = markFailed(message, Reasons.sanitise(f.reason(), message.payload()));
    } else if (result instanceof DeliveryResult.RetryLater r) {
      String reason = Reasons.sanitise(r.reason(), message.payload());
      if (message.attempt() >= options.maxAttempts()) {
        recorded =
            giveUp(
                message,
                Reasons.sanitise(
                    "gave up after " + message.attempt() + " attempts: " + reason, null));
      } else {
        Duration delay =
            r.notBefore() != null
                ? (r.notBefore().isNegative() ? Duration.ZERO : r.notBefore())
                : Backoff.delay(
                    message.attempt(),
                    options.initialBackoff(),
                    options.maxBackoff(),
                    () -> ThreadLocalRandom.current().nextDouble());
        recorded =
            store
                .markRetry(pool, message.id(), message.attempt(), delay, reason)
                .onSuccess(
                    ok -> {
                      if (ok) {
                        retried.incrementAndGet();
                        LOG.info(
                            "outbox message {} on channel {} will be retried in {} ms (attempt {}): {}",
                            message.id(),
                            message.channel(),
                            delay.toMillis(),
                            message.attempt(),
                            reason);
                      }
                    });
      }
    } else {
      throw new IllegalStateException("unknown delivery result " + result.getClass());
    }
    return settle(message, recorded);
  }

  /** Logs what recording an outcome ran into; the message's lease takes care of the rest. */
  private Future<Void> settle(OutboxMessage message, Future<Boolean> recorded) {
    return recorded.transform(
        ar -> {
          if (ar.failed()) {
            LOG.warn(
                "outcome of outbox message {} not recorded, it will be retried after its lease: {}",
                message.id(),
                ar.cause().toString());
          } else if (!ar.result()) {
            leasesLost.incrementAndGet();
            LOG.warn(
                "outbox message {} was re-claimed before its outcome was recorded (lease {} ms"
                    + " too short?); it may be delivered twice",
                message.id(),
                options.lease().toMillis());
          }
          return Future.succeededFuture();
        });
  }

  /**
   * Fails a message for good on the dispatcher's own decision, then tells its channel: once, since
   * only the claim that moves the row to failed does.
   */
  private Future<Boolean> giveUp(OutboxMessage message, String reason) {
    return markFailed(message, reason)
        .compose(
            failedNow ->
                !failedNow
                    ? Future.succeededFuture(false)
                    : tellChannel(message, reason).map(true));
  }

  private Future<Void> tellChannel(OutboxMessage message, String reason) {
    Channel channel = channels.get(message.channel());
    Future<Void> told;
    try {
      told = channel == null ? Future.succeededFuture() : channel.gaveUp(message, reason);
    } catch (RuntimeException e) {
      told = Future.failedFuture(e);
    }
    return told.recover(
        e -> {
          LOG.warn(
              "outbox message {} failed for good, but its channel {} could not record it: {}",
              message.id(),
              message.channel(),
              e.getClass().getSimpleName());
          return Future.succeededFuture();
        });
  }

  private Future<Boolean> markFailed(OutboxMessage message, String reason) {
    return store
        .markFailed(pool, message.id(), message.attempt(), reason)
        .onSuccess(
            ok -> {
              if (ok) {
                failed.incrementAndGet();
                LOG.warn(
                    "outbox message {} on channel {} failed permanently (attempt {}): {}",
                    message.id(),
                    message.channel(),
                    message.attempt(),
                    reason);
              }
            });
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            action.get().onComplete(promise);
          } catch (RuntimeException e) {
            promise.fail(e);
          }
        });
    return promise.future();
  }
}
