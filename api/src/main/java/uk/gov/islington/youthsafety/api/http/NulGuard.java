package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import uk.gov.islington.youthsafety.content.common.InvalidInput;

/**
 * Refuses a JSON body with the NUL character (U+0000, which JSON can carry escaped) in any string
 * or property name, naming the field as the schema errors do ({@code venue.name}, {@code
 * questions[0].text}). JSON allows it, the schemas cannot exclude it, and PostgreSQL can store it
 * in neither text nor jsonb: it reached the database as a 500 (events, report categories,
 * consultations).
 */
final class NulGuard {

  private NulGuard() {}

  static void check(Object body) {
    String field = firstNul(body, "");
    if (field != null) {
      throw InvalidInput.of(
          field.isEmpty() ? "body" : field, "must not contain the NUL character (U+0000)");
    }
  }

  /** The path of the first string or name with a NUL in it, or null. */
  private static String firstNul(Object value, String path) {
    if (value instanceof String s) {
      return s.indexOf('\0') >= 0 ? path : null;
    }
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> e : object) {
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        String found = e.getKey().indexOf('\0') >= 0 ? child : firstNul(e.getValue(), child);
        if (found != null) {
          return found;
        }
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        String found = firstNul(array.getValue(i), path + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
