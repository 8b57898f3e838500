package uk.gov.islington.youthsafety.content.directory;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.content.common.SingleFlight;
import uk.gov.islington.youthsafety.content.common.SyncToken;

/**
 * The whole directory, in memory, kept fresh from PostgreSQL: every public answer is computed from
 * it without a query.
 *
 * <p>PostgreSQL stays the only source of truth. Every writing transaction takes the next number of
 * the directory's change sequence and NOTIFYs {@value SupportDirectoryStore#CHANNEL} on commit
 * (V60). Every instance LISTENs ({@link PgListener}) and, on a notification, reads the directory
 * again: it is a few hundred rows at most, so one statement that also reads the sequence position
 * is simpler than a delta and just as cheap. After every (re)connect and on a periodic timer it
 * reads again too, so a lost notification delays a change by at most that period. Each read builds
 * a new immutable {@link Snapshot} and swaps it in atomically: readers never lock and never see
 * half a change.
 */
public final class SupportCatalogue {

  private static final Logger LOG = LoggerFactory.getLogger(SupportCatalogue.class);

  /**
   * Rendered answers kept per snapshot; beyond this the cache starts again empty (a render is
   * cheap).
   */
  private static final int MAX_ANSWERS = 2_000;

  /** One consistent view of the directory at change number {@link #seq()}. */
  public static final class Snapshot extends SyncToken.Position {
    private final Map<String, SupportService> byId;
    private final List<SupportService> published;
    private final Map<String, Object> answers = new ConcurrentHashMap<>();

    Snapshot(String epoch, long seq, List<SupportService> all) {
      super(epoch, seq);
      Map<String, SupportService> map = new HashMap<>();
      all.forEach(s -> map.put(s.id(), s));
      this.byId = Map.copyOf(map);
      this.published =
          all.stream()
              .filter(SupportService::published)
              .sorted(Comparator.comparingInt(SupportService::sortOrder))
              .toList();
    }

    /** Any service, retired ones included. */
    public SupportService get(String id) {
      return byId.get(id);
    }

    /** Published services in the directory's order. */
    public List<SupportService> published() {
      return published;
    }

    /** Every service changed after {@code since}, in the directory's order (retired ones too). */
    public List<SupportService> changedSince(long since) {
      List<SupportService> out = new ArrayList<>();
      for (SupportService s : byId.values()) {
        if (s.changeSeq() > since) {
          out.add(s);
        }
      }
      out.sort(Comparator.comparingInt(SupportService::sortOrder));
      return out;
    }

    /** An answer derived from this snapshot and cached with it (e.g. rendered bytes), or null. */
    @SuppressWarnings("unchecked")
    public <T> T answer(String key) {
      return (T) answers.get(key);
    }

    public void keepAnswer(String key, Object value) {
      if (answers.size() >= MAX_ANSWERS) {
        answers.clear();
      }
      answers.put(key, value);
    }
  }

  private final Pool pool;
  private final PgListener listener;
  private final Promise<Void> ready = Promise.promise();
  private volatile Snapshot current;
  private final SingleFlight<Snapshot> loads = new SingleFlight<>(fromScratch -> load());

  public SupportCatalogue(Vertx vertx, Pool pool, PgConnectOptions listenOptions, Duration resync) {
    this.pool = pool;
    this.listener =
        PgListener.builder("support directory")
            .channel(SupportDirectoryStore.CHANNEL, payload -> refresh())
            .reload(this::refresh)
            .every(resync, this::refresh)
            .build(vertx, listenOptions);
  }

  /** Keeps this catalogue true; the app starts and stops it with the other listeners. */
  public PgListener listener() {
    return listener;
  }

  /**
   * The current snapshot, once the first load is done (waits up to 5 s for it, then fails: 503).
   */
  public Future<Snapshot> snapshot() {
    if (ready.future().succeeded()) {
      return Future.succeededFuture(current);
    }
    return ready.future().timeout(5, TimeUnit.SECONDS).map(v -> current);
  }

  /**
   * Reads the directory again. The answer reflects at least every change committed before the call,
   * so a writer that awaits it reads its own write on this instance.
   */
  public Future<Snapshot> refresh() {
    return loads.run(false);
  }

  private Future<Snapshot> load() {
    return SupportDirectoryStore.all(pool)
        .map(
            all -> {
              Snapshot before = current;
              // unchanged: keep the snapshot, and with it every answer already rendered from it
              if (before != null
                  && before.seq() == all.seq()
                  && before.epoch().equals(all.epoch())) {
                return before;
              }
              Snapshot s = new Snapshot(all.epoch(), all.seq(), all.services());
              current = s;
              if (ready.tryComplete()) {
                LOG.info(
                    "support directory loaded: {} published at change {}",
                    s.published().size(),
                    s.seq());
              }
              return s;
            })
        .onFailure(
            e -> LOG.warn("support directory refresh failed: {}", e.getClass().getSimpleName()));
  }
}
