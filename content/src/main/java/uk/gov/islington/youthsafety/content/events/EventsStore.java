package uk.gov.islington.youthsafety.content.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/** All SQL of events. Writes run inside the caller's transaction and notify the other instances. */
final class EventsStore {

  /** The LISTEN/NOTIFY channel on which every committed change of an event is announced. */
  static final String CHANNEL = "content_events";

  private static final String COLUMNS =
      """
      id, title, description, category, organiser, venue_name, venue_address, venue_lat, venue_lon,
      starts_at, ends_at, recurrence, exdates, cancelled_occurrences, series_ends_at, age_min, age_max,
      cost_free, cost_details, booking_url, accessibility, status, previous_starts_at, cancellation_reason,
      sensitive, sample, sequence, created_at, updated_at""";

  private static final String INSERT =
      "INSERT INTO content.events ("
          + COLUMNS
          + """
      ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $16, $17, $18, $19, $20,
                $21, $22, $23, $24, $25, $26, $27, $28, $29)""";

  private static final String UPDATE =
      """
      UPDATE content.events SET title = $2, description = $3, category = $4, organiser = $5, venue_name = $6,
             venue_address = $7, venue_lat = $8, venue_lon = $9, starts_at = $10, ends_at = $11, recurrence = $12,
             exdates = $13, cancelled_occurrences = $14::jsonb, series_ends_at = $15, age_min = $16, age_max = $17,
             cost_free = $18, cost_details = $19, booking_url = $20, accessibility = $21, status = $22,
             previous_starts_at = $23, cancellation_reason = $24, sensitive = $25, sample = $26, sequence = $27,
             created_at = $28, updated_at = $29
       WHERE id = $1""";

  private static final String SELECT_ONE =
      "SELECT " + COLUMNS + " FROM content.events WHERE id = $1";
  private static final String LOCK_ONE = SELECT_ONE + " FOR UPDATE";
  private static final String SELECT_ALL =
      "SELECT " + COLUMNS + " FROM content.events ORDER BY starts_at, id";

  EventsStore() {}

  Future<List<Event>> all(SqlClient db) {
    return db.preparedQuery(SELECT_ALL)
        .execute()
        .map(
            rows -> {
              List<Event> out = new ArrayList<>(rows.size());
              rows.forEach(r -> out.add(toEvent(r)));
              return out;
            });
  }

  Future<Event> lock(SqlClient tx, String id) {
    return tx.preparedQuery(LOCK_ONE)
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toEvent(rows.iterator().next()));
  }

  Future<Void> insert(SqlClient tx, Event e) {
    return tx.preparedQuery(INSERT).execute(tuple(e)).compose(r -> notify(tx, e.id()));
  }

  Future<Void> update(SqlClient tx, Event e) {
    return tx.preparedQuery(UPDATE).execute(tuple(e)).compose(r -> notify(tx, e.id()));
  }

  /** Delivered to every listener when the transaction commits, and not at all if it rolls back. */
  private Future<Void> notify(SqlClient tx, String id) {
    return tx.preparedQuery("SELECT pg_notify('" + CHANNEL + "', $1)")
        .execute(Tuple.of(id))
        .mapEmpty();
  }

  // ---- mapping

  private static Tuple tuple(Event e) {
    Tuple t = Tuple.tuple();
    t.addString(e.id());
    t.addString(e.title());
    t.addString(e.description());
    t.addString(e.category());
    t.addString(e.organiser());
    t.addString(e.venue().name());
    t.addString(e.venue().address());
    t.addValue(e.venue().location() == null ? null : e.venue().location().lat());
    t.addValue(e.venue().location() == null ? null : e.venue().location().lon());
    t.addValue(utc(e.startsAt()));
    t.addValue(utc(e.endsAt()));
    t.addString(e.recurrence());
    t.addValue(e.exdates().toArray(new LocalDate[0]));
    t.addValue(cancelledJson(e.cancelledOccurrences()).encode());
    t.addValue(e.seriesEndsAt() == null ? null : utc(e.seriesEndsAt()));
    t.addValue(e.ageRange() == null ? null : e.ageRange().min());
    t.addValue(e.ageRange() == null ? null : e.ageRange().max());
    t.addValue(e.cost() == null ? null : e.cost().free());
    t.addString(e.cost() == null ? null : e.cost().details());
    t.addString(e.bookingUrl());
    t.addString(e.accessibility());
    t.addString(e.status().wire());
    t.addValue(e.previousStartsAt() == null ? null : utc(e.previousStartsAt()));
    t.addString(e.cancellationReason());
    t.addBoolean(e.sensitive());
    t.addBoolean(e.sample());
    t.addInteger(e.sequence());
    t.addValue(utc(e.createdAt()));
    t.addValue(utc(e.updatedAt()));
    return t;
  }

  private static JsonArray cancelledJson(List<Event.CancelledOccurrence> list) {
    JsonArray a = new JsonArray();
    for (Event.CancelledOccurrence c : list) {
      a.add(
          new JsonObject()
              .put("date", c.date().toString())
              .put("reason", c.reason())
              .put("at", c.cancelledAt().toString()));
    }
    return a;
  }

  private static Event toEvent(Row r) {
    Double lat = r.getDouble("venue_lat");
    Double lon = r.getDouble("venue_lon");
    Event.Venue venue =
        new Event.Venue(
            r.getString("venue_name"),
            r.getString("venue_address"),
            lat == null || lon == null ? null : new Event.GeoPoint(lat, lon));
    Integer ageMin = r.getInteger("age_min");
    Integer ageMax = r.getInteger("age_max");
    Boolean free = r.getBoolean("cost_free");
    LocalDate[] exdates = r.getArrayOfLocalDates("exdates");
    List<Event.CancelledOccurrence> cancelled = new ArrayList<>();
    Object raw = r.getValue("cancelled_occurrences");
    JsonArray list =
        raw instanceof JsonArray a
            ? a
            : raw instanceof String s ? new JsonArray(s) : new JsonArray();
    for (int i = 0; i < list.size(); i++) {
      JsonObject c = list.getJsonObject(i);
      cancelled.add(
          new Event.CancelledOccurrence(
              LocalDate.parse(c.getString("date")),
              c.getString("reason"),
              Instant.parse(c.getString("at"))));
    }
    return new Event(
        r.getString("id"),
        r.getString("title"),
        r.getString("description"),
        r.getString("category"),
        r.getString("organiser"),
        venue,
        london(r.getOffsetDateTime("starts_at")),
        london(r.getOffsetDateTime("ends_at")),
        r.getString("recurrence"),
        exdates == null ? List.of() : List.of(exdates),
        cancelled,
        instant(r.getOffsetDateTime("series_ends_at")),
        ageMin == null && ageMax == null ? null : new Event.AgeRange(ageMin, ageMax),
        free == null ? null : new Event.Cost(free, r.getString("cost_details")),
        r.getString("booking_url"),
        r.getString("accessibility"),
        Event.Status.fromWire(r.getString("status")),
        london(r.getOffsetDateTime("previous_starts_at")),
        r.getString("cancellation_reason"),
        r.getBoolean("sensitive"),
        r.getBoolean("sample"),
        r.getInteger("sequence"),
        instant(r.getOffsetDateTime("created_at")),
        instant(r.getOffsetDateTime("updated_at")));
  }

  private static ZonedDateTime london(OffsetDateTime t) {
    return t == null ? null : t.atZoneSameInstant(Recurrence.LONDON);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(ZonedDateTime t) {
    return t.toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
