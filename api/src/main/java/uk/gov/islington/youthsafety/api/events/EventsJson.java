package uk.gov.islington.youthsafety.api.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import uk.gov.islington.youthsafety.content.common.Page;
import uk.gov.islington.youthsafety.content.events.Event;
import uk.gov.islington.youthsafety.content.events.Occurrence;
import uk.gov.islington.youthsafety.content.events.Recurrence;

/** The JSON of events and occurrences (schemas Event and EventOccurrence in openapi.yaml). */
final class EventsJson {

  static final String TIME_ZONE = "Europe/London";

  private EventsJson() {}

  static JsonObject event(Event e) {
    JsonArray exdates = new JsonArray();
    e.exdates().forEach(d -> exdates.add(d.toString()));
    JsonArray cancelled = new JsonArray();
    for (Event.CancelledOccurrence c : e.cancelledOccurrences()) {
      ZonedDateTime start = e.recurring() ? occurrenceStart(e, c.date()) : null;
      cancelled.add(
          new JsonObject()
              .put("date", c.date().toString())
              .put("startsAt", start == null ? null : time(start))
              .put("reason", c.reason()));
    }
    JsonObject json =
        common(e)
            .put("startsAt", time(e.startsAt()))
            .put("endsAt", time(e.endsAt()))
            .put("timeZone", TIME_ZONE)
            .put("recurrence", e.recurrence())
            .put("exdates", exdates)
            .put("cancelledOccurrences", cancelled)
            .put("status", e.status().wire())
            .put(
                "previousStartsAt",
                e.previousStartsAt() == null ? null : time(e.previousStartsAt()))
            .put("cancellationReason", e.cancellationReason())
            .put("sequence", e.sequence())
            .put("createdAt", time(e.createdAt()))
            .put("updatedAt", time(e.updatedAt()));
    return json;
  }

  private static ZonedDateTime occurrenceStart(Event e, java.time.LocalDate date) {
    return Recurrence.parse(e.recurrence(), "recurrence").startOn(e.startsAt(), date);
  }

  static JsonObject occurrence(Occurrence o) {
    Event e = o.event();
    JsonObject out = new JsonObject().put("id", o.id()).put("eventId", e.id());
    common(e)
        .forEach(
            entry -> {
              if (!entry.getKey().equals("id")) {
                out.put(entry.getKey(), entry.getValue());
              }
            });
    out.put("startsAt", time(o.startsAt()))
        .put("endsAt", time(o.endsAt()))
        .put("timeZone", TIME_ZONE)
        .put("recurring", e.recurring())
        .put("status", o.status().wire())
        .put("cancellationReason", o.reason())
        .put(
            "previousStartsAt",
            e.previousStartsAt() == null || o.status() != Event.Status.POSTPONED
                ? null
                : time(e.previousStartsAt()));
    if (o.distanceMetres() != null) {
      out.put("distanceMetres", o.distanceMetres().longValue());
    }
    return out;
  }

  static JsonObject page(Page<Occurrence> page) {
    JsonArray items = new JsonArray();
    page.items().forEach(o -> items.add(occurrence(o)));
    return new JsonObject().put("items", items).put("nextCursor", page.nextCursor());
  }

  private static JsonObject common(Event e) {
    Event.Venue v = e.venue();
    return new JsonObject()
        .put("id", e.id())
        .put("title", e.title())
        .put("description", e.description())
        .put("category", e.category())
        .put("organiser", e.organiser())
        .put(
            "venue",
            new JsonObject()
                .put("name", v.name())
                .put("address", v.address())
                .put(
                    "location",
                    v.location() == null
                        ? null
                        : new JsonObject()
                            .put("lat", v.location().lat())
                            .put("lon", v.location().lon())))
        .put(
            "ageRange",
            e.ageRange() == null
                ? null
                : new JsonObject().put("min", e.ageRange().min()).put("max", e.ageRange().max()))
        .put(
            "cost",
            e.cost() == null
                ? null
                : new JsonObject().put("free", e.cost().free()).put("details", e.cost().details()))
        .put("bookingUrl", e.bookingUrl())
        .put("accessibility", e.accessibility())
        .put("sensitive", e.sensitive())
        .put("sample", e.sample());
  }

  static String time(ZonedDateTime t) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
        t.withZoneSameInstant(Recurrence.LONDON).toOffsetDateTime());
  }

  static String time(Instant t) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
  }
}
