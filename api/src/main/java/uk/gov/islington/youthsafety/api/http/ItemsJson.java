package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import uk.gov.islington.youthsafety.content.common.Page;

/**
 * The body of every list operation: {@code items}, each as {@code toJson} writes it, and {@code
 * nextCursor}, the cursor of the next page (null on the last one).
 */
public final class ItemsJson {

  private ItemsJson() {}

  /** A whole list: there is no next page. */
  public static <T> JsonObject all(List<T> items, Function<? super T, ?> toJson) {
    return of(items, toJson, null);
  }

  public static <T> JsonObject page(Page<T> page, Function<? super T, ?> toJson) {
    return of(page.items(), toJson, page.nextCursor());
  }

  private static <T> JsonObject of(
      List<T> items, Function<? super T, ?> toJson, String nextCursor) {
    JsonArray out = new JsonArray();
    items.forEach(i -> out.add(toJson.apply(i)));
    return new JsonObject().put("items", out).put("nextCursor", nextCursor);
  }
}
