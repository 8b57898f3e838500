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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import uk.gov.islington.youthsafety.content.havens.Haven;
import uk.gov.islington.youthsafety.content.havens.Havens;
import uk.gov.islington.youthsafety.content.havens.OpeningHours;

/**
 * The findNearbyHavens answer, written straight to bytes: the part of each item that only changes
 * with the haven (id, name, address, location, facilities, phone) is encoded once per version of
 * the haven; only distance and opening state are written per request. Optional fields that are
 * absent are left out. This is the hottest path of the service (a frightened young person's first
 * request), so it avoids building and serialising a tree of maps per request.
 */
final class NearbyJson {

  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);
  private static final String CALL = new JsonArray()
      .add(new JsonObject().put("number", "999")
          .put("when", "If you are in danger or someone is hurt, call 999 now."))
      .add(new JsonObject().put("number", "101")
          .put("when", "If it is not an emergency, call the police on 101."))
      .encode();
  private static final int MAX_CACHED = 200_000;

  /**
   * A haven's encoded static part, for the version it was encoded from, and its encoded state for
   * the last status object seen: statuses are memoised until the next change, so the same object
   * comes back request after request and its text is reused.
   */
  private record State(OpeningHours.Status status, String text) {}

  private static final class Fragment {
    final long changeSeq;
    final String json;
    // one immutable pair, so a reader never matches one status with another's text
    volatile State state;

    Fragment(long changeSeq, String json) {
      this.changeSeq = changeSeq;
      this.json = json;
    }
  }

  // by id; a new version of a haven replaces its entry
  private final Map<String, Fragment> fragments = new ConcurrentHashMap<>();
  // opening and closing times repeat across havens (17:00 today...): format each once
  private final Map<Instant, String> times = new ConcurrentHashMap<>();

  Buffer encode(Havens.Nearby n) {
    StringBuilder sb = new StringBuilder(256 + n.items().size() * 360);
    sb.append("{\"items\":");
    items(sb, n.items());
    sb.append(",\"openNowWithinRadius\":").append(n.openWithinRadius())
        .append(",\"radius\":").append(n.radius())
        // shown to the second: one cache entry a second, not one per request
        .append(",\"at\":\"").append(time(n.at().truncatedTo(ChronoUnit.SECONDS))).append('"')
        .append(",\"fallback\":");
    if (n.fallback() == null) {
      sb.append("null");
    } else {
      String message = (n.items().isEmpty() && n.fallback().nearestOpen().isEmpty()
          ? "No Safe Haven is open within " + n.radius() + " m right now."
          : "No Safe Haven within " + n.radius() + " m is open right now.")
          + " If you are in danger, call 999. Go somewhere busy and well lit, like a shop or a station, "
          + "and stay with people.";
      sb.append("{\"message\":").append(Json.encode(message)).append(",\"call\":").append(CALL)
          .append(",\"nearestOpen\":");
      items(sb, n.fallback().nearestOpen());
      sb.append(",\"opensSoon\":");
      items(sb, n.fallback().opensSoon());
      sb.append('}');
    }
    sb.append('}');
    return Buffer.buffer(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void items(StringBuilder sb, List<Havens.Found> found) {
    sb.append('[');
    for (int i = 0; i < found.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      item(sb, found.get(i));
    }
    sb.append(']');
  }

  private void item(StringBuilder sb, Havens.Found f) {
    Fragment fragment = fragment(f.haven());
    sb.append('{').append(fragment.json)
        .append(",\"distanceMetres\":").append(Math.round(f.distanceMetres()))
        .append(state(fragment, f.haven(), f.status()))
        .append('}');
  }

  private String state(Fragment fragment, Haven h, OpeningHours.Status status) {
    State cached = fragment.state;
    if (cached != null && cached.status() == status) {
      return cached.text();
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
    String text = sb.toString();
    fragment.state = new State(status, text);
    return text;
  }

  private Fragment fragment(Haven h) {
    Fragment cached = fragments.get(h.id());
    if (cached != null && cached.changeSeq == h.changeSeq()) {
      return cached;
    }
    JsonObject o = new JsonObject()
        .put("id", h.id())
        .put("name", h.name())
        .put("address", h.address())
        .put("postcode", h.postcode())
        .put("category", h.category())
        .put("location", new JsonObject().put("lat", h.lat()).put("lon", h.lon()))
        .put("facilities", new JsonArray(h.facilities()));
    if (h.phone() != null) {
      o.put("phone", h.phone());
    }
    String encoded = o.encode();
    String inner = encoded.substring(1, encoded.length() - 1);
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
}
