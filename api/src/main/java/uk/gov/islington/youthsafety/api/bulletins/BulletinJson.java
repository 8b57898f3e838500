package uk.gov.islington.youthsafety.api.bulletins;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import uk.gov.islington.youthsafety.content.bulletins.Bulletin;
import uk.gov.islington.youthsafety.content.bulletins.BulletinDelivery;
import uk.gov.islington.youthsafety.notifications.push.PushSubscription;

/** Bulletins, their delivery report and push subscriptions as the contract shows them. */
final class BulletinJson {

  private BulletinJson() {}

  static List<String> strings(JsonArray array) {
    if (array == null) {
      return null;
    }
    List<String> out = new ArrayList<>(array.size());
    array.forEach(v -> out.add(v == null ? null : v.toString()));
    return out;
  }

  static JsonObject toJson(Bulletin b, boolean staffView) {
    JsonObject json =
        new JsonObject()
            .put("id", b.id())
            .put("title", b.title())
            .put("body", b.body())
            .put("audiences", new JsonArray(b.audiences()))
            .put("areas", new JsonArray(b.areas()))
            .put("link", b.link())
            .put("urgent", b.urgent())
            .put("publishedAt", time(b.publishedAt()));
    if (staffView) {
      json.put("state", b.state())
          .put("sendAt", time(b.sendAt()))
          .put("sentAt", time(b.sentAt()))
          .put("createdAt", time(b.createdAt()))
          .put("updatedAt", time(b.updatedAt()));
    }
    return json;
  }

  static JsonObject toJson(BulletinDelivery d) {
    return new JsonObject()
        .put("bulletinId", d.bulletinId())
        .put("state", d.state())
        .put("sendAt", time(d.sendAt()))
        .put("targeted", d.targeted())
        .put("sent", d.sent())
        .put("failed", d.failed())
        .put("invalidTokensRemoved", d.invalidTokensRemoved())
        .put("skipped", d.skipped())
        .put("pending", d.pending())
        .put("startedAt", time(d.startedAt()))
        .put("completedAt", time(d.completedAt()))
        .put(
            "email",
            new JsonObject()
                .put("targeted", d.email().targeted())
                .put("sent", d.email().sent())
                .put("undeliverable", d.email().undeliverable())
                .put("skipped", d.email().skipped())
                .put("pending", d.email().pending()));
  }

  static JsonObject toJson(PushSubscription s) {
    return new JsonObject()
        .put("audiences", new JsonArray(s.audiences()))
        .put("areas", new JsonArray(s.areas()))
        .put("subscribedAt", time(s.createdAt()))
        .put("refreshedAt", time(s.refreshedAt()));
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
