package uk.gov.islington.youthsafety.api.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import uk.gov.islington.youthsafety.api.http.EmergencyCalls;
import uk.gov.islington.youthsafety.content.directory.SupportDirectory;
import uk.gov.islington.youthsafety.content.directory.SupportService;
import uk.gov.islington.youthsafety.content.directory.SupportServiceInput;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/**
 * The directory's records as JSON: a service as listed, as an editor sees it, and the list's
 * answer.
 */
final class SupportServiceJson {

  static final String TIME_ZONE = "Europe/London";
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);

  /**
   * Always in the list's answer, whatever the filters: what to do when no service can help in time.
   */
  static final JsonObject GUIDANCE =
      new JsonObject()
          .put(
              "message",
              "If you or someone else is in danger right now, call 999. The services here are not "
                  + "emergency services.")
          .put("call", EmergencyCalls.json());

  private SupportServiceJson() {}

  /** The list's answer. No time of computation in it: equal answers are equal bytes (the ETag). */
  static JsonObject listing(SupportDirectory.Listing l) {
    JsonArray items = new JsonArray();
    l.items().forEach(i -> items.add(service(i.service(), i.availability(), false)));
    return new JsonObject()
        .put("items", items)
        .put("nextCursor", l.nextCursor())
        .put("syncToken", l.token().encode())
        .put("full", l.full())
        .put("removed", new JsonArray(l.removed()))
        .put("timeZone", TIME_ZONE)
        .put("guidance", GUIDANCE);
  }

  /** A service as the app shows it; {@code editor} adds status and version. */
  static JsonObject service(SupportService s, SupportService.Availability a, boolean editor) {
    SupportServiceInput.Draft f = s.fields();
    JsonObject o = new JsonObject().put("id", s.id()).put("category", s.category());
    o.mergeIn(SupportServiceInput.json(f));
    // the contract's fields are always there, null when not stated
    o.put("ageRange", new JsonObject().put("min", f.ageMin()).put("max", f.ageMax()))
        .put("phone", f.phone())
        .put("email", f.email())
        .put("website", f.website())
        .put("address", f.address())
        .put("openNow", a.openNow())
        .put("nextOpens", time(a.nextOpens()))
        .put("alwaysOpen", a.alwaysOpen());
    JsonArray channels = new JsonArray();
    for (SupportService.ChannelState c : a.channels()) {
      OpeningHours.Status st = c.status();
      channels.add(
          new JsonObject()
              .put("channel", c.channel().wire())
              .put("openNow", st.open())
              .put("opensAt", time(st.opensAt()))
              .put("closesAt", time(st.closesAt())));
    }
    o.put("availability", channels);
    if (editor) {
      o.put("status", s.published() ? "published" : "retired")
          .put("retiredReason", s.retiredReason())
          .put("version", version(s))
          .put("updatedAt", s.updatedAt().toString());
    }
    return o;
  }

  static JsonObject version(SupportDirectory.Version v) {
    return new JsonObject()
        .put("version", "v" + v.changeSeq())
        .put("status", v.status())
        .put("changedAt", v.changedAt().toString())
        .put("changedBy", v.changedBy())
        .put("record", v.record());
  }

  static String version(SupportService s) {
    return "v" + s.changeSeq();
  }

  static String time(Instant i) {
    return i == null ? null : RFC3339.format(i.atZone(OpeningHours.LONDON));
  }
}
