package uk.gov.islington.youthsafety.content.common;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/** One page of a list: the items and the opaque cursor of the next page (null on the last). */
public record Page<T>(List<T> items, String nextCursor) {

  /**
   * The page of a keyset query that asked for {@code limit} + 1 rows: the first {@code limit}, and
   * when the extra row came, the cursor to the {@code position} after the last of them.
   */
  public static <T> Page<T> of(List<T> rows, int limit, Function<T, JsonObject> position) {
    if (rows.size() <= limit) {
      return new Page<>(List.copyOf(rows), null);
    }
    List<T> items = List.copyOf(rows.subList(0, limit));
    return new Page<>(items, Cursor.encode(position.apply(items.get(limit - 1))));
  }

  public <R> Page<R> map(Function<T, R> f) {
    return new Page<>(items.stream().map(f).toList(), nextCursor);
  }
}
