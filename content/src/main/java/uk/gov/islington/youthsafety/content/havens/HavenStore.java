package uk.gov.islington.youthsafety.content.havens;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import uk.gov.islington.youthsafety.content.hours.HoursJson;

/** All SQL of Safe Havens: havens, their change sequence and applications. */
final class HavenStore {

  private static final String HAVEN_COLUMNS =
      "id, name, address, postcode, lat, lon, category, facilities, phone, "
          + "notes, opening_hours, closure, last_verified_on, status, suspended_reason, sample, change_seq, created_at, "
          + "updated_at";

  // first page: strictly after the number; later pages: after the last (number, id) read
  private static final String CHANGED_SINCE =
      "SELECT "
          + HAVEN_COLUMNS
          + " FROM content.havens"
          + " WHERE change_seq > $1 ORDER BY change_seq, id LIMIT $2";
  private static final String CHANGED_SINCE_AFTER =
      "SELECT "
          + HAVEN_COLUMNS
          + " FROM content.havens"
          + " WHERE (change_seq, id) > ($1, $2) ORDER BY change_seq, id LIMIT $3";
  private static final String TOMBSTONES_SINCE =
      "SELECT id, change_seq FROM content.haven_tombstones WHERE change_seq > $1 ORDER BY change_seq";
  private static final String GET =
      "SELECT " + HAVEN_COLUMNS + " FROM content.havens WHERE id = $1";
  private static final String LOCK = GET + " FOR UPDATE";
  private static final String INSERT =
      "INSERT INTO content.havens (id, name, address, postcode, lat, lon, category,"
          + " facilities, phone, notes, opening_hours, closure, last_verified_on, status, sample, application_id,"
          + " created_at, updated_at, updated_by)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'published', $14, $15, $16, $16, $17)"
          + " RETURNING "
          + HAVEN_COLUMNS;
  private static final String UPDATE =
      "UPDATE content.havens SET name = $2, address = $3, postcode = $4, lat = $5,"
          + " lon = $6, category = $7, facilities = $8, phone = $9, notes = $10, opening_hours = $11, closure = $12,"
          + " last_verified_on = $13, updated_at = $14, updated_by = $15 WHERE id = $1 RETURNING "
          + HAVEN_COLUMNS;
  private static final String SET_STATUS =
      "UPDATE content.havens SET status = $2, suspended_reason = $3,"
          + " updated_at = $4, updated_by = $5 WHERE id = $1 RETURNING "
          + HAVEN_COLUMNS;
  // earth_box is slightly widened: earthdistance's sphere is a little larger than ours, and the
  // exact great-circle check happens in Java anyway
  private static final String NEARBY =
      "SELECT "
          + HAVEN_COLUMNS
          + " FROM content.havens h"
          + " WHERE h.status = 'published'"
          + " AND public.earth_box(content.haven_earth($1, $2), $3 * 1.002 + 1) @> content.haven_earth(h.lat, h.lon)"
          + " ORDER BY content.haven_earth(h.lat, h.lon) <-> content.haven_earth($1, $2)"
          + " LIMIT $4 OFFSET $5";
  // the search is text, not a pattern: % _ and \ in it match themselves
  private static final String EDITOR_FILTER =
      " WHERE ($1::text IS NULL OR status = $1)"
          + " AND ($2::text IS NULL OR name ILIKE '%' || content.like_literal($2) || '%'"
          + " OR postcode ILIKE content.like_literal($2) || '%')"
          + " AND ($3::text IS NULL OR category = $3)"
          + " AND ($4::date IS NULL OR last_verified_on < $4)";
  private static final String FOR_EDITORS =
      "SELECT "
          + HAVEN_COLUMNS
          + " FROM content.havens"
          + EDITOR_FILTER
          + " AND (name, id) > ($5, $6) ORDER BY name, id LIMIT $7";
  private static final String FOR_EDITORS_BY_VERIFIED =
      "SELECT "
          + HAVEN_COLUMNS
          + " FROM content.havens"
          + EDITOR_FILTER
          + " AND (last_verified_on, id) > ($5::date, $6) ORDER BY last_verified_on, id LIMIT $7";

