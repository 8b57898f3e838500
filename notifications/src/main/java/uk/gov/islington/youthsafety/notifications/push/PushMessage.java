package uk.gov.islington.youthsafety.notifications.push;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One notification as every recipient of a push job gets it. Small by construction: FCM refuses
 * messages whose notification and data together exceed 4096 bytes, so the constructor refuses
 * anything above {@link #MAX_PAYLOAD_BYTES} (leaving room for the platform keys FCM adds), and
 * {@link #preview} cuts long text at a word boundary. Carry references (a bulletin id) rather than
 * content: the app fetches the full text.
 *
 * @param collapseKey also the Android notification tag and the APNs collapse id: a message that is
 *     delivered twice (a crash between FCM's answer and our commit) replaces itself on the device
 *     instead of showing twice
 * @param urgent high priority (Android) / priority 10 and time-sensitive (APNs)
 * @param ttl how long FCM keeps trying to reach a phone that is off
 */
public record PushMessage(
    String title,
    String body,
    Map<String, String> data,
    String collapseKey,
    boolean urgent,
    Duration ttl) {

  /** FCM's limit is 4096 bytes for notification + data; keep a margin for the keys it adds. */
  public static final int MAX_PAYLOAD_BYTES = 3800;

  public PushMessage {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(collapseKey, "collapseKey");
    Objects.requireNonNull(ttl, "ttl");
    data = data == null ? Map.of() : Map.copyOf(data);
    if (collapseKey.isEmpty() || collapseKey.getBytes(StandardCharsets.UTF_8).length > 64) {
      throw new IllegalArgumentException(
          "collapseKey must be 1..64 bytes (the APNs collapse id limit)");
    }
    if (ttl.isNegative() || ttl.compareTo(Duration.ofDays(28)) > 0) {
      throw new IllegalArgumentException("ttl must be 0..28 days (the FCM maximum)");
    }
    for (String key : data.keySet()) {
      if (key.startsWith("google.")
          || key.startsWith("gcm.")
          || key.equals("from")
          || key.equals("message_type")
          || key.equals("collapse_key")) {
        throw new IllegalArgumentException("data key " + key + " is reserved by FCM");
      }
    }
    int bytes = payloadBytes(title, body, data);
    if (bytes > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "push payload is " + bytes + " bytes, the limit is " + MAX_PAYLOAD_BYTES);
    }
  }

  /** Bytes of the notification and data as FCM counts them (keys and values, UTF-8). */
  public int payloadBytes() {
    return payloadBytes(title, body, data);
  }

  private static int payloadBytes(String title, String body, Map<String, String> data) {
    int n = utf8("title") + utf8(title) + utf8("body") + utf8(body);
    for (Map.Entry<String, String> e : data.entrySet()) {
      n += utf8(e.getKey()) + utf8(e.getValue());
    }
    return n;
  }

  private static int utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * {@code text} cut to at most {@code maxBytes} UTF-8 bytes, at a word boundary where there is one
   * in the last fifth, with an ellipsis when cut; whitespace runs collapse to one space.
   */
  public static String preview(String text, int maxBytes) {
    String flat = text.strip().replaceAll("\\s+", " ");
    if (utf8(flat) <= maxBytes) {
      return flat;
    }
    String ellipsis = "…";
    int budget = maxBytes - utf8(ellipsis);
    int end = 0;
    int bytes = 0;
    while (end < flat.length()) {
      int cp = flat.codePointAt(end);
      int size = utf8(new String(Character.toChars(cp)));
      if (bytes + size > budget) {
        break;
      }
      bytes += size;
      end += Character.charCount(cp);
    }
    int space = flat.lastIndexOf(' ', end);
    if (space > end * 4 / 5) {
      end = space;
    }
    return flat.substring(0, end).stripTrailing() + ellipsis;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("title", title)
        .put("body", body)
        .put("data", new JsonObject(new LinkedHashMap<>(data)))
        .put("collapseKey", collapseKey)
        .put("urgent", urgent)
        .put("ttlSeconds", ttl.toSeconds());
  }

  public static PushMessage fromJson(JsonObject json) {
    Map<String, String> data = new LinkedHashMap<>();
    JsonObject d = json.getJsonObject("data", new JsonObject());
    d.forEach(e -> data.put(e.getKey(), String.valueOf(e.getValue())));
    return new PushMessage(
        json.getString("title"),
        json.getString("body"),
        data,
        json.getString("collapseKey"),
        json.getBoolean("urgent", false),
        Duration.ofSeconds(json.getLong("ttlSeconds", 0L)));
  }

  /** Never prints the text. */
  @Override
  public String toString() {
    return "PushMessage[collapseKey="
        + collapseKey
        + ", urgent="
        + urgent
        + ", bytes="
        + payloadBytes()
        + "]";
  }
}
