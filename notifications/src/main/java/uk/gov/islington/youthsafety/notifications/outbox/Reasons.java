package uk.gov.islington.youthsafety.notifications.outbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Turns what a channel or an exception says into a {@code last_error} that is safe to store and
 * log: one short line, with any text that also appears in the payload redacted. Channels are asked
 * not to echo payloads, but an SMTP or HTTP error that quotes the message must not copy report text
 * into a column that status displays show.
 */
final class Reasons {

  static final int MAX_LENGTH = 200;
  private static final int MIN_REDACTED_LENGTH = 6;

  private Reasons() {}

  static String sanitise(String reason, JsonObject payload) {
    if (reason == null || reason.isBlank()) {
      return "unspecified";
    }
    String text = reason;
    for (String secret : secretsIn(payload)) {
      text = text.replace(secret, "[redacted]");
    }
    text = text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
    if (text.length() > MAX_LENGTH) {
      text = text.substring(0, MAX_LENGTH - 1) + "…";
    }
    return text.isEmpty() ? "unspecified" : text;
  }

  static String describe(Throwable error, JsonObject payload) {
    if (error instanceof TimeoutException) {
      return "delivery timed out";
    }
    String message = error.getMessage();
    String name = error.getClass().getSimpleName();
    return sanitise(message == null ? name : name + ": " + message, payload);
  }

  /** Every string value in the payload, longest first, and each of its lines. */
  private static List<String> secretsIn(JsonObject payload) {
    List<String> found = new ArrayList<>();
    if (payload != null) {
      collect(payload.getMap().values(), found);
    }
    found.sort((a, b) -> Integer.compare(b.length(), a.length()));
    return found;
  }

  private static void collect(Iterable<?> values, List<String> found) {
    for (Object value : values) {
      if (value instanceof String s) {
        add(s, found);
        for (String line : s.split("\\R")) {
          add(line.strip(), found);
        }
      } else if (value instanceof JsonObject o) {
        collect(o.getMap().values(), found);
      } else if (value instanceof JsonArray a) {
        collect(a, found);
      } else if (value instanceof java.util.Map<?, ?> m) {
        collect(m.values(), found);
      } else if (value instanceof List<?> l) {
        collect(l, found);
      }
    }
  }

  private static void add(String s, List<String> found) {
    if (s.length() >= MIN_REDACTED_LENGTH && !found.contains(s)) {
      found.add(s);
    }
  }
}
