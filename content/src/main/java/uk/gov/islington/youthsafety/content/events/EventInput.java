package uk.gov.islington.youthsafety.content.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import uk.gov.islington.youthsafety.content.common.InvalidInput;

/**
 * Turns the JSON of createEvent and updateEvent into an {@link Event}, or a 400 naming every bad
 * field. The contract's schema has already checked types, lengths and unknown fields; these are the
 * rules a schema cannot say (order of times, the recurrence, exdates that match it, ...).
 */
final class EventInput {

  static final Duration MAX_DURATION = Duration.ofDays(14);
  private static final Set<String> URL_SCHEMES = Set.of("http", "https");

  private EventInput() {}

  /** A new event from a createEvent body. */
  static Event create(String id, JsonObject body, Instant now, boolean sample) {
    Draft d = new Draft();
    d.status = Event.Status.SCHEDULED;
    d.exdatesRaw = new ArrayList<>();
    InvalidInput.Builder errors = InvalidInput.builder();
    d.apply(body, errors, true);
    return d.build(id, errors, now, now, 0, sample, List.of());
  }

  /** {@code current} with an updateEvent body applied (absent fields stay, null clears). */
  static Event patch(Event current, JsonObject body) {
    Draft d = Draft.of(current);
    InvalidInput.Builder errors = InvalidInput.builder();
    d.apply(body, errors, false);
    if (body.containsKey("status")) {
      String status = body.getString("status");
      if ("postponed".equals(status)) {
        if (current.status() != Event.Status.POSTPONED) {
          d.previousStartsAt = current.startsAt();
        }
        d.status = Event.Status.POSTPONED;
        d.cancellationReason = null;
      } else if ("scheduled".equals(status)) {
        d.status = Event.Status.SCHEDULED;
        d.previousStartsAt = null;
        d.cancellationReason = null;
      } else {
        errors.add("status", "must be scheduled or postponed (use cancelEvent to cancel)");
      }
    }
    return d.build(
        current.id(),
        errors,
        current.createdAt(),
        current.updatedAt(),
        current.sequence(),
        current.sample(),
        current.cancelledOccurrences());
  }

  /** An occurrence named by a date ({@code 2025-10-27}) or the date-time of its start. */
  static LocalDate occurrenceDate(Event event, String raw, String field) {
    if (!event.recurring()) {
      throw InvalidInput.of(field, "this event does not recur: cancel the whole event instead");
    }
    Recurrence rule = Recurrence.parse(event.recurrence(), "recurrence");
    LocalDate date = matchOccurrence(event.startsAt(), rule, raw, field, null);
    if (date == null) {
      throw InvalidInput.of(field, "is not a date of this event (" + describe(event) + ")");
    }
    if (event.exdates().contains(date)) {
      throw InvalidInput.of(field, "is already excluded from the series (exdates)");
    }
    return date;
  }

  private static String describe(Event event) {
    return event.recurrence()
        + " from "
        + event.startsAt().toLocalDate()
        + " at "
        + event.startsAt().toLocalTime()
        + " London time";
  }

  /**
   * The London date of the occurrence that {@code raw} names, or null when there is none; a
   * malformed value is reported on {@code field} (thrown when {@code errors} is null).
   */
  private static LocalDate matchOccurrence(
      ZonedDateTime seed, Recurrence rule, String raw, String field, InvalidInput.Builder errors) {
    LocalDate date;
    ZonedDateTime exact = null;
    try {
      if (raw.length() == 10) {
        date = LocalDate.parse(raw);
      } else {
        exact = OffsetDateTime.parse(raw).atZoneSameInstant(Recurrence.LONDON);
        date = exact.toLocalDate();
      }
    } catch (DateTimeParseException e) {
      String message = "must be a date (2025-10-27) or the RFC 3339 date-time of an occurrence";
      if (errors == null) {
        throw InvalidInput.of(field, message);
      }
      errors.add(field, message);
      return LocalDate.MIN;
    }
    ZonedDateTime start = rule.startOn(seed, date);
    if (start == null || (exact != null && !start.toInstant().equals(exact.toInstant()))) {
      return null;
    }
    return date;
  }

  /** The mutable form while a body is applied; {@link #build} checks it as a whole. */
  private static final class Draft {
    String title;
    String description;
    String category;
    String organiser;
    Event.Venue venue;
    ZonedDateTime startsAt;
    ZonedDateTime endsAt;
    String recurrence;
    List<LocalDate> exdates = List.of();

    /** exdates as sent in this body (with their indices for errors); null when not sent. */
    List<String> exdatesRaw;

    Event.AgeRange ageRange;
    Event.Cost cost;
    String bookingUrl;
    String accessibility;
    Event.Status status;
    ZonedDateTime previousStartsAt;
    String cancellationReason;
    boolean sensitive;
    boolean timingChanged;

