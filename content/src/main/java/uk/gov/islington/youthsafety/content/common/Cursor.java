package uk.gov.islington.youthsafety.content.common;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque keyset cursors: the position after the last item of a page, as base64url JSON. Opaque to
 * the app (it must not build them) but not secret; a tampered cursor only yields a 400 or a page.
 */
public final class Cursor {

  private Cursor() {}

  public static String encode(JsonObject position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(position.encode().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The position inside {@code cursor}, or null for the first page; 400 naming `cursor` if broken.
   */
  public static JsonObject decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      return new JsonObject(
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw broken();
    }
  }

  /** A number inside a decoded cursor; a cursor without it was not issued by us (400). */
  public static int intAt(JsonObject position, String key) {
    return position.getValue(key) instanceof Number n ? n.intValue() : throwBroken();
  }

  /** A string inside a decoded cursor; see {@link #intAt}. */
  public static String stringAt(JsonObject position, String key) {
    return position.getValue(key) instanceof String s ? s : throwBroken();
  }

  private static <T> T throwBroken() {
    throw broken();
  }

  private static InvalidInput broken() {
    return InvalidInput.of("cursor", "is not a cursor this API issued");
  }
}
