package uk.gov.islington.youthsafety.api.havens;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import uk.gov.islington.youthsafety.api.http.EmergencyCalls;
import uk.gov.islington.youthsafety.content.havens.Haven;
import uk.gov.islington.youthsafety.content.havens.Havens;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/**
 * The findNearbyHavens answer, written straight to bytes: the part of each item that only changes
 * with the haven (id, name, address, location, facilities, phone) is encoded to UTF-8 once per
 * version of the haven; only distance and opening state are written per request, into one array
 * that is copied once into the response body. Optional fields that are absent are left out. This is
 * the hottest path of the service (a frightened young person's first request), so it avoids
 * building and serialising a tree of maps per request.
 */
final class NearbyJson {

  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);
  private static final byte[] CALL = utf8(EmergencyCalls.json().encode());
  private static final int MAX_CACHED = 200_000;

  /**
   * A haven's encoded static part, for the version it was encoded from, and its encoded state for
   * the last status object seen: statuses are memoised until the next change, so the same object
   * comes back request after request and its bytes are reused.
   */
  private record State(OpeningHours.Status status, byte[] bytes) {}

  private static final class Fragment {
    final long changeSeq;
    final byte[] json;
    // one immutable pair, so a reader never matches one status with another's bytes
    volatile State state;

    Fragment(long changeSeq, byte[] json) {
      this.changeSeq = changeSeq;
      this.json = json;
    }
  }

  // by id; a new version of a haven replaces its entry
  private final Map<String, Fragment> fragments = new ConcurrentHashMap<>();
  // opening and closing times repeat across havens (17:00 today...): format each once
  private final Map<Instant, String> times = new ConcurrentHashMap<>();

  Buffer encode(Havens.Nearby n) {
    Out out = new Out(256 + n.items().size() * 384);
    out.ascii("{\"items\":");
    items(out, n.items());
    out.ascii(",\"openNowWithinRadius\":")
        .ascii(n.openWithinRadius() ? "true" : "false")
        .ascii(",\"radius\":")
        .number(n.radius())
        // shown to the second: one cache entry a second, not one per request
        .ascii(",\"at\":\"")
        .ascii(time(n.at().truncatedTo(ChronoUnit.SECONDS)))
        .ascii("\"")
        .ascii(",\"fallback\":");
    if (n.fallback() == null) {
      out.ascii("null");
    } else {
      String message =
          (n.items().isEmpty() && n.fallback().nearestOpen().isEmpty()
                  ? "No Safe Haven is open within " + n.radius() + " m right now."
                  : "No Safe Haven within " + n.radius() + " m is open right now.")
              + " If you are in danger, call 999. Go somewhere busy and well lit, like a shop or a station, "
              + "and stay with people.";
      out.ascii("{\"message\":")
          .bytes(utf8(Json.encode(message)))
          .ascii(",\"call\":")
          .bytes(CALL)
          .ascii(",\"nearestOpen\":");
      items(out, n.fallback().nearestOpen());
      out.ascii(",\"opensSoon\":");
      items(out, n.fallback().opensSoon());
      out.ascii("}");
    }
    out.ascii("}");
    return out.buffer();
  }

  private void items(Out out, List<Havens.Found> found) {
    out.ascii("[");
    for (int i = 0; i < found.size(); i++) {
      if (i > 0) {
        out.ascii(",");
      }
      item(out, found.get(i));
    }
    out.ascii("]");
  }

  private void item(Out out, Havens.Found f) {
    Fragment fragment = fragment(f.haven());
    out.ascii("{")
        .bytes(fragment.json)
        .ascii(",\"distanceMetres\":")
        .number(Math.round(f.distanceMetres()))
        .bytes(state(fragment, f.haven(), f.status()))
        .ascii("}");
  }

  private byte[] state(Fragment fragment, Haven h, OpeningHours.Status status) {
    State cached = fragment.state;
    if (cached != null && cached.status() == status) {
      return cached.bytes();
    }
    StringBuilder sb = new StringBuilder(96).append(",\"openNow\":").append(status.open());
    if (status.opensAt() != null) {
      sb.append(",\"opensAt\":\"").append(time(status.opensAt())).append('"');
    }
    if (status.closesAt() != null) {
      sb.append(",\"closesAt\":\"").append(time(status.closesAt())).append('"');
    }
    OpeningHours.Closure closure = h.hours().closure();
    if (closure != null && !status.open()) {
      sb.append(",\"closedReason\":").append(Json.encode(closure.reason()));
    }
    byte[] bytes = utf8(sb.toString());
    fragment.state = new State(status, bytes);
    return bytes;
  }

  private Fragment fragment(Haven h) {
    Fragment cached = fragments.get(h.id());
    if (cached != null && cached.changeSeq == h.changeSeq()) {
      return cached;
    }
    JsonObject o =
        HavenJson.opening(h)
            .put("category", h.category())
            .put("location", new JsonObject().put("lat", h.lat()).put("lon", h.lon()))
            .put("facilities", new JsonArray(h.facilities()));
    if (h.phone() != null) {
      o.put("phone", h.phone());
    }
    String encoded = o.encode();
    byte[] inner = utf8(encoded.substring(1, encoded.length() - 1));
    if (fragments.size() >= MAX_CACHED) {
      fragments.clear();
    }
    Fragment made = new Fragment(h.changeSeq(), inner);
    fragments.put(h.id(), made);
    return made;
  }

  String time(Instant i) {
    String t = times.get(i);
    if (t == null) {
      t = RFC3339.format(ZonedDateTime.ofInstant(i, OpeningHours.LONDON));
      if (times.size() >= MAX_CACHED) {
        times.clear();
      }
      times.put(i, t);
    }
    return t;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A growing byte array; its content is copied once into the body. */
  private static final class Out {
    private byte[] a;
    private int n;

    Out(int capacity) {
      a = new byte[capacity];
    }

    Out bytes(byte[] b) {
      room(b.length);
      System.arraycopy(b, 0, a, n, b.length);
      n += b.length;
      return this;
    }

    /** Text known to be ASCII (JSON punctuation, numbers, RFC 3339 times). */
    @SuppressWarnings(
        "deprecation") // String.getBytes(int, int, byte[], int): exact for ASCII, no encoder
    Out ascii(String s) {
      room(s.length());
      s.getBytes(0, s.length(), a, n);
      n += s.length();
      return this;
    }

    Out number(long v) {
      return ascii(Long.toString(v));
    }

    Buffer buffer() {
      return Buffer.buffer(n).appendBytes(a, 0, n);
    }

    private void room(int more) {
      if (n + more > a.length) {
        a = Arrays.copyOf(a, Math.max(a.length * 2, n + more));
      }
    }
  }
}