  private static final String APPLICATION_COLUMNS =
      "id, status, name, address, postcode, lat, lon, category,"
          + " facilities, phone, notes, opening_hours, contact_name, contact_email, contact_phone, submitted_at,"
          + " decided_at, decided_by, decision_reason, haven_id, contact_purged_at";
  private static final String INSERT_APPLICATION =
      "INSERT INTO content.haven_applications (id, status, name, address,"
          + " postcode, lat, lon, category, facilities, phone, notes, opening_hours, contact_name, contact_email,"
          + " contact_phone, submitted_at) VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
          + " $14, $15) RETURNING "
          + APPLICATION_COLUMNS;
  private static final String GET_APPLICATION =
      "SELECT " + APPLICATION_COLUMNS + " FROM content.haven_applications WHERE id = $1";
  private static final String LOCK_APPLICATION = GET_APPLICATION + " FOR UPDATE";
  private static final String LIST_APPLICATIONS =
      "SELECT "
          + APPLICATION_COLUMNS
          + " FROM content.haven_applications WHERE ($1::text IS NULL OR status = $1)"
          + " AND (submitted_at, id) > ($2, $3) ORDER BY submitted_at, id LIMIT $4";
  private static final String DECIDE_APPLICATION =
      "UPDATE content.haven_applications SET status = $2,"
          + " decided_at = $3, decided_by = $4, decision_reason = $5, haven_id = $6 WHERE id = $1 AND status = 'pending'"
          + " RETURNING "
          + APPLICATION_COLUMNS;
  private static final String PURGE_CONTACTS =
      "UPDATE content.haven_applications SET contact_name = NULL,"
          + " contact_email = NULL, contact_phone = NULL, contact_purged_at = $2"
          + " WHERE contact_purged_at IS NULL AND decided_at IS NOT NULL AND decided_at < $1";
  private static final String EXPIRE_UNDECIDED =
      "UPDATE content.haven_applications SET status = 'expired',"
          + " decided_at = $2, decision_reason = 'not decided within the retention period', contact_name = NULL,"
          + " contact_email = NULL, contact_phone = NULL, contact_purged_at = $2"
          + " WHERE status = 'pending' AND submitted_at < $1";

  record Tombstone(String id, long changeSeq) {}

  /**
   * Where a page of the editors' list starts: after this sort key (name, or last-verified date as
   * YYYY-MM-DD) and id.
   */
  record After(String key, String id) {
    static final After FIRST = new After(null, "");
  }

  HavenStore() {}

  // ---- havens

  /**
   * Havens whose change number is above {@code seq} ({@code afterId} null), or after ({@code seq},
   * {@code afterId}).
   */
  Future<List<Haven>> changedSince(SqlClient db, long seq, String afterId, int limit) {
    return (afterId == null
            ? db.preparedQuery(CHANGED_SINCE).execute(Tuple.of(seq, limit))
            : db.preparedQuery(CHANGED_SINCE_AFTER).execute(Tuple.of(seq, afterId, limit)))
        .map(HavenStore::havens);
  }

  Future<List<Tombstone>> tombstonesSince(SqlClient db, long seq) {
    return db.preparedQuery(TOMBSTONES_SINCE)
        .execute(Tuple.of(seq))
        .map(
            rows -> {
              List<Tombstone> out = new ArrayList<>(rows.size());
              rows.forEach(r -> out.add(new Tombstone(r.getString(0), r.getLong(1))));
              return out;
            });
  }

