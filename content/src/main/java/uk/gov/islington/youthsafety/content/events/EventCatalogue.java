package uk.gov.islington.youthsafety.content.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import uk.gov.islington.youthsafety.content.common.PgListener;

/**
 * This instance's in-memory copy of all events, with their occurrences expanded over a horizon
 * around now, kept true by PostgreSQL LISTEN/NOTIFY.
 *
 * <p>Why: listing is the hot path (every app start asks "what's on this week"), the catalogue of a
 * borough's events is small, and expanding RRULEs costs CPU. So each instance holds one snapshot
 * and every listing, "near me" query and feed is computed from it without touching PostgreSQL.
 *
 * <p>Staying true with several instances: every change is announced with {@code pg_notify} in the
 * transaction that makes it, so each instance hears of it at commit and drops its snapshot ({@link
 * #invalidate}); the instance that made the change drops its own at once, so an editor reads their
 * own write. A snapshot is trusted only while its {@link PgListener} is fresh: while the LISTEN
 * connection is down (and until it listens again, which also invalidates), every request loads
 * afresh. A maximum age bounds staleness even if a notification were ever lost.
 *
 * <p>{@link Snapshot#version()} changes whenever the data may have changed, so callers can cache
 * answers derived from a snapshot under its version.
 */
public final class EventCatalogue {

  /** Occurrences are expanded in advance from this long before the snapshot was built ... */
  static final Duration HORIZON_PAST = Duration.ofDays(35);

  /** ... to this long after it; windows outside are expanded on demand. */
  static final Duration HORIZON_FUTURE = Duration.ofDays(400);

  private final Vertx vertx;
  private final Pool pool;
  private final EventsStore store;
  private final Clock clock;
  private final Duration maxAge;
  private final boolean cacheEnabled;

  private final AtomicLong generation = new AtomicLong(1);
  private volatile Snapshot current;
  // guarded by this
  private Future<Snapshot> loading;
  private long loadingGeneration;
  // null when nothing may be cached: then every request loads afresh
  private final PgListener listener;

  EventCatalogue(
      Vertx vertx,
      Pool pool,
      EventsStore store,
      Clock clock,
      Duration maxAge,
      boolean cacheEnabled,
      PgConnectOptions listenOptions) {
    this.vertx = vertx;
    this.pool = pool;
    this.store = store;
    this.clock = clock;
    this.maxAge = maxAge;
    this.cacheEnabled = cacheEnabled && listenOptions != null;
    this.listener =
        !this.cacheEnabled
            ? null
            : PgListener.builder("events cache")
                .channel(EventsStore.CHANNEL, payload -> invalidate())
                // whatever happened while nobody listened is unknown: the next request loads
                // everything
                .reload(
                    () -> {
                      invalidate();
                      return Future.succeededFuture();
                    })
                .build(vertx, listenOptions);
  }

  /** Keeps the cache true (none when the cache is off); the app starts and stops it. */
  public Optional<PgListener> listener() {
    return Optional.ofNullable(listener);
  }

  /**
   * All events and their occurrences over the horizon.
   *
   * @param version changes whenever the events may have changed (never reused)
   * @param cacheable whether answers derived from it may be cached under {@code version}
   */
  public record Snapshot(
      long version,
      boolean cacheable,
      Instant builtAt,
      List<Event> events,
      Map<String, Event> byId,
      Instant horizonStart,
      Instant horizonEnd,
      List<Occurrence> occurrences,
      java.time.Duration longest) {

    boolean covers(Instant from, Instant to) {
      return !from.isBefore(horizonStart) && !to.isAfter(horizonEnd);
    }

    /**
     * Occurrences overlapping {@code [from, to)}, in order (the window must be {@link #covers
     * covered}).
     */
    List<Occurrence> between(Instant from, Instant to) {
      Instant earliestStart = from.minus(longest);
      int lo = 0;
      int hi = occurrences.size();
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (occurrences.get(mid).startsAt().toInstant().isBefore(earliestStart)) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      List<Occurrence> out = new ArrayList<>();
      for (int i = lo; i < occurrences.size(); i++) {
        Occurrence o = occurrences.get(i);
        if (!o.startsAt().toInstant().isBefore(to)) {
          break;
        }
        if (o.endsAt().toInstant().isAfter(from)) {
          out.add(o);
        }
      }
      return out;
    }
  }

  /** The current snapshot, loading one if there is none, it is stale, or it cannot be trusted. */
  public Future<Snapshot> snapshot() {
    Snapshot s = current;
    boolean trusted = trusted();
    if (s != null && trusted && s.version() == generation.get()) {
      if (Duration.between(s.builtAt(), clock.instant()).abs().compareTo(maxAge) <= 0) {
        return Future.succeededFuture(s);
      }
      invalidate();
    }
    synchronized (this) {
      long gen = generation.get();
      if (loading != null && loadingGeneration == gen) {
        return loading;
      }
      Future<Snapshot> f = load(gen, trusted);
      loading = f;
      loadingGeneration = gen;
      f.onComplete(
          ar -> {
            synchronized (this) {
              if (loading == f) {
                loading = null;
              }
            }
            if (ar.succeeded() && ar.result().cacheable() && generation.get() == gen) {
              current = ar.result();
            }
          });
      return f;
    }
  }

  private Future<Snapshot> load(long gen, boolean trusted) {
    Instant now = clock.instant();
    return store
        .all(pool)
        .compose(
            events ->
                vertx.executeBlocking(
                    () -> build(gen, trusted && cacheEnabled, now, events), false));
  }

  static Snapshot build(long version, boolean cacheable, Instant now, List<Event> events) {
    Instant from = now.minus(HORIZON_PAST);
    Instant to = now.plus(HORIZON_FUTURE);
    List<Occurrence> occurrences = new ArrayList<>();
    Map<String, Event> byId = new LinkedHashMap<>();
    Duration longest = Duration.ZERO;
    for (Event e : events) {
      byId.put(e.id(), e);
      if (e.duration().compareTo(longest) > 0) {
        longest = e.duration();
      }
      occurrences.addAll(Occurrence.of(e, from, to));
    }
    occurrences.sort(Occurrence.ORDER);
    return new Snapshot(
        version,
        cacheable,
        now,
        List.copyOf(events),
        Collections.unmodifiableMap(byId),
        from,
        to,
        List.copyOf(occurrences),
        longest);
  }

  /** Answers cached under another version are stale from now on. */
  public void invalidate() {
    generation.incrementAndGet();
    current = null;
  }

  /**
   * The version under which an answer may be served from a cache right now, or -1 when none may.
   */
  public long cacheVersion() {
    Snapshot s = current;
    return s != null
            && s.cacheable()
            && trusted()
            && s.version() == generation.get()
            && Duration.between(s.builtAt(), clock.instant()).abs().compareTo(maxAge) <= 0
        ? s.version()
        : -1;
  }

  private boolean trusted() {
    return listener != null && listener.fresh();
  }

  /** True while answers may be cached (for the readiness of the cache in tests and metrics). */
  public boolean listening() {
    return trusted();
  }
}
