package uk.gov.islington.youthsafety.content.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import uk.gov.islington.youthsafety.common.Digests;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.Geo;
import uk.gov.islington.youthsafety.content.common.Idempotency;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.Page;

/**
 * The rules of events: editing (every change bumps SEQUENCE, nothing subscribers have seen is
 * deleted), listing occurrences and the calendar feed, both computed from the {@link
 * EventCatalogue}.
 */
public final class Events {

  /** Settings of the feature (docs/operations.md, "Events"). */
  public record Settings(
      EventQuery.Windows windows,
      Duration feedPast,
      CalendarFeed.Options feed,
      Duration cacheMaxAge,
      boolean cacheEnabled) {

    public static Settings defaults() {
      return new Settings(
          new EventQuery.Windows(Duration.ofDays(30), Duration.ofDays(366)),
          Duration.ofDays(365),
          new CalendarFeed.Options(
              "youth-safety.islington.gov.uk", "Islington youth events", Duration.ofHours(6)),
          Duration.ofMinutes(5),
          true);
    }
  }

  /**
   * An answer computed from the catalogue, with the version it may be cached under (-1: not at
   * all).
   */
  public record Versioned<T>(T value, long version) {}

  /** The result of createEvent: the event, and whether this was a replay of an earlier request. */
  public record Created(Event event, boolean replayed) {}

