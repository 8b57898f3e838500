package uk.gov.islington.youthsafety.content.directory;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import uk.gov.islington.youthsafety.content.common.Cursor;
import uk.gov.islington.youthsafety.content.common.Page;

/** The directory of support: filter by category and age, emergency numbers first, keyset-paged. */
public final class SupportDirectory {

  private final SupportDirectoryStore store;

  public SupportDirectory(SqlClient db) {
    this.store = new SupportDirectoryStore(db);
  }

  public Future<Page<SupportService>> list(String category, Integer age, int limit, String cursor) {
    JsonObject after = Cursor.decode(cursor);
    int afterSortOrder = after == null ? Integer.MIN_VALUE : Cursor.intAt(after, "s");
    // one extra row tells whether there is a next page without a count query
    return store.list(category, age, afterSortOrder, limit + 1).map(rows -> {
      if (rows.size() <= limit) {
        return new Page<>(rows, null);
      }
      List<SupportService> page = rows.subList(0, limit);
      return new Page<>(List.copyOf(page),
          Cursor.encode(new JsonObject().put("s", page.get(page.size() - 1).sortOrder())));
    });
  }
}
