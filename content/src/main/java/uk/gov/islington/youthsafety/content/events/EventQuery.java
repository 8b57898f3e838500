package uk.gov.islington.youthsafety.content.events;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import uk.gov.islington.youthsafety.content.common.Cursor;
import uk.gov.islington.youthsafety.content.common.InvalidInput;

/**
 * A listEvents question: the window, the filters and the page. "Near me" coordinates live only in
 * this object for the time of the request: they are not part of {@link #cacheKey()}, never stored
 * and never logged.
 *
 * @param from inclusive start of the window (occurrences still running at {@code from} count)
 * @param to exclusive end of the window
 * @param radiusMetres with {@code lat}/{@code lon}, only occurrences at venues this close
 */
public record EventQuery(
    Instant from,
    Instant to,
    String category,
    Integer age,
    Double lat,
    Double lon,
    Integer radiusMetres,
    int limit,
    String cursor) {

  public static final int DEFAULT_RADIUS = 3000;
  public static final int MAX_RADIUS = 50_000;

  /**
   * The window settings: the default length when {@code to} is missing, and the longest allowed.
   */
  public record Windows(Duration defaultLength, Duration maxLength) {}

  /**
   * Reads the query parameters (already typed by the contract) and applies the rules the contract
   * cannot: defaults, the order and length of the window, coordinates that come in pairs.
   */
  public static EventQuery of(
      String from,
      String to,
      String category,
      Integer age,
      Double lat,
      Double lon,
      Integer radius,
      int limit,
      String cursor,
      Clock clock,
      Windows windows) {
    InvalidInput.Builder errors = InvalidInput.builder();
    // the default window starts at the current minute, so answers can be cached for a minute
    Instant start =
        from == null ? clock.instant().truncatedTo(ChronoUnit.MINUTES) : time(from, "from", errors);
    Instant end =
        to == null
            ? (start == null ? null : start.plus(windows.defaultLength()))
            : time(to, "to", errors);
    if (start != null && end != null) {
      if (!end.isAfter(start)) {
        errors.add("to", "must be after from");
      } else if (Duration.between(start, end).compareTo(windows.maxLength()) > 0) {
        errors.add(
            "to", "the window may be at most " + windows.maxLength().toDays() + " days long");
      }
    }
    if ((lat == null) != (lon == null)) {
      errors.add(lat == null ? "lat" : "lon", "lat and lon go together");
    }
    if (radius != null && lat == null) {
      errors.add("radius", "needs lat and lon");
    }
    if (cursor != null) {
      try {
        position(cursor);
      } catch (InvalidInput e) {
        errors.add("cursor", "is not a cursor this API issued");
      }
    }
    errors.throwIfAny();
    Integer r = lat == null ? null : radius == null ? DEFAULT_RADIUS : radius;
    return new EventQuery(start, end, category, age, lat, lon, r, limit, cursor);
  }

  public boolean near() {
    return lat != null;
  }

  /**
   * Everything that decides the answer except the coordinates (answers "near me" are never cached).
   */
  public String cacheKey() {
    // epoch seconds: the window is read to the second, and a number prints far faster than an
    // Instant
    return from.getEpochSecond()
        + "|"
        + to.getEpochSecond()
        + "|"
        + category
        + "|"
        + age
        + "|"
        + limit
        + "|"
        + cursor;
  }

  /** The position after which a page starts: an occurrence start and an event id. */
  record Position(Instant startsAt, String eventId) {}

  static Position position(String cursor) {
    JsonObject p = Cursor.decode(cursor);
    if (p == null) {
      return null;
    }
    try {
      return new Position(
          Instant.ofEpochSecond(Long.parseLong(Cursor.stringAt(p, "t"))), Cursor.stringAt(p, "e"));
    } catch (NumberFormatException e) {
      throw InvalidInput.of("cursor", "is not a cursor this API issued");
    }
  }

  static String cursorAfter(Occurrence o) {
    return Cursor.encode(
        new JsonObject()
            .put("t", Long.toString(o.startsAt().toEpochSecond()))
            .put("e", o.event().id()));
  }

  private static Instant time(String raw, String field, InvalidInput.Builder errors) {
    try {
      return OffsetDateTime.parse(raw).toInstant().truncatedTo(ChronoUnit.SECONDS);
    } catch (DateTimeParseException e) {
      errors.add(field, "must be an RFC 3339 date-time with an offset, e.g. 2025-10-27T00:00:00Z");
      return null;
    }
  }
}
