package uk.gov.islington.youthsafety.content.havens;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import uk.gov.islington.youthsafety.content.common.Cursor;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.Idempotency;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.MergePatch;
import uk.gov.islington.youthsafety.content.common.Page;
import uk.gov.islington.youthsafety.content.common.SyncToken;
import uk.gov.islington.youthsafety.content.hours.HoursJson;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/**
 * The rules of Safe Havens for the public and for editors: the nearest havens open now, the offline
 * bundle and its delta sync, one haven, and the editors' create, update, suspend and reinstate.
 * Query coordinates are used for the computation and nothing else: never stored, logged, or (with
 * the default in-memory index) even sent to PostgreSQL.
 */
public final class Havens {

  public static final int DEFAULT_RADIUS = 1500;
  public static final int MAX_RADIUS = 10_000;

  /** How many havens the fallback offers of each kind. */
  static final int FALLBACK_SIZE = 3;

  /** A haven with its distance from the query point and its state at the request time. */
  public record Found(Haven haven, double distanceMetres, OpeningHours.Status status) {}

  /**
   * Offered when nothing within the radius is open: the nearest open ones further away, and the
   * soonest to open.
   */
  public record Fallback(List<Found> nearestOpen, List<Found> opensSoon) {}

  /** The answer to "where is the nearest haven open now". */
  public record Nearby(
      List<Found> items, boolean openWithinRadius, Fallback fallback, Instant at, int radius) {}

  /** The offline bundle: everything ({@code full}) or what changed since a token. */
  public record Sync(
      SyncToken token,
      SyncToken since,
      boolean full,
      List<Haven> items,
      List<String> removed,
      HavenCatalogue.Snapshot snapshot) {}

  /** A created haven, or the first answer again for a replayed Idempotency-Key. */
  public record Written(Haven haven, boolean replayed) {}

  /** The caller's copy is out of date (If-Match did not match). */
  public static final class StaleVersion extends DomainException {
    public StaleVersion() {
      super("The haven was changed since you read it; fetch it again.");
    }
  }

  private final HavenStore store = new HavenStore();
  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;
  private final Idempotency idempotency;
  private final HavenCatalogue catalogue;
  private final String nearbyIndex;
  private final NearbySource source;

  public Havens(Vertx vertx, Pool pool, Clock clock, HavenCatalogue catalogue, String nearbyIndex) {
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
    this.idempotency = new Idempotency(clock);
    this.catalogue = catalogue;
    this.nearbyIndex = nearbyIndex;
    this.source =
        switch (nearbyIndex) {
          case "memory" -> NearbySource.memory();
          case "postgres" -> NearbySource.postgres(pool);
          default ->
              throw new IllegalArgumentException("HAVEN_NEARBY_INDEX must be memory or postgres");
        };
  }

  public String nearbyIndex() {
    return nearbyIndex;
  }

  public HavenCatalogue catalogue() {
    return catalogue;
  }

  // ---- public

  /**
   * Published havens within {@code radius} metres, nearest first, each with its state now; only
   * open ones when {@code openNow}. When none within the radius is open the answer carries a
   * fallback: the nearest open havens up to {@link #MAX_RADIUS}, and those nearby that open
   * soonest.
   */
  public Future<Nearby> nearby(double lat, double lon, int radius, boolean openNow, int limit) {
    Instant now = clock.instant();
    return catalogue
        .snapshot()
        .compose(
            snapshot -> {
              Collect c = new Collect(openNow, limit, now);
              // with openNow the index passes over closed havens itself: at night most are, and
              // only the open ones need sorting and a look
              NearbySource.Scan scan =
                  source.scan(snapshot, lat, lon, radius, limit * 4, openNow ? openAt(now) : null);
              return drain(scan, c)
                  .compose(
                      v -> {
                        if (c.anyOpen) {
                          return Future.succeededFuture(
                              new Nearby(c.items, true, null, now, radius));
                        }
                        return fallback(snapshot, lat, lon, radius, openNow ? null : c.seen, now)
                            .map(f -> new Nearby(c.items, false, f, now, radius));
                      });
            });
  }

  private static Predicate<Haven> openAt(Instant now) {
    return new NearbySource.OpenAt(now);
  }

  private static Predicate<Haven> closedAt(Instant now) {
    return h -> !h.statusAt(now).open();
  }

  /** Walks candidates until the page is full and an open haven has been seen (or none are left). */
  private static final class Collect {
    final boolean openNow;
    final int limit;
    final Instant now;
    final List<Found> items = new ArrayList<>();
    final List<Found> seen = new ArrayList<>();
    boolean anyOpen;

