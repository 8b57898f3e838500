package uk.gov.islington.youthsafety.api.events;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.Conditional;
import uk.gov.islington.youthsafety.api.http.Problem;
import uk.gov.islington.youthsafety.api.http.ProblemException;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.events.Event;
import uk.gov.islington.youthsafety.content.events.EventQuery;
import uk.gov.islington.youthsafety.content.events.Events;
import uk.gov.islington.youthsafety.content.events.Recurrence;

/**
 * The events' operations: listEvents, getEvent, eventsCalendar (public, cached) and createEvent,
 * updateEvent, cancelEvent (editor). Public answers are rendered once per catalogue version and
 * question, then served from memory with a strong ETag; see {@link AnswerCache} and
 * content.events.EventCatalogue.
 */
final class EventRoutes {

  static final String CALENDAR_TYPE = "text/calendar; charset=utf-8";

  private final Events events;
  private final Clock clock;
  private final AnswerCache cache;

  EventRoutes(Events events, Clock clock, AnswerCache cache) {
    this.events = events;
    this.clock = clock;
    this.cache = cache;
  }

  void addTo(Routes routes) {
    routes
        .on("listEvents", this::list)
        .on("getEvent", this::get)
        .on("eventsCalendar", this::calendar)
        .on("createEvent", this::create)
        .on("updateEvent", this::update)
        .on("cancelEvent", this::cancel);
  }

  // ---- public, cached

  private Future<Reply> list(ApiRequest req) {
    EventQuery q =
        EventQuery.of(
            req.query("from"),
            req.query("to"),
            req.query("category"),
            req.queryInt("age", null),
            req.queryDouble("lat"),
            req.queryDouble("lon"),
            req.queryInt("radius", null),
            req.queryInt("limit", 20),
            req.query("cursor"),
            clock,
            events.settings().windows());
    if (q.near()) {
      // "near me": computed from the in-memory catalogue, never cached, never stored, never logged
      return events
          .list(q)
          .map(
              page -> {
                Buffer body = AnswerCache.utf8(EventsJson.page(page.value()).encode());
                return answer(req, body, Conditional.tagOf(body), "application/json", "no-store");
              });
    }
    String key = "list|" + q.cacheKey();
    AnswerCache.Rendered hit = cache.get(key, events.catalogue().cacheVersion());
    if (hit != null) {
      return Future.succeededFuture(answer(req, hit, "application/json", "public, max-age=60"));
    }
    return events
        .list(q)
        .map(
            page ->
                answer(
                    req,
                    cache.put(
                        key,
                        page.version(),
                        AnswerCache.utf8(EventsJson.page(page.value()).encode())),
                    "application/json",
                    "public, max-age=60"));
  }

  private Future<Reply> calendar(ApiRequest req) {
    String category = req.query("category");
    Integer age = req.queryInt("age", null);
    // the past the feed keeps is counted in days, so a rendered feed holds for the day
    String key =
        "ics|" + category + "|" + age + "|" + LocalDate.now(clock.withZone(Recurrence.LONDON));
    AnswerCache.Rendered hit = cache.get(key, events.catalogue().cacheVersion());
    if (hit != null) {
      return Future.succeededFuture(
          answer(req, hit, CALENDAR_TYPE, "public, max-age=300")
              .header("Content-Disposition", "inline; filename=\"islington-youth-events.ics\""));
    }
    return events
        .calendar(category, age)
        .map(
            feed ->
                answer(
                        req,
                        cache.put(key, feed.version(), AnswerCache.utf8(feed.value())),
                        CALENDAR_TYPE,
                        "public, max-age=300")
                    .header(
                        "Content-Disposition", "inline; filename=\"islington-youth-events.ics\""));
  }

  private Future<Reply> get(ApiRequest req) {
    return events
        .get(req.path("eventId"))
        .map(
            v -> {
              String etag = Conditional.versionTag(v.value().sequence());
              return Conditional.cacheable(
                  req,
                  "application/json",
                  EventsJson.event(v.value()).toBuffer(),
                  etag,
                  "public, max-age=60");
            });
  }

  private static Reply answer(
      ApiRequest req, AnswerCache.Rendered r, String type, String cacheControl) {
    return answer(req, r.body(), r.etag(), type, cacheControl);
  }

  private static Reply answer(
      ApiRequest req, Buffer body, String etag, String type, String cacheControl) {
    return Conditional.cacheable(req, type, body, etag, cacheControl);
  }

  // ---- editing

  private Future<Reply> create(ApiRequest req) {
    String staffId = req.requiredPrincipal().subject();
    return events
        .create(staffId, req.header("Idempotency-Key"), req.body())
        .map(
            c ->
                Reply.created(EventsJson.event(c.event()))
                    .header("Location", "/v1/events/" + c.event().id())
                    .header("ETag", Conditional.versionTag(c.event().sequence()))
                    .noStore()
                    .replayed(c.replayed()));
  }

  private Future<Reply> update(ApiRequest req) {
    return events
        .update(req.path("eventId"), req.body(), ifMatch(req))
        .map(this::edited)
        .recover(EventRoutes::stale);
  }

  private Future<Reply> cancel(ApiRequest req) {
    JsonObject body = req.body();
    return events
        .cancel(
            req.path("eventId"),
            body.getString("occurrence"),
            body.getString("reason"),
            ifMatch(req))
        .map(this::edited)
        .recover(EventRoutes::stale);
  }

  private Reply edited(Event e) {
    return Reply.ok(EventsJson.event(e))
        .header("ETag", Conditional.versionTag(e.sequence()))
        .noStore();
  }

  private static Future<Reply> stale(Throwable e) {
    if (e instanceof Events.StaleEdit s) {
      return Future.failedFuture(
          new ProblemException(
              Problem.of(412, "precondition-failed", "Precondition failed", s.getMessage())));
    }
    return Future.failedFuture(e);
  }

  /** The sequence an editor read (If-Match: "v3"), or null to edit whatever is current. */
  private static Integer ifMatch(ApiRequest req) {
    Long version = Conditional.ifMatchVersion(req, "the event");
    return version == null ? null : Math.toIntExact(version);
  }
}
