package uk.gov.islington.youthsafety.content.havens;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.content.common.SingleFlight;
import uk.gov.islington.youthsafety.content.common.SyncToken;

/**
 * Every haven, in memory, kept fresh from PostgreSQL: the in-memory index behind findNearbyHavens
 * and the offline bundle.
 *
 * <p>PostgreSQL stays the only source of truth. Each write transaction takes the next number of the
 * havens' change sequence and NOTIFYs {@value #CHANNEL} on commit (triggers in V10). Every instance
 * LISTENs ({@link PgListener}) and, on a notification, reads only the rows whose number is above
 * the last one it holds; because writers take numbers in commit order, "above n" misses nothing. A
 * periodic timer catches up the same way, so a lost notification delays a change by at most that
 * period; after every (re)connect it reloads everything. Each refresh builds a new immutable {@link
 * Snapshot} off the event loop and swaps it in atomically: readers never lock and never see half a
 * change.
 */
public final class HavenCatalogue {

  public static final String CHANNEL = "content_havens";
  private static final Logger LOG = LoggerFactory.getLogger(HavenCatalogue.class);
  private static final int BATCH = 5_000;

  /** One consistent view of all havens at change number {@link #seq()}. */
  public static final class Snapshot extends SyncToken.Position {
    private final Map<String, Haven> byId;
    private final Haven[] bySeq;
    private final List<HavenStore.Tombstone> tombstones;
    private final GeoGrid grid;
    private final Map<String, Object> memo = new ConcurrentHashMap<>();

    Snapshot(
        String epoch, long seq, Map<String, Haven> byId, List<HavenStore.Tombstone> tombstones) {
      super(epoch, seq);
      this.byId = byId;
      this.bySeq = byId.values().toArray(new Haven[0]);
      Arrays.sort(bySeq, Comparator.comparingLong(Haven::changeSeq).thenComparing(Haven::id));
      this.tombstones = tombstones;
      this.grid = new GeoGrid(byId.values().stream().filter(Haven::published).toList());
    }

    public int publishedCount() {
      return grid.size();
    }

    public Haven get(String id) {
      return byId.get(id);
    }

    /** Published havens, ordered by id (a stable order, so equal sets encode to equal bytes). */
    public List<Haven> published() {
      return memo(
          "published",
          s ->
              byId.values().stream()
                  .filter(Haven::published)
                  .sorted(Comparator.comparing(Haven::id))
                  .toList());
    }

    /** What changed after {@code since}: havens now published, and ids no longer published. */
    public Delta since(long since) {
      int from = firstAfter(since);
      List<Haven> items = new ArrayList<>();
      List<String> removed = new ArrayList<>();
      for (int i = from; i < bySeq.length; i++) {
        Haven h = bySeq[i];
        if (h.published()) {
          items.add(h);
        } else {
          removed.add(h.id());
        }
      }
      for (HavenStore.Tombstone t : tombstones) {
        Haven now = byId.get(t.id());
        if (t.changeSeq() > since && (now == null || now.changeSeq() < t.changeSeq())) {
          removed.add(t.id());
        }
      }
      items.sort(Comparator.comparing(Haven::id));
      removed.sort(null);
      return new Delta(items, removed);
    }

    private int firstAfter(long since) {
      int lo = 0;
      int hi = bySeq.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (bySeq[mid].changeSeq() <= since) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    List<GeoGrid.Placed> within(double lat, double lon, double radius, Predicate<Haven> keep) {
      return grid.within(lat, lon, radius, keep);
    }

    /** A value derived from this snapshot, computed once (e.g. the encoded offline bundle). */
    @SuppressWarnings("unchecked")
    public <T> T memo(String key, Function<Snapshot, T> compute) {
      return (T) memo.computeIfAbsent(key, k -> compute.apply(this));
    }
  }

  /** Havens changed and ids withdrawn after a sync token. */
  public record Delta(List<Haven> items, List<String> removed) {}

  private final HavenStore store = new HavenStore();
  private final Vertx vertx;
  private final Pool pool;
  private final PgListener listener;
  private final Promise<Void> ready = Promise.promise();
  private volatile Snapshot current;
  // full: from nothing, not from what is held
  private final SingleFlight<Snapshot> loads = new SingleFlight<>(this::load);