    Collect(boolean openNow, int limit, Instant now) {
      this.openNow = openNow;
      this.limit = limit;
      this.now = now;
    }

    /** False once nothing more is needed. */
    boolean offer(GeoGrid.Placed p) {
      OpeningHours.Status status = p.haven().statusAt(now);
      anyOpen |= status.open();
      boolean keepSeen = !status.open() && seen.size() < CLOSED_LOOKED_AT;
      boolean keepItem = items.size() < limit && (!openNow || status.open());
      if (keepSeen || keepItem) {
        // the exact distance only for havens that may be shown
        Found f = new Found(p.haven(), p.distanceMetres(), status);
        if (keepSeen) {
          seen.add(f);
        }
        if (keepItem) {
          items.add(f);
        }
      }
      return !(items.size() >= limit && anyOpen);
    }
  }

  /** Of how many nearest closed havens the fallback offers those that open soonest. */
  private static final int CLOSED_LOOKED_AT = 4 * FALLBACK_SIZE;

  private Future<Void> drain(NearbySource.Scan scan, Collect c) {
    return scan.next()
        .compose(
            page -> {
              if (page.isEmpty()) {
                return Future.succeededFuture();
              }
              for (GeoGrid.Placed p : page) {
                if (!c.offer(p)) {
                  return Future.succeededFuture();
                }
              }
              return drain(scan, c);
            });
  }

  /**
   * Looks outwards in rings (3 km, 6 km, 10 km) for the nearest open havens, so the usual case (one
   * open a little beyond the radius) does not scan 10 km of havens; and for the ones that open
   * soonest among the nearest closed havens within the radius ({@code closedNearby}, looked up here
   * when null), or within the ring searched when there are none.
   */
  private Future<Fallback> fallback(
      HavenCatalogue.Snapshot snapshot,
      double lat,
      double lon,
      int radius,
      List<Found> closedNearby,
      Instant now) {
    List<Integer> rings = new ArrayList<>();
    for (int r : new int[] {3_000, 6_000, MAX_RADIUS}) {
      if (r > radius) {
        rings.add(r);
      }
    }
    if (rings.isEmpty()) {
      rings.add(MAX_RADIUS);
    }
    return ring(snapshot, lat, lon, rings, 0, now)
        .compose(
            wide -> {
              Future<List<Found>> closed =
                  closedNearby != null
                      ? Future.succeededFuture(closedNearby)
                      : nearestClosed(snapshot, lat, lon, radius, now);
              return closed
                  .compose(
                      near ->
                          near.isEmpty()
                              ? nearestClosed(snapshot, lat, lon, wide.radius(), now)
                              : Future.succeededFuture(near))
                  .map(
                      candidates ->
                          new Fallback(
                              List.copyOf(wide.open().items),
                              candidates.stream()
                                  .filter(f -> f.status().opensAt() != null)
                                  .sorted(
                                      Comparator.comparing((Found f) -> f.status().opensAt())
                                          .thenComparingDouble(Found::distanceMetres))
                                  .limit(FALLBACK_SIZE)
                                  .toList()));
            });
  }

  /** The open havens a ring search found, and the radius it reached. */
  private record Ring(Collect open, int radius) {}

  private Future<Ring> ring(
      HavenCatalogue.Snapshot snapshot,
      double lat,
      double lon,
      List<Integer> rings,
      int i,
      Instant now) {
    Collect wide = new Collect(true, FALLBACK_SIZE, now);
    int radius = rings.get(i);
    return drain(source.scan(snapshot, lat, lon, radius, FALLBACK_SIZE, openAt(now)), wide)
        .compose(
            v ->
                wide.items.size() >= FALLBACK_SIZE || i == rings.size() - 1
                    ? Future.succeededFuture(new Ring(wide, radius))
                    : ring(snapshot, lat, lon, rings, i + 1, now));
  }

  private Future<List<Found>> nearestClosed(
      HavenCatalogue.Snapshot snapshot, double lat, double lon, int radius, Instant now) {
    List<Found> closed = new ArrayList<>(CLOSED_LOOKED_AT);
    return take(
            source.scan(snapshot, lat, lon, radius, CLOSED_LOOKED_AT, closedAt(now)), closed, now)
        .map(v -> closed);
  }

