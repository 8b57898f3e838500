package uk.gov.islington.youthsafety.content.bulletins;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * All SQL of bulletins. State changes are guarded here (WHERE state = ...) and by the table's
 * trigger.
 */
final class BulletinStore {

  private static final String COLUMNS =
      """
      id, title, body, audiences, areas, link, urgent, state, send_at, created_at, updated_at,
      published_at, sent_at""";

  private static final String INSERT =
      """
      INSERT INTO content.bulletins (id, title, body, audiences, areas, link, urgent, created_at, updated_at,
                                     created_by)
      VALUES ($1, $2, $3, $4::text[], $5::text[], $6, $7, $8, $8, $9)
      RETURNING\s"""
          + COLUMNS;

  private static final String GET = "SELECT " + COLUMNS + " FROM content.bulletins WHERE id = $1";

  private static final String UPDATE_DRAFT =
      """
      UPDATE content.bulletins
         SET title = COALESCE($2, title), body = COALESCE($3, body),
             audiences = COALESCE($4::text[], audiences), areas = COALESCE($5::text[], areas),
             link = CASE WHEN $6 THEN $7 ELSE link END, urgent = COALESCE($8, urgent), updated_at = $9
       WHERE id = $1 AND state = 'draft'
      RETURNING\s"""
          + COLUMNS;

  private static final String DELETE_DRAFT =
      "DELETE FROM content.bulletins WHERE id = $1 AND state = 'draft' RETURNING id";

  private static final String SCHEDULE =
      """
      UPDATE content.bulletins SET state = 'scheduled', send_at = $2, scheduled_by = $3, updated_at = $4
       WHERE id = $1 AND state = 'draft'
      RETURNING\s"""
          + COLUMNS;

  private static final String START_SENDING =
      """
      UPDATE content.bulletins SET state = 'sending', published_at = $2, updated_at = $2
       WHERE id = $1 AND state = 'scheduled'
      RETURNING\s"""
          + COLUMNS;

  private static final String MARK_SENT =
      """
      UPDATE content.bulletins SET state = 'sent', sent_at = $2, updated_at = $2
       WHERE id = $1 AND state = 'sending'
      """;

  private static final String ARCHIVE =
      "SELECT "
          + COLUMNS
          + """
       FROM content.bulletins
      WHERE state IN ('sending', 'sent')
        AND ($1::text IS NULL OR $1 = ANY(audiences))
        AND ($2::timestamptz IS NULL OR (published_at, id) < ($2, $3::text))
      ORDER BY published_at DESC, id DESC
      LIMIT $4
      """;

  private static final String BY_STATE =
      "SELECT "
          + COLUMNS
          + """
       FROM content.bulletins
      WHERE state = $1
        AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::text))
      ORDER BY created_at DESC, id DESC
      LIMIT $4
      """;

  // the bulletins of a weekly digest: published in the week, for any of the subscriber's audiences
  // and (when both name wards) one of its wards
  private static final String PUBLISHED_BETWEEN =
      "SELECT "
          + COLUMNS
          + """
       FROM content.bulletins
      WHERE state IN ('sending', 'sent') AND published_at >= $1 AND published_at < $2
        AND audiences && $3::text[]
        AND (cardinality(areas) = 0 OR cardinality($4::text[]) = 0 OR areas && $4::text[])
      ORDER BY published_at, id
      """;

  BulletinStore() {}

  Future<List<Bulletin>> publishedBetween(
      SqlClient db, Instant from, Instant to, List<String> audiences, List<String> areas) {
    return db.preparedQuery(PUBLISHED_BETWEEN)
        .execute(
            Tuple.of(
                utc(from), utc(to), audiences.toArray(String[]::new), areas.toArray(String[]::new)))
        .map(BulletinStore::all);
  }

  Future<Bulletin> insert(SqlClient db, String id, BulletinDraft d, Instant now, String staffId) {
    Tuple t =
        Tuple.tuple()
            .addString(id)
            .addString(d.title())
            .addString(d.body())
            .addArrayOfString(d.audiences().toArray(String[]::new))
            .addArrayOfString(d.areas().toArray(String[]::new))
            .addString(d.link())
            .addBoolean(d.urgent())
            .addOffsetDateTime(utc(now))
            .addString(staffId);
    return db.preparedQuery(INSERT).execute(t).map(rows -> bulletin(rows.iterator().next()));
  }

  Future<Optional<Bulletin>> get(SqlClient db, String id) {
    return db.preparedQuery(GET).execute(Tuple.of(id)).map(BulletinStore::first);
  }

  Future<Optional<Bulletin>> updateDraft(SqlClient db, String id, BulletinPatch p, Instant now) {
    Tuple t =
        Tuple.tuple()
            .addString(id)
            .addString(p.title())
            .addString(p.body())
            .addArrayOfString(p.audiences() == null ? null : p.audiences().toArray(String[]::new))
            .addArrayOfString(p.areas() == null ? null : p.areas().toArray(String[]::new))
            .addBoolean(p.linkGiven())
            .addString(p.link())
            .addBoolean(p.urgent())
            .addOffsetDateTime(utc(now));
    return db.preparedQuery(UPDATE_DRAFT).execute(t).map(BulletinStore::first);
  }

  Future<Boolean> deleteDraft(SqlClient db, String id) {
    return db.preparedQuery(DELETE_DRAFT).execute(Tuple.of(id)).map(rows -> rows.size() == 1);
  }

  Future<Optional<Bulletin>> schedule(
      SqlClient db, String id, Instant sendAt, String staffId, Instant now) {
    return db.preparedQuery(SCHEDULE)
        .execute(Tuple.of(id, utc(sendAt), staffId, utc(now)))
        .map(BulletinStore::first);
  }

  Future<Optional<Bulletin>> startSending(SqlClient db, String id, Instant now) {
    return db.preparedQuery(START_SENDING)
        .execute(Tuple.of(id, utc(now)))
        .map(BulletinStore::first);
  }

  Future<Boolean> markSent(SqlClient db, String id, Instant now) {
    return db.preparedQuery(MARK_SENT)
        .execute(Tuple.of(id, utc(now)))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<List<Bulletin>> archive(
      SqlClient db, String audience, Instant afterTime, String afterId, int limit) {
    return db.preparedQuery(ARCHIVE)
        .execute(Tuple.of(audience, afterTime == null ? null : utc(afterTime), afterId, limit))
        .map(BulletinStore::all);
  }

  Future<List<Bulletin>> byState(
      SqlClient db, String state, Instant afterTime, String afterId, int limit) {
    return db.preparedQuery(BY_STATE)
        .execute(Tuple.of(state, afterTime == null ? null : utc(afterTime), afterId, limit))
        .map(BulletinStore::all);
  }

  private static Optional<Bulletin> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(bulletin(rows.iterator().next()));
  }

  private static List<Bulletin> all(RowSet<Row> rows) {
    List<Bulletin> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(bulletin(r)));
    return out;
  }

  private static Bulletin bulletin(Row r) {
    return new Bulletin(
        r.getString("id"),
        r.getString("title"),
        r.getString("body"),
        List.of(r.getArrayOfStrings("audiences")),
        List.of(r.getArrayOfStrings("areas")),
        r.getString("link"),
        r.getBoolean("urgent"),
        r.getString("state"),
        instant(r, "send_at"),
        instant(r, "created_at"),
        instant(r, "updated_at"),
        instant(r, "published_at"),
        instant(r, "sent_at"));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }
}