  public HavenCatalogue(Vertx vertx, Pool pool, PgConnectOptions listenOptions, Duration resync) {
    this.vertx = vertx;
    this.pool = pool;
    this.listener =
        PgListener.builder("haven catalogue")
            .channel(CHANNEL, payload -> refresh())
            .reload(() -> reload(true))
            .every(resync, this::refresh)
            .build(vertx, listenOptions);
  }

  /** Keeps this catalogue true; the app starts and stops it with the other listeners. */
  public PgListener listener() {
    return listener;
  }

  /**
   * Loads everything, then listens. Until the first load succeeds it is retried with backoff, and
   * requests wait for it briefly, then answer 503 (see {@link #snapshot()}).
   */
  public Future<Void> start() {
    return listener.start();
  }

  public Future<Void> close() {
    ready.tryFail("closed");
    return listener.stop();
  }

  public Future<Void> ready() {
    return ready.future();
  }

  /**
   * The current snapshot, once the first load is done (waits up to 5 s for it, then fails with a
   * timeout: 503).
   */
  public Future<Snapshot> snapshot() {
    if (ready.future().succeeded()) {
      return Future.succeededFuture(current);
    }
    return ready.future().timeout(5, TimeUnit.SECONDS).map(v -> current);
  }

  /**
   * Catches up with PostgreSQL. The answer reflects at least every change committed before the
   * call, so a writer that awaits it reads its own write on this instance.
   */
  public Future<Snapshot> refresh() {
    return reload(false);
  }

  private Future<Snapshot> reload(boolean full) {
    return loads.run(full);
  }

  private Future<Snapshot> load(boolean full) {
    Snapshot held = current;
    if (!full && held != null) {
      return catchUp(held, false);
    }
    return pool.query("SELECT epoch FROM content.haven_sync")
        .execute()
        .map(rows -> rows.iterator().next().getString(0))
        .compose(epoch -> catchUp(new Snapshot(epoch, 0, Map.of(), List.of()), true))
        .onSuccess(
            s -> {
              if (ready.tryComplete()) {
                LOG.info(
                    "haven catalogue loaded: {} published at change {}",
                    s.publishedCount(),
                    s.seq());
              }
            });
  }

  private Future<Snapshot> catchUp(Snapshot base, boolean rebuild) {
    List<Haven> changed = new ArrayList<>();
    return loadChanged(base.seq(), null, changed)
        .compose(v -> store.tombstonesSince(pool, base.seq()))
        .compose(
            tombstones -> {
              if (!rebuild && changed.isEmpty() && tombstones.isEmpty()) {
                return Future.succeededFuture(current);
              }
              return vertx
                  .executeBlocking(() -> merge(base, changed, tombstones), false)
                  .map(
                      s -> {
                        current = s;
                        return s;
                      });
            })
        .onFailure(
            e -> LOG.warn("haven catalogue refresh failed: {}", e.getClass().getSimpleName()));
  }

  private Future<Void> loadChanged(long seq, String afterId, List<Haven> into) {
    return store
        .changedSince(pool, seq, afterId, BATCH)
        .compose(
            rows -> {
              into.addAll(rows);
              if (rows.size() < BATCH) {
                return Future.succeededFuture();
              }
              Haven last = rows.get(rows.size() - 1);
              return loadChanged(last.changeSeq(), last.id(), into);
            });
  }

  private static Snapshot merge(
      Snapshot base, List<Haven> changed, List<HavenStore.Tombstone> tombstones) {
    Map<String, Haven> byId = new HashMap<>(base.byId);
    long seq = base.seq();
    for (Haven h : changed) {
      Haven before = byId.get(h.id());
      if (before == null || before.changeSeq() <= h.changeSeq()) {
        byId.put(h.id(), h);
      }
      seq = Math.max(seq, h.changeSeq());
    }
    Map<String, HavenStore.Tombstone> graves = new HashMap<>();
    base.tombstones.forEach(t -> graves.put(t.id(), t));
    for (HavenStore.Tombstone t : tombstones) {
      graves.put(t.id(), t);
      Haven h = byId.get(t.id());
      if (h != null && h.changeSeq() < t.changeSeq()) {
        byId.remove(t.id());
      }
      seq = Math.max(seq, t.changeSeq());
    }
    List<HavenStore.Tombstone> allGraves = new ArrayList<>(graves.values());
    allGraves.sort(Comparator.comparingLong(HavenStore.Tombstone::changeSeq));
    return new Snapshot(base.epoch(), seq, byId, List.copyOf(allGraves));
  }
}
