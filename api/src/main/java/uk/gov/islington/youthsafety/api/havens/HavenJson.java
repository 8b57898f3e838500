package uk.gov.islington.youthsafety.api.havens;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import uk.gov.islington.youthsafety.content.havens.Haven;
import uk.gov.islington.youthsafety.content.havens.HavenApplication;
import uk.gov.islington.youthsafety.content.havens.HavenInput;
import uk.gov.islington.youthsafety.content.hours.HoursJson;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/** Havens and applications as the contract shows them, with whether a haven is open now. */
final class HavenJson {

  static final String TIME_ZONE = "Europe/London";

  private final Clock clock;
  private final NearbyJson nearbyJson;

  HavenJson(Clock clock, NearbyJson nearbyJson) {
    this.clock = clock;
    this.nearbyJson = nearbyJson;
  }

  JsonObject haven(Haven h, boolean editor) {
    return havenJson(h, h.statusAt(clock.instant()), editor);
  }

  private JsonObject havenJson(Haven h, OpeningHours.Status status, boolean editor) {
    JsonObject o =
        new JsonObject()
            .put("id", h.id())
            .mergeIn(premises(h.premises()))
            .put("temporaryClosure", HoursJson.closure(h.hours().closure()))
            .put("lastVerifiedOn", h.lastVerifiedOn().toString())
            .put("timeZone", TIME_ZONE)
            .put("openNow", status.open())
            .put("opensAt", time(status.opensAt()))
            .put("closesAt", time(status.closesAt()))
            .put("status", h.published() ? "published" : "suspended")
            .put("updatedAt", h.updatedAt().toString());
    if (editor) {
      o.put("suspendedReason", h.suspendedReason());
    }
    return o;
  }

  /** How every short form of a haven (the app's bundle, a nearby result) opens. */
  static JsonObject opening(Haven h) {
    return new JsonObject()
        .put("id", h.id())
        .put("name", h.name())
        .put("address", h.address())
        .put("postcode", h.postcode());
  }

  /** The premises fields, as a haven and an application both show them. */
  private static JsonObject premises(HavenInput.Draft p) {
    return new JsonObject()
        .put("name", p.name())
        .put("address", p.address())
        .put("postcode", p.postcode())
        .put("location", new JsonObject().put("lat", p.lat()).put("lon", p.lon()))
        .put("category", p.category())
        .put("facilities", new JsonArray(p.facilities()))
        .put("phone", p.phone())
        .put("notes", p.notes())
        .put("openingHours", HoursJson.hours(p.hours()));
  }

  static JsonObject application(HavenApplication a) {
    HavenInput.Draft p = a.premises();
    JsonObject contact =
        a.contactName() == null && a.contactEmail() == null && a.contactPhone() == null
            ? null
            : new JsonObject()
                .put("name", a.contactName())
                .put("email", a.contactEmail())
                .put("phone", a.contactPhone());
    return new JsonObject()
        .put("id", a.id())
        .put("status", a.status())
        .mergeIn(premises(p))
        .put("contact", contact)
        .put("submittedAt", a.submittedAt().toString())
        .put("decidedAt", a.decidedAt() == null ? null : a.decidedAt().toString())
        .put("decisionReason", a.decisionReason())
        .put("havenId", a.havenId())
        .put(
            "contactPurgedAt", a.contactPurgedAt() == null ? null : a.contactPurgedAt().toString());
  }

  private String time(Instant i) {
    return i == null ? null : nearbyJson.time(i);
  }
}