  /** The first candidates of a scan, up to the capacity {@link #CLOSED_LOOKED_AT}. */
  private Future<Void> take(NearbySource.Scan scan, List<Found> into, Instant now) {
    return scan.next()
        .compose(
            page -> {
              for (GeoGrid.Placed p : page) {
                if (into.size() == CLOSED_LOOKED_AT) {
                  break;
                }
                into.add(new Found(p.haven(), p.distanceMetres(), p.haven().statusAt(now)));
              }
              return page.isEmpty() || into.size() == CLOSED_LOOKED_AT
                  ? Future.succeededFuture()
                  : take(scan, into, now);
            });
  }

  /**
   * The offline bundle. Without {@code since}: every published haven. With it: the havens changed
   * after it and the ids withdrawn after it; a token from another database, or from a future this
   * instance cannot reach, gets the full set ({@code full} true) so the app can replace its copy.
   * {@code seen} is the position of the app's current copy (from If-None-Match), if known: another
   * instance may have served it, so this one catches up first rather than answer with older data.
   */
  public Future<Sync> sync(String since, SyncToken seen) {
    SyncToken from = since == null || since.isEmpty() ? null : SyncToken.decode(since, "since");
    SyncToken latest = from == null ? seen : seen == null || from.seq() >= seen.seq() ? from : seen;
    return snapshotAtLeast(latest)
        .map(
            s -> {
              SyncToken token = new SyncToken(s.epoch(), s.seq());
              if (from == null || !from.epoch().equals(s.epoch()) || from.seq() > s.seq()) {
                return new Sync(token, null, true, s.published(), List.of(), s);
              }
              HavenCatalogue.Delta d = s.since(from.seq());
              return new Sync(token, from, false, d.items(), d.removed(), s);
            });
  }

  /**
   * The current snapshot, caught up first when the caller has seen a later one (another instance).
   */
  public Future<HavenCatalogue.Snapshot> snapshotAtLeast(SyncToken seen) {
    return SyncToken.atLeast(seen, catalogue.snapshot(), catalogue::refresh);
  }

  /** One haven; suspended ones only for editors. */
  public Future<Haven> get(String id, boolean editor) {
    return store
        .get(pool, id, false)
        .map(found -> found.filter(h -> h.published() || editor).orElseThrow(Havens::notFound));
  }

  private static DomainException.NotFound notFound() {
    return new DomainException.NotFound("There is no Safe Haven with this id.");
  }

  /**
   * Changes one haven in a transaction that holds its row (404 when there is none), then waits
   * until this instance's catalogue has the change.
   */
  private Future<Haven> change(String id, BiFunction<SqlClient, Haven, Future<Haven>> change) {
    return pool.withTransaction(
            tx ->
                store
                    .get(tx, id, true)
                    .map(found -> found.orElseThrow(Havens::notFound))
                    .compose(current -> change.apply(tx, current)))
        .compose(h -> caughtUp(new Written(h, false)))
        .map(Written::haven);
  }

  // ---- editors

  public Future<Written> create(JsonObject body, String idempotencyKey, String by) {
    Instant now = clock.instant();
    HavenInput.Draft draft = HavenInput.haven(body, today(now));
    String id = Ids.haven();
    Idempotency.Claim claim = Idempotency.Claim.ofBody("createHaven", idempotencyKey, body, id);
    return idempotency
        .once(
            pool,
            claim,
            tx -> store.insert(tx, id, draft, false, null, now, by),
            (tx, first) -> store.get(tx, first, false).map(Optional::orElseThrow),
            Written::new)
        .compose(this::caughtUp);
  }

  /**
   * Applies a JSON merge patch (RFC 7386: objects merge, arrays and values replace, null removes)
   * to the haven and checks the result as a whole. {@code expectedSeq} (from If-Match) guards
   * against overwriting someone else's change.
   */
  public Future<Haven> update(String id, JsonObject patch, Long expectedSeq, String by) {
    Instant now = clock.instant();
    return change(
        id,
        (tx, current) -> {
          if (expectedSeq != null && expectedSeq != current.changeSeq()) {
            throw new StaleVersion();
          }
          JsonObject merged = MergePatch.apply(inputOf(current), patch);
          HavenInput.Draft draft = HavenInput.haven(merged, today(now));
          return store.update(tx, id, draft, now, by);
        });
  }

  public Future<Haven> suspend(String id, String reason, String by) {
    if (reason == null || reason.isBlank()) {
      return Future.failedFuture(InvalidInput.of("reason", "is required"));
    }
    return setPublished(id, false, reason.strip(), by);
  }

  public Future<Haven> reinstate(String id, String by) {
    return setPublished(id, true, null, by);
  }

  private Future<Haven> setPublished(String id, boolean published, String reason, String by) {
    Instant now = clock.instant();
    // already in that state: nothing to change, and no change number taken
    return change(
        id,
        (tx, current) ->
            current.published() == published
                ? Future.succeededFuture(current)
                : store.setStatus(tx, id, published, reason, now, by));
  }

