package uk.gov.islington.youthsafety.api.bulletins;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.bulletins.BulletinApi.draft;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;
import uk.gov.islington.youthsafety.testing.FakeFcm;

/**
 * The whole service with push through the real Firebase Admin SDK to the fake FCM server: what the
 * phones would get, what FCM's answers do to the subscriptions, and the delivery report.
 */
@WithTestApp(fcm = true)
class BulletinsFcmTest {

  static FakeFcm fcm;
  static TestApp app;
  static final BulletinApi api = new BulletinApi(() -> app);

  @Test
  void readinessSaysWhatIsNotConfiguredAndNothingElse() {
    var ready = app.get("/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    List<String> warnings =
        ready.bodyAsJsonObject().getJsonArray("warnings").stream().map(String.class::cast).toList();
    assertThat(warnings)
        .anyMatch(w -> w.startsWith("Bulletin e-mail is not configured"))
        .noneMatch(w -> w.startsWith("Push is not configured"));
  }

  @Test
  void aBulletinReachesEverySubscriberOnceAndDeadTokensAreRemoved() {
    List<String> tokens = api.subscribers(4, "parents");
    String deadDevice = app.deviceToken(null);
    String dead = BulletinApi.fcmToken("uninstalled");
    api.subscribe(deadDevice, dead, "parents");
    String wrong = BulletinApi.fcmToken("mangled");
    api.subscribe(app.deviceToken(null), wrong, "parents");
    fcm.answeringTokens(Map.of(dead, FakeFcm.unregistered(), wrong, FakeFcm.invalidToken()));

    String id =
        api.createDraft(
            draft("Youth Safety Bulletin: March").put("audiences", new JsonArray().add("parents")));
    JsonObject d = api.sendAndWait(id);

    assertThat(d.getInteger("targeted")).isEqualTo(6);
    assertThat(d.getInteger("sent")).isEqualTo(4);
    assertThat(d.getInteger("invalidTokensRemoved")).isEqualTo(2);
    assertThat(d.getInteger("failed")).isZero();
    assertThat(d.getInteger("pending")).isZero();
    for (String t : tokens) {
      assertThat(fcm.acceptedFor(t)).isEqualTo(1);
      JsonObject m = fcm.requestsFor(t).get(0).message();
      assertThat(m.getJsonObject("notification").getString("title"))
          .isEqualTo("Youth Safety Bulletin: March");
      assertThat(m.getJsonObject("data").getString("bulletinId")).isEqualTo(id);
      assertThat(m.getJsonObject("data").getString("type")).isEqualTo("bulletin");
      assertThat(m.getJsonObject("android").getString("collapse_key")).isEqualTo(id);
    }
    assertThat(fcm.requests())
        .allSatisfy(
            r -> {
              assertThat(r.path()).isEqualTo("/v1/projects/demo/messages:send");
              assertThat(r.authorization()).isEqualTo("Bearer " + FakeFcm.ACCESS_TOKEN);
            });
    assertThat(app.get("/v1/subscriptions/me", deadDevice).statusCode()).isEqualTo(404);
    assertThat(app.dumpAllTables()).doesNotContain(dead).doesNotContain(wrong);
    assertThat(app.get("/v1/bulletins/" + id, null).statusCode()).isEqualTo(200);
    assertThat(app.metrics()).contains("push_fcm_messages_total{outcome=\"sent\"}");
  }
}
