package uk.gov.islington.youthsafety.content.directory;

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

/** All SQL of the support directory: services, their history and the change sequence. */
final class SupportDirectoryStore {

  /** The LISTEN/NOTIFY channel on which every committed change is announced (trigger in V60). */
  static final String CHANNEL = "content_support_services";

  private static final String COLUMNS =
      "id, name, description, categories, age_min, age_max, phone, text_number,"
          + " email, website, address, lat, lon, languages, self_referral, confidential, free, accessibility, hours,"
          + " status, retired_reason, sort_order, change_seq, created_at, updated_at";

  // one statement, so the rows and the sequence position are one consistent snapshot
  private static final String ALL =
      "SELECT y.seq AS sync_seq, y.epoch AS sync_epoch, s.* FROM content.support_sync y"
          + " LEFT JOIN (SELECT "
          + COLUMNS
          + " FROM content.support_services) s ON true";
  private static final String GET =
      "SELECT " + COLUMNS + " FROM content.support_services WHERE id = $1";
  private static final String LOCK = GET + " FOR UPDATE";
  private static final String LOCK_ALL =
      "SELECT " + COLUMNS + " FROM content.support_services ORDER BY sort_order" + " FOR UPDATE";
  private static final String FIELDS =
      "name, description, categories, age_min, age_max, phone, text_number, email,"
          + " website, address, lat, lon, languages, self_referral, confidential, free, accessibility, hours";
  private static final String INSERT =
      "INSERT INTO content.support_services (id, "
          + FIELDS
          + ", status, created_at, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
          + " $13, $14, $15, $16, $17, $18, $19, 'published', $20, $20, $21) RETURNING "
          + COLUMNS;
  private static final String UPDATE =
      "UPDATE content.support_services SET name = $2, description = $3,"
          + " categories = $4, age_min = $5, age_max = $6, phone = $7, text_number = $8, email = $9, website = $10,"
          + " address = $11, lat = $12, lon = $13, languages = $14, self_referral = $15, confidential = $16, free = $17,"
          + " accessibility = $18, hours = $19, updated_at = $20, updated_by = $21 WHERE id = $1 RETURNING "
          + COLUMNS;
  private static final String SET_STATUS =
      "UPDATE content.support_services SET status = $2, retired_reason = $3,"
          + " updated_at = $4, updated_by = $5 WHERE id = $1 RETURNING "
          + COLUMNS;
  private static final String HISTORY =
      "SELECT change_seq, status, record, changed_at, changed_by"
          + " FROM content.support_service_history WHERE service_id = $1 ORDER BY change_seq DESC LIMIT $2";

  /** Every service and the sequence position they were read at. */
  record All(String epoch, long seq, List<SupportService> services) {}

  private SupportDirectoryStore() {}

  static Future<All> all(SqlClient db) {
    return db.preparedQuery(ALL)
        .execute()
        .map(
            rows -> {
              String epoch = null;
              long seq = 0;
              List<SupportService> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                epoch = r.getString("sync_epoch");
                seq = r.getLong("sync_seq");
                if (r.getString("id") != null) {
                  out.add(service(r));
                }
              }
              return new All(epoch, seq, out);
            });
  }

  static Future<Optional<SupportService>> get(SqlClient db, String id, boolean lock) {
    return db.preparedQuery(lock ? LOCK : GET)
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(service(rows.iterator().next())));
  }

  static Future<List<SupportService>> lockAll(SqlClient db) {
    return db.preparedQuery(LOCK_ALL).execute().map(SupportDirectoryStore::services);
  }

  static Future<SupportService> insert(
      SqlClient db, String id, SupportServiceInput.Draft d, Instant now, String by) {
    return write(db, INSERT, id, d, now, by);
  }

  static Future<SupportService> update(
      SqlClient db, String id, SupportServiceInput.Draft d, Instant now, String by) {
    return write(db, UPDATE, id, d, now, by);
  }

  /** INSERT or UPDATE: both take the id, the fields, when and by whom, and return the row. */
  private static Future<SupportService> write(
      SqlClient db, String sql, String id, SupportServiceInput.Draft d, Instant now, String by) {
    Tuple t = Tuple.tuple().addString(id);
    fields(t, d);
    return db.preparedQuery(sql)
        .execute(t.addOffsetDateTime(ts(now)).addString(by))
        .map(rows -> service(rows.iterator().next()));
  }

  static Future<SupportService> setStatus(
      SqlClient db, String id, boolean published, String reason, Instant now, String by) {
    return db.preparedQuery(SET_STATUS)
        .execute(
            Tuple.of(
                id, published ? "published" : "retired", published ? null : reason, ts(now), by))
        .map(rows -> service(rows.iterator().next()));
  }

  static Future<List<SupportDirectory.Version>> history(SqlClient db, String id, int limit) {
    return db.preparedQuery(HISTORY)
        .execute(Tuple.of(id, limit))
        .map(
            rows -> {
              List<SupportDirectory.Version> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(
                    new SupportDirectory.Version(
                        r.getLong("change_seq"),
                        r.getString("status"),
                        r.getJsonObject("record"),
                        r.getOffsetDateTime("changed_at").toInstant(),
                        r.getString("changed_by")));
              }
              return out;
            });
  }

  private static void fields(Tuple t, SupportServiceInput.Draft d) {
    t.addString(d.name())
        .addString(d.description())
        .addArrayOfString(d.categories().toArray(new String[0]))
        .addValue(d.ageMin())
        .addValue(d.ageMax())
        .addString(d.phone())
        .addString(d.textNumber())
        .addString(d.email())
        .addString(d.website())
        .addString(d.address())
        .addValue(d.lat())
        .addValue(d.lon())
        .addArrayOfString(d.languages().toArray(new String[0]))
        .addValue(d.selfReferral())
        .addValue(d.confidential())
        .addValue(d.free())
        .addString(d.accessibilityNotes())
        .addJsonObject(SupportServiceInput.hoursJson(d.hours()));
  }

  private static List<SupportService> services(RowSet<Row> rows) {
    List<SupportService> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(service(r)));
    return out;
  }

  private static SupportService service(Row r) {
    String[] categories = r.getArrayOfStrings("categories");
    String[] languages = r.getArrayOfStrings("languages");
    SupportServiceInput.Draft d =
        new SupportServiceInput.Draft(
            r.getString("name"),
            r.getString("description"),
            List.of(categories),
            r.getInteger("age_min"),
            r.getInteger("age_max"),
            r.getString("phone"),
            r.getString("text_number"),
            r.getString("email"),
            r.getString("website"),
            r.getString("address"),
            r.getDouble("lat"),
            r.getDouble("lon"),
            languages == null ? List.of() : List.of(languages),
            r.getBoolean("self_referral"),
            r.getBoolean("confidential"),
            r.getBoolean("free"),
            r.getString("accessibility"),
            SupportServiceInput.parseHours(r.getJsonObject("hours")));
    return new SupportService(
        r.getString("id"),
        d,
        "published".equals(r.getString("status")),
        r.getString("retired_reason"),
        r.getInteger("sort_order"),
        r.getLong("change_seq"),
        r.getOffsetDateTime("created_at").toInstant(),
        r.getOffsetDateTime("updated_at").toInstant());
  }

  private static OffsetDateTime ts(Instant i) {
    return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}
