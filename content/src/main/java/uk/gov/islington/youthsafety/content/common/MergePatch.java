package uk.gov.islington.youthsafety.content.common;

import io.vertx.core.json.JsonObject;

/** RFC 7386 JSON merge patch: objects merge, arrays and values replace, null removes. */
public final class MergePatch {

  private MergePatch() {}

  /** {@code target} with {@code patch} applied; neither is changed. */
  public static JsonObject apply(JsonObject target, JsonObject patch) {
    JsonObject out = target.copy();
    for (String key : patch.fieldNames()) {
      Object v = patch.getValue(key);
      if (v == null) {
        out.remove(key);
      } else if (v instanceof JsonObject p && out.getValue(key) instanceof JsonObject t) {
        out.put(key, apply(t, p));
      } else {
        out.put(key, v instanceof JsonObject p ? apply(new JsonObject(), p) : v);
      }
    }
    return out;
  }
}