  /** The precondition of an edit (If-Match) no longer holds: someone else changed the event. */
  public static final class StaleEdit extends DomainException {
    public StaleEdit(String message) {
      super(message);
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final EventsStore store;
  private final Clock clock;
  private final Idempotency idempotency;
  private final Settings settings;
  private final EventCatalogue catalogue;

  /**
   * @param listenOptions where the catalogue LISTENs for changes; null for no cache at all
   */
  public Events(
      Vertx vertx, Pool pool, PgConnectOptions listenOptions, Clock clock, Settings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.store = new EventsStore();
    this.clock = clock;
    this.idempotency = new Idempotency(clock);
    this.settings = settings;
    this.catalogue =
        new EventCatalogue(
            vertx,
            pool,
            store,
            clock,
            settings.cacheMaxAge(),
            settings.cacheEnabled(),
            listenOptions);
  }

  public Settings settings() {
    return settings;
  }

  public EventCatalogue catalogue() {
    return catalogue;
  }

  // ---- editing

  /**
   * Creates an event once per {@code idempotencyKey} (per staff member): a retry with the same body
   * answers the event created first; the same key with another body is refused (422).
   */
  public Future<Created> create(String staffId, String idempotencyKey, JsonObject body) {
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Event event;
    try {
      event = EventInput.create(UUID.randomUUID().toString(), body, now, false);
    } catch (InvalidInput e) {
      return Future.failedFuture(e);
    }
    Idempotency.Claim claim =
        Idempotency.Claim.of(
            "createEvent",
            Idempotency.keyHash(staffId, idempotencyKey),
            requestHash(body),
            event.id());
    return idempotency
        .once(
            pool,
            claim,
            tx -> store.insert(tx, event).map(event),
            (tx, first) -> store.lock(tx, first),
            Created::new)
        .onSuccess(c -> catalogue.invalidate());
  }

  /** Applies a PATCH; bumps SEQUENCE when anything changed. */
  public Future<Event> update(String id, JsonObject body, Integer expectedSequence) {
    return edit(id, expectedSequence, current -> EventInput.patch(current, body));
  }

  /**
   * Cancels the event, or with {@code occurrence} one date of a series. Idempotent: cancelling
   * again changes nothing. The event stays, listed and in the feed as cancelled.
   */
  public Future<Event> cancel(
      String id, String occurrence, String reason, Integer expectedSequence) {
    String why = reason == null || reason.isBlank() ? null : reason.trim();
    if (why != null && why.length() > 500) {
      return Future.failedFuture(InvalidInput.of("reason", "must be at most 500 characters"));
    }
    return edit(
        id,
        expectedSequence,
        current -> {
          if (occurrence == null) {
            if (current.status() == Event.Status.CANCELLED) {
              return current;
            }
            return current.withCancellations(
                Event.Status.CANCELLED, null, why, current.cancelledOccurrences());
          }
          LocalDate date = EventInput.occurrenceDate(current, occurrence.trim(), "occurrence");
          if (current.cancellationOn(date) != null) {
            return current;
          }
          List<Event.CancelledOccurrence> list = new ArrayList<>(current.cancelledOccurrences());
          list.add(new Event.CancelledOccurrence(date, why, clock.instant()));
          list.sort(java.util.Comparator.comparing(Event.CancelledOccurrence::date));
          return current.withCancellations(
              current.status(), current.previousStartsAt(), current.cancellationReason(), list);
        });
  }

  private Future<Event> edit(
      String id, Integer expectedSequence, java.util.function.Function<Event, Event> change) {
    return pool.withTransaction(
            tx ->
                store
                    .lock(tx, id)
                    .compose(
                        current -> {
                          if (current == null) {
                            return Future.failedFuture(
                                new DomainException.NotFound("no event " + id));
                          }
                          if (expectedSequence != null && expectedSequence != current.sequence()) {
                            return Future.failedFuture(
                                new StaleEdit(
                                    "the event has changed since you read it (it is now at sequence "
                                        + current.sequence()
                                        + "); read it again"));
                          }
                          Event changed;
                          try {
                            changed = change.apply(current);
                          } catch (DomainException e) {
                            return Future.failedFuture(e);
                          }
                          if (changed.sameContentAs(current)) {
                            return Future.succeededFuture(current);
                          }
                          Event next =
                              changed.withBookkeeping(
                                  current.sequence() + 1,
                                  current.createdAt(),
                                  later(current.updatedAt()));
                          return store.update(tx, next).map(v -> next);
                        }))
        .onSuccess(e -> catalogue.invalidate());
  }

  /** Now, but never at or before the last change: DTSTAMP/LAST-MODIFIED must move forward. */
  private Instant later(Instant previous) {
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    return now.isAfter(previous) ? now : previous.plusSeconds(1);
  }

  // ---- previews for editors

  /** How far ahead a preview of the next dates looks. */
  private static final Duration PREVIEW_AHEAD = Duration.ofDays(366);

  /**
   * The next dates (from the start of today, London time) of the event a createEvent body
   * describes, without storing anything: the same checks as {@link #create}.
   *
   * @throws InvalidInput naming the body's fields, as create would
   */
  public List<Occurrence> preview(JsonObject body, int count) {
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    return upcoming(EventInput.create("preview", body, now, false), count);
  }

  /**
   * The next dates of {@code current} with an updateEvent body applied, without storing anything.
   *
   * @throws InvalidInput naming the body's fields, as update would
   */
  public List<Occurrence> preview(Event current, JsonObject body, int count) {
    return upcoming(EventInput.patch(current, body), count);
  }

  /** The next {@code count} dates of the event from the start of today (London), cancelled too. */
  public List<Occurrence> upcoming(Event event, int count) {
    Instant from =
        LocalDate.now(clock.withZone(Recurrence.LONDON))
            .atStartOfDay(Recurrence.LONDON)
            .toInstant();
    List<Occurrence> all = Occurrence.of(event, from, from.plus(PREVIEW_AHEAD));
    return List.copyOf(all.subList(0, Math.min(count, all.size())));
  }

  /** Every event, for the editors' list: the catalogue's, in no particular order. */
  public Future<List<Event>> all() {
    return catalogue.snapshot().map(s -> List.copyOf(s.events()));
  }

  // ---- reading

  public Future<Versioned<Event>> get(String id) {
    return catalogue
        .snapshot()
        .compose(
            s -> {
              Event e = s.byId().get(id);
              return e == null
                  ? Future.failedFuture(new DomainException.NotFound("no event " + id))
                  : Future.succeededFuture(new Versioned<>(e, s.cacheable() ? s.version() : -1));
            });
  }

  /** The occurrences in the window that pass the filters, in time order, one page at a time. */
  public Future<Versioned<Page<Occurrence>>> list(EventQuery q) {
    return catalogue
        .snapshot()
        .compose(
            s -> {
              long version = s.cacheable() && !q.near() ? s.version() : -1;
              if (s.covers(q.from(), q.to())) {
                return Future.succeededFuture(
                    new Versioned<>(page(s.between(q.from(), q.to()), q), version));
              }
              // outside the expanded horizon (e.g. last year): expand the events that can touch it,
              // off the event loop
              return vertx.executeBlocking(
                  () -> {
                    List<Occurrence> all = new ArrayList<>();
                    for (Event e : s.events()) {
                      all.addAll(Occurrence.of(e, q.from(), q.to()));
                    }
                    all.sort(Occurrence.ORDER);
                    return new Versioned<>(page(all, q), version);
                  },
                  false);
            });
  }

  private static Page<Occurrence> page(List<Occurrence> occurrences, EventQuery q) {
    EventQuery.Position after = EventQuery.position(q.cursor());
    List<Occurrence> out = new ArrayList<>();
    for (Occurrence o : occurrences) {
      if (after != null) {
        int c = o.startsAt().toInstant().compareTo(after.startsAt());
        if (c < 0 || (c == 0 && o.event().id().compareTo(after.eventId()) <= 0)) {
          continue;
        }
      }
      Event e = o.event();
      if (q.category() != null && !q.category().equals(e.category())) {
        continue;
      }
      if (q.age() != null && e.ageRange() != null && !e.ageRange().includes(q.age())) {
        continue;
      }
      if (q.near()) {
        if (e.venue().location() == null) {
          continue;
        }
        double d =
            Geo.distanceMetres(
                q.lat(), q.lon(), e.venue().location().lat(), e.venue().location().lon());
        if (d > q.radiusMetres()) {
          continue;
        }
        o = o.at(Math.round(d));
      }
      out.add(o);
      if (out.size() > q.limit()) {
        break;
      }
    }
    if (out.size() <= q.limit()) {
      return new Page<>(List.copyOf(out), null);
    }
    List<Occurrence> page = List.copyOf(out.subList(0, q.limit()));
    return new Page<>(page, EventQuery.cursorAfter(page.get(page.size() - 1)));
  }

  /**
   * The iCalendar feed: every event (optionally of one category or for one age) that has not been
   * over for longer than the feed keeps the past, cancelled ones included.
   */
  public Future<Versioned<String>> calendar(String category, Integer age) {
    Instant keepSince = clock.instant().minus(settings.feedPast());
    return catalogue
        .snapshot()
        .compose(
            s ->
                vertx.executeBlocking(
                    () -> {
                      List<Event> events = new ArrayList<>();
                      for (Event e : s.events()) {
                        if (category != null && !category.equals(e.category())) {
                          continue;
                        }
                        if (age != null && e.ageRange() != null && !e.ageRange().includes(age)) {
                          continue;
                        }
                        if (e.seriesEndsAt() != null && e.seriesEndsAt().isBefore(keepSince)) {
                          continue;
                        }
                        events.add(e);
                      }
                      String name =
                          settings.feed().name()
                              + (category == null ? "" : " – " + category.replace('_', ' '))
                              + (age == null ? "" : " – age " + age);
                      return new Versioned<>(
                          CalendarFeed.render(events, name, settings.feed()),
                          s.cacheable() ? s.version() : -1);
                    },
                    false));
  }

  // ---- demo content and retention

  /**
   * Inserts prepared events (demo content) in one transaction, only when there are no events at
   * all.
   */
  Future<Integer> insertIfEmpty(List<Event> events) {
    return pool.withTransaction(
            tx ->
                tx.query("LOCK TABLE content.events IN EXCLUSIVE MODE")
                    .execute()
                    .compose(v -> tx.query("SELECT count(*) FROM content.events").execute())
                    .compose(
                        rows -> {
                          if (rows.iterator().next().getLong(0) > 0) {
                            return Future.succeededFuture(0);
                          }
                          Future<Void> chain = Future.succeededFuture();
                          for (Event e : events) {
                            chain = chain.compose(v -> store.insert(tx, e));
                          }
                          return chain.map(v -> events.size());
                        }))
        .onSuccess(n -> catalogue.invalidate());
  }

  /** The request's identity for its Idempotency-Key: the body, whatever the order of its keys. */
  static byte[] requestHash(JsonObject body) {
    return Digests.sha256(canonical(body).encode());
  }

  /** The same JSON with keys sorted at every level, so that key order does not change the hash. */
  private static Object canonicalValue(Object v) {
    if (v instanceof JsonObject o) {
      return canonical(o);
    }
    if (v instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(x -> out.add(canonicalValue(x)));
      return out;
    }
    return v;
  }

  private static JsonObject canonical(JsonObject o) {
    TreeMap<String, Object> sorted = new TreeMap<>();
    o.forEach(e -> sorted.put(e.getKey(), canonicalValue(e.getValue())));
    return new JsonObject(new java.util.LinkedHashMap<>(sorted));
  }
}