  /** Every haven for the editors' tools: filter by status, search by name or postcode prefix. */
  public Future<Page<Haven>> forEditors(String status, String q, int limit, String cursor) {
    return forEditors(new EditorQuery(status, q, null, null, false, false), limit, cursor);
  }

  /**
   * What an editor asks of the list of havens: {@code status} published or suspended (null: both);
   * {@code q} text in the name, or the start of the postcode (as typed: % and _ are not wildcards);
   * {@code category}; {@code verifiedBefore} only those last verified before that day; {@code
   * openNow} only those open at this moment; {@code byVerified} oldest verification first instead
   * of by name.
   */
  public record EditorQuery(
      String status,
      String q,
      String category,
      LocalDate verifiedBefore,
      boolean openNow,
      boolean byVerified) {}

  /**
   * One page of havens for editors, in name order (or oldest verification first). "Open now" is
   * decided by {@link OpeningHours}, not SQL, so the rows are read in batches until the page is
   * full.
   */
  public Future<Page<Haven>> forEditors(EditorQuery query, int limit, String cursor) {
    JsonObject after = Cursor.decode(cursor);
    HavenStore.After position =
        after == null
            ? HavenStore.After.FIRST
            : new HavenStore.After(Cursor.stringAt(after, "k"), Cursor.stringAt(after, "i"));
    if (query.byVerified() && position.key() != null) {
      try {
        LocalDate.parse(position.key());
      } catch (java.time.format.DateTimeParseException e) {
        throw InvalidInput.of("cursor", "is not a cursor this API issued");
      }
    }
    String q = query.q() == null || query.q().isBlank() ? null : query.q().strip();
    Instant now = clock.instant();
    List<Haven> found = new ArrayList<>();
    return fill(query, q, position, limit + 1, now, found)
        .map(v -> Page.of(found, limit, last -> position(query, last)));
  }

  /** Where a page of the editors' list ends: the key it is ordered by, then the id. */
  private static JsonObject position(EditorQuery query, Haven last) {
    String key = query.byVerified() ? last.lastVerifiedOn().toString() : last.name();
    return new JsonObject().put("k", key).put("i", last.id());
  }

  private Future<Void> fill(
      EditorQuery query,
      String q,
      HavenStore.After after,
      int wanted,
      Instant now,
      List<Haven> into) {
    int batch = query.openNow() ? Math.max(wanted * 2, 100) : wanted;
    return store
        .forEditors(
            pool,
            query.status(),
            q,
            query.category(),
            query.verifiedBefore(),
            query.byVerified(),
            after,
            batch)
        .compose(
            rows -> {
              for (Haven h : rows) {
                if (!query.openNow() || h.statusAt(now).open()) {
                  into.add(h);
                  if (into.size() == wanted) {
                    return Future.succeededFuture();
                  }
                }
              }
              if (rows.size() < batch) {
                return Future.succeededFuture();
              }
              Haven last = rows.get(rows.size() - 1);
              return fill(
                  query,
                  q,
                  new HavenStore.After(
                      query.byVerified() ? last.lastVerifiedOn().toString() : last.name(),
                      last.id()),
                  wanted,
                  now,
                  into);
            });
  }

  /** After a commit: this instance's catalogue has it before we answer (read your own writes). */
  private Future<Written> caughtUp(Written w) {
    return catalogue.refresh().map(s -> w).otherwise(w);
  }

  // ---- helpers

  LocalDate today(Instant now) {
    return LocalDate.ofInstant(now, OpeningHours.LONDON);
  }

  /** A haven as an editor would write it, for merging a patch onto. */
  static JsonObject inputOf(Haven h) {
    JsonObject o =
        new JsonObject()
            .put("name", h.name())
            .put("address", h.address())
            .put("postcode", h.postcode())
            .put("location", new JsonObject().put("lat", h.lat()).put("lon", h.lon()))
            .put("category", h.category())
            .put("facilities", new JsonArray(new ArrayList<>(h.facilities())))
            .put("openingHours", HoursJson.hours(h.hours()))
            .put("lastVerifiedOn", h.lastVerifiedOn().toString());
    if (h.phone() != null) {
      o.put("phone", h.phone());
    }
    if (h.notes() != null) {
      o.put("notes", h.notes());
    }
    if (h.hours().closure() != null) {
      o.put("temporaryClosure", HoursJson.closure(h.hours().closure()));
    }
    return o;
  }
}