    static Draft of(Event e) {
      Draft d = new Draft();
      d.title = e.title();
      d.description = e.description();
      d.category = e.category();
      d.organiser = e.organiser();
      d.venue = e.venue();
      d.startsAt = e.startsAt();
      d.endsAt = e.endsAt();
      d.recurrence = e.recurrence();
      d.exdates = e.exdates();
      d.ageRange = e.ageRange();
      d.cost = e.cost();
      d.bookingUrl = e.bookingUrl();
      d.accessibility = e.accessibility();
      d.status = e.status();
      d.previousStartsAt = e.previousStartsAt();
      d.cancellationReason = e.cancellationReason();
      d.sensitive = e.sensitive();
      return d;
    }

    void apply(JsonObject body, InvalidInput.Builder errors, boolean creating) {
      if (body.containsKey("title")) {
        title = text(body, "title", errors, true, 200);
      }
      if (body.containsKey("description")) {
        description = text(body, "description", errors, true, 5000);
      }
      if (body.containsKey("category")) {
        category = body.getString("category");
      }
      if (body.containsKey("organiser")) {
        organiser = text(body, "organiser", errors, false, 200);
      }
      if (body.containsKey("venue")) {
        venue = venue(body.getJsonObject("venue"), errors);
      }
      if (body.containsKey("startsAt")) {
        startsAt = time(body.getString("startsAt"), "startsAt", errors);
        timingChanged = true;
      }
      if (body.containsKey("endsAt")) {
        endsAt = time(body.getString("endsAt"), "endsAt", errors);
      }
      if (body.containsKey("recurrence")) {
        String raw = body.getString("recurrence");
        recurrence = raw == null || raw.isBlank() ? null : raw;
        timingChanged = true;
      }
      if (body.containsKey("exdates")) {
        JsonArray list = body.getJsonArray("exdates");
        exdatesRaw = new ArrayList<>();
        if (list != null) {
          list.forEach(v -> exdatesRaw.add(String.valueOf(v).trim()));
        }
      }
      if (body.containsKey("ageRange")) {
        JsonObject range = body.getJsonObject("ageRange");
        ageRange =
            range == null
                ? null
                : new Event.AgeRange(range.getInteger("min"), range.getInteger("max"));
        if (ageRange != null && ageRange.min() == null && ageRange.max() == null) {
          ageRange = null;
        }
      }
      if (body.containsKey("cost")) {
        JsonObject c = body.getJsonObject("cost");
        cost =
            c == null
                ? null
                : new Event.Cost(
                    c.getBoolean("free", false),
                    longest(blankToNull(c.getString("details")), "cost.details", 300, errors));
      }
      if (body.containsKey("bookingUrl")) {
        bookingUrl = longest(blankToNull(body.getString("bookingUrl")), "bookingUrl", 2000, errors);
      }
      if (body.containsKey("accessibility")) {
        accessibility = text(body, "accessibility", errors, false, 1000);
      }
      if (body.containsKey("sensitive")) {
        sensitive = Boolean.TRUE.equals(body.getBoolean("sensitive"));
      }
      if (creating) {
        for (String required :
            List.of("title", "description", "category", "venue", "startsAt", "endsAt")) {
          if (body.getValue(required) == null) {
            errors.add(required, "is required");
          }
        }
      }
    }