  Future<Optional<Haven>> get(SqlClient db, String id, boolean lock) {
    return db.preparedQuery(lock ? LOCK : GET)
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(haven(rows.iterator().next())));
  }

  Future<Haven> insert(
      SqlClient db,
      String id,
      HavenInput.Draft d,
      boolean sample,
      String applicationId,
      Instant now,
      String by) {
    Tuple t = Tuple.tuple().addString(id);
    fields(t, d);
    t.addBoolean(sample).addString(applicationId).addOffsetDateTime(ts(now)).addString(by);
    return db.preparedQuery(INSERT).execute(t).map(rows -> haven(rows.iterator().next()));
  }

  /** Inserts many havens in one statement batch (demo content, one change number for all). */
  Future<Void> insertAll(
      SqlClient db, List<String> ids, List<HavenInput.Draft> drafts, Instant now) {
    List<Tuple> batch = new ArrayList<>(drafts.size());
    for (int i = 0; i < drafts.size(); i++) {
      Tuple t = Tuple.tuple().addString(ids.get(i));
      fields(t, drafts.get(i));
      t.addBoolean(true).addString(null).addOffsetDateTime(ts(now)).addString("demo-content");
      batch.add(t);
    }
    return db.preparedQuery(INSERT).executeBatch(batch).mapEmpty();
  }

  Future<Haven> update(SqlClient db, String id, HavenInput.Draft d, Instant now, String by) {
    Tuple t = Tuple.tuple().addString(id);
    fields(t, d);
    t.addOffsetDateTime(ts(now)).addString(by);
    return db.preparedQuery(UPDATE).execute(t).map(rows -> haven(rows.iterator().next()));
  }

  Future<Haven> setStatus(
      SqlClient db, String id, boolean published, String reason, Instant now, String by) {
    return db.preparedQuery(SET_STATUS)
        .execute(
            Tuple.of(
                id, published ? "published" : "suspended", published ? null : reason, ts(now), by))
        .map(rows -> haven(rows.iterator().next()));
  }

  Future<List<Haven>> nearby(
      SqlClient db, double lat, double lon, double radiusMetres, int limit, int offset) {
    return db.preparedQuery(NEARBY)
        .execute(Tuple.of(lat, lon, radiusMetres, limit, offset))
        .map(HavenStore::havens);
  }

  Future<List<Haven>> forEditors(
      SqlClient db,
      String status,
      String q,
      String category,
      LocalDate verifiedBefore,
      boolean byVerified,
      After after,
      int limit) {
    Tuple t = Tuple.of(status, q, category, verifiedBefore);
    if (byVerified) {
      t.addLocalDate(after.key() == null ? LocalDate.of(1, 1, 1) : LocalDate.parse(after.key()));
    } else {
      t.addString(after.key() == null ? "" : after.key());
    }
    t.addString(after.id()).addInteger(limit);
    return db.preparedQuery(byVerified ? FOR_EDITORS_BY_VERIFIED : FOR_EDITORS)
        .execute(t)
        .map(HavenStore::havens);
  }

  Future<Long> count(SqlClient db) {
    return db.query("SELECT count(*) FROM content.havens")
        .execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static void fields(Tuple t, HavenInput.Draft d) {
    premises(t, d)
        .addJsonObject(HoursJson.closure(d.hours().closure()))
        .addLocalDate(d.lastVerifiedOn());
  }

  /** The columns a haven and an application to become one share, name to opening hours. */
  private static Tuple premises(Tuple t, HavenInput.Draft d) {
    return t.addString(d.name())
        .addString(d.address())
        .addString(d.postcode())
        .addDouble(d.lat())
        .addDouble(d.lon())
        .addString(d.category())
        .addArrayOfString(d.facilities().toArray(new String[0]))
        .addString(d.phone())
        .addString(d.notes())
        .addJsonObject(HoursJson.hours(d.hours()));
  }

  private static List<Haven> havens(RowSet<Row> rows) {
    List<Haven> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(haven(r)));
    return out;
  }

  /**
   * The premises columns, which a haven and an application share; an application has no closure and
   * no last check yet.
   */
  private static HavenInput.Draft premises(Row r, JsonObject closure, LocalDate lastVerifiedOn) {
    String[] facilities = r.getArrayOfStrings("facilities");
    return new HavenInput.Draft(
        r.getString("name"),
        r.getString("address"),
        r.getString("postcode"),
        r.getDouble("lat"),
        r.getDouble("lon"),
        r.getString("category"),
        facilities == null ? List.of() : List.of(facilities),
        r.getString("phone"),
        r.getString("notes"),
        HoursJson.parse(r.getJsonObject("opening_hours"), closure),
        lastVerifiedOn);
  }

  static Haven haven(Row r) {
    HavenInput.Draft p =
        premises(r, r.getJsonObject("closure"), r.getLocalDate("last_verified_on"));
    return new Haven(
        r.getString("id"),
        p.name(),
        p.address(),
        p.postcode(),
        p.lat(),
        p.lon(),
        p.category(),
        p.facilities(),
        p.phone(),
        p.notes(),
        p.hours(),
        p.lastVerifiedOn(),
        "published".equals(r.getString("status")),
        r.getString("suspended_reason"),
        r.getBoolean("sample"),
        r.getLong("change_seq"),
        r.getOffsetDateTime("created_at").toInstant(),
        r.getOffsetDateTime("updated_at").toInstant());
  }

  // ---- applications

  Future<HavenApplication> insertApplication(
      SqlClient db, String id, HavenInput.ApplicationDraft a, Instant now) {
    HavenInput.Draft d = a.premises();
    Tuple t =
        premises(Tuple.tuple().addString(id), d)
            .addString(a.contactName())
            .addString(a.contactEmail())
            .addString(a.contactPhone())
            .addOffsetDateTime(ts(now));
    return db.preparedQuery(INSERT_APPLICATION)
        .execute(t)
        .map(rows -> application(rows.iterator().next()));
  }

  Future<Optional<HavenApplication>> application(SqlClient db, String id, boolean lock) {
    return db.preparedQuery(lock ? LOCK_APPLICATION : GET_APPLICATION)
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(application(rows.iterator().next())));
  }

  Future<List<HavenApplication>> applications(
      SqlClient db, String status, Instant afterSubmitted, String afterId, int limit) {
    return db.preparedQuery(LIST_APPLICATIONS)
        .execute(Tuple.of(status, ts(afterSubmitted), afterId, limit))
        .map(
            rows -> {
              List<HavenApplication> out = new ArrayList<>(rows.size());
              rows.forEach(r -> out.add(application(r)));
              return out;
            });
  }

  Future<HavenApplication> decide(
      SqlClient db,
      String id,
      String status,
      Instant now,
      String by,
      String reason,
      String havenId) {
    return db.preparedQuery(DECIDE_APPLICATION)
        .execute(Tuple.of(id, status, ts(now), by, reason, havenId))
        .map(rows -> application(rows.iterator().next()));
  }

  Future<Integer> purgeContacts(SqlClient db, Instant decidedBefore, Instant now) {
    return db.preparedQuery(PURGE_CONTACTS)
        .execute(Tuple.of(ts(decidedBefore), ts(now)))
        .map(RowSet::rowCount);
  }

  Future<Integer> expireUndecided(SqlClient db, Instant submittedBefore, Instant now) {
    return db.preparedQuery(EXPIRE_UNDECIDED)
        .execute(Tuple.of(ts(submittedBefore), ts(now)))
        .map(RowSet::rowCount);
  }

  private static HavenApplication application(Row r) {
    HavenInput.Draft premises = premises(r, null, null);
    return new HavenApplication(
        r.getString("id"),
        r.getString("status"),
        premises,
        r.getString("contact_name"),
        r.getString("contact_email"),
        r.getString("contact_phone"),
        instant(r, "submitted_at"),
        instant(r, "decided_at"),
        r.getString("decided_by"),
        r.getString("decision_reason"),
        r.getString("haven_id"),
        instant(r, "contact_purged_at"));
  }

  // ---- helpers

  static OffsetDateTime ts(Instant i) {
    return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
