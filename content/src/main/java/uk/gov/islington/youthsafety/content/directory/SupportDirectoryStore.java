package uk.gov.islington.youthsafety.content.directory;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/** All SQL of the support directory. */
final class SupportDirectoryStore {

  private static final String LIST = """
      SELECT id, name, description, category, age_min, age_max, phone, email, website, address, sort_order
        FROM content.support_services
       WHERE ($1::text IS NULL OR category = $1)
         AND ($2::int IS NULL OR ((age_min IS NULL OR age_min <= $2) AND (age_max IS NULL OR age_max >= $2)))
         AND sort_order > $3
       ORDER BY sort_order
       LIMIT $4
      """;

  private final SqlClient db;

  SupportDirectoryStore(SqlClient db) {
    this.db = db;
  }

  Future<List<SupportService>> list(String category, Integer age, int afterSortOrder, int limit) {
    return db.preparedQuery(LIST)
        .execute(Tuple.of(category, age, afterSortOrder, limit))
        .map(rows -> {
          List<SupportService> out = new java.util.ArrayList<>(rows.size());
          rows.forEach(r -> out.add(toService(r)));
          return out;
        });
  }

  private static SupportService toService(Row r) {
    return new SupportService(r.getString("id"), r.getString("name"), r.getString("description"),
        r.getString("category"), r.getInteger("age_min"), r.getInteger("age_max"), r.getString("phone"),
        r.getString("email"), r.getString("website"), r.getString("address"), r.getInteger("sort_order"));
  }
}