    Event build(
        String id,
        InvalidInput.Builder errors,
        Instant createdAt,
        Instant updatedAt,
        int sequence,
        boolean sample,
        List<Event.CancelledOccurrence> cancelled) {
      Instant seriesEnd = null;
      List<LocalDate> finalExdates = exdates;
      if (startsAt != null && endsAt != null) {
        if (!endsAt.isAfter(startsAt)) {
          errors.add("endsAt", "must be after startsAt");
        } else if (Duration.between(startsAt, endsAt).compareTo(MAX_DURATION) > 0) {
          errors.add("endsAt", "an occurrence lasts at most 14 days; use recurrence for a series");
        }
        if (startsAt.getYear() < 2000 || startsAt.getYear() > 2100) {
          errors.add("startsAt", "must be between the years 2000 and 2100");
        }
      }
      Recurrence rule = null;
      if (recurrence != null) {
        try {
          rule = Recurrence.parse(recurrence, "recurrence");
          recurrence = rule.value();
        } catch (InvalidInput e) {
          e.errors().forEach(f -> errors.add(f.field(), f.message()));
        }
      }
      if (rule != null && startsAt != null && errors.isEmpty()) {
        ZonedDateTime first = rule.startOn(startsAt, startsAt.toLocalDate());
        if (first == null || !first.toInstant().equals(startsAt.toInstant())) {
          errors.add(
              "startsAt",
              "must be the first occurrence of recurrence (a date and time the rule produces)");
        }
      }
      if (recurrence == null) {
        boolean sentSome = exdatesRaw != null && !exdatesRaw.isEmpty();
        if (sentSome) {
          errors.add("exdates", "only a recurring event has exdates");
        }
        finalExdates = List.of();
      } else if (rule != null && startsAt != null && errors.isEmpty()) {
        finalExdates = checkedExdates(rule, errors);
      }
      if (status == Event.Status.POSTPONED && recurrence != null) {
        errors.add(
            "status",
            "only a one-off event can be postponed; cancel single dates of a series instead");
      }
      if (ageRange != null
          && ageRange.min() != null
          && ageRange.max() != null
          && ageRange.min() > ageRange.max()) {
        errors.add("ageRange.max", "must not be less than ageRange.min");
      }
      if (bookingUrl != null && !isWebUrl(bookingUrl)) {
        errors.add("bookingUrl", "must be an http or https address");
      }
      errors.throwIfAny();
      if (rule != null) {
        seriesEnd = rule.seriesEnd(startsAt, Duration.between(startsAt, endsAt));
      } else {
        seriesEnd = endsAt.toInstant();
      }
      return new Event(
          id,
          title,
          description,
          category,
          organiser,
          venue,
          startsAt,
          endsAt,
          recurrence,
          finalExdates,
          cancelled,
          seriesEnd,
          ageRange,
          cost,
          bookingUrl,
          accessibility,
          status,
          previousStartsAt,
          cancellationReason,
          sensitive,
          sample,
          sequence,
          createdAt,
          updatedAt);
    }

    private List<LocalDate> checkedExdates(Recurrence rule, InvalidInput.Builder errors) {
      Set<LocalDate> out = new LinkedHashSet<>();
      if (exdatesRaw != null) {
        for (int i = 0; i < exdatesRaw.size(); i++) {
          String field = "exdates[" + i + "]";
          LocalDate date = matchOccurrence(startsAt, rule, exdatesRaw.get(i), field, errors);
          if (date == null) {
            errors.add(
                field,
                "is not a date of this series ("
                    + rule.value()
                    + " from "
                    + startsAt.toLocalDate()
                    + " at "
                    + startsAt.toLocalTime()
                    + " London time)");
          } else if (!date.equals(LocalDate.MIN)) {
            out.add(date);
          }
        }
      } else if (timingChanged) {
        for (LocalDate date : exdates) {
          if (rule.startOn(startsAt, date) == null) {
            errors.add(
                "exdates", date + " is not a date of the changed series; send exdates again");
            break;
          }
        }
        out.addAll(exdates);
      } else {
        out.addAll(exdates);
      }
      return out.stream().sorted().toList();
    }
  }

  private static String text(
      JsonObject body, String field, InvalidInput.Builder errors, boolean required, int max) {
    String v = body.getString(field);
    if (v == null || v.isBlank()) {
      if (required) {
        errors.add(field, "must not be blank");
      }
      return null;
    }
    return longest(v.trim(), field, max, errors);
  }

  /** The contract's lengths, for callers that the router's schema check does not stand before. */
  private static String longest(String v, String field, int max, InvalidInput.Builder errors) {
    if (v != null && v.length() > max) {
      errors.add(field, "must be at most " + max + " characters");
    }
    return v;
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static Event.Venue venue(JsonObject v, InvalidInput.Builder errors) {
    if (v == null) {
      return null;
    }
    String name = longest(blankToNull(v.getString("name")), "venue.name", 200, errors);
    String address = longest(blankToNull(v.getString("address")), "venue.address", 300, errors);
    if (name == null) {
      errors.add("venue.name", "must not be blank");
    }
    if (address == null) {
      errors.add("venue.address", "must not be blank");
    }
    JsonObject loc = v.getJsonObject("location");
    Event.GeoPoint point =
        loc == null ? null : new Event.GeoPoint(loc.getDouble("lat"), loc.getDouble("lon"));
    return new Event.Venue(name, address, point);
  }

  private static ZonedDateTime time(String raw, String field, InvalidInput.Builder errors) {
    if (raw == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(raw)
          .truncatedTo(ChronoUnit.SECONDS)
          .atZoneSameInstant(Recurrence.LONDON);
    } catch (DateTimeParseException e) {
      errors.add(field, "must be an RFC 3339 date-time with an offset, e.g. 2025-10-27T15:00:00Z");
      return null;
    }
  }

  static boolean isWebUrl(String value) {
    try {
      URI uri = new URI(value);
      return uri.getScheme() != null
          && URL_SCHEMES.contains(uri.getScheme().toLowerCase())
          && uri.getHost() != null
          && !uri.getHost().isBlank();
    } catch (Exception e) {
      return false;
    }
  }
}
