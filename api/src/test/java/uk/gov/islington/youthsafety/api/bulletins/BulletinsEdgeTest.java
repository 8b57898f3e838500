package uk.gov.islington.youthsafety.api.bulletins;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.bulletins.BulletinApi.draft;
import static uk.gov.islington.youthsafety.api.bulletins.BulletinApi.fields;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * Subscriptions, validation (every error names its field), roles and what is never stored or
 * logged.
 */
@WithTestApp
class BulletinsEdgeTest {

  static TestApp app;
  static final BulletinApi api = new BulletinApi(() -> app);

  // ---- subscriptions -------------------------------------------------------------------------

  @Test
  void subscribingIsIdempotentAndANewTokenReplacesTheOldOne() {
    String device = app.deviceToken("14-17");
    String first = BulletinApi.fcmToken("first");
    HttpResponse<Buffer> a = api.subscribe(device, first, "parents", "professionals");
    HttpResponse<Buffer> b = api.subscribe(device, first, "parents", "professionals");
    assertThat(a.statusCode()).isEqualTo(200);
    assertThat(b.statusCode()).isEqualTo(200);
    assertThat(b.bodyAsJsonObject().getString("subscribedAt"))
        .isEqualTo(a.bodyAsJsonObject().getString("subscribedAt"));
    assertThat(b.bodyAsJsonObject().containsKey("fcmToken")).isFalse();
    assertThat(tokenRows(first)).isEqualTo(1);

    String second = BulletinApi.fcmToken("second");
    app.clock.advance(Duration.ofDays(1));
    JsonObject replaced = api.subscribe(device, second, "young_people").bodyAsJsonObject();
    assertThat(replaced.getJsonArray("audiences")).containsExactly("young_people");
    assertThat(replaced.getString("refreshedAt")).isNotEqualTo(replaced.getString("subscribedAt"));
    assertThat(tokenRows(first)).isZero();
    assertThat(tokenRows(second)).isEqualTo(1);

    JsonObject mine = app.get("/v1/subscriptions/me", device).bodyAsJsonObject();
    assertThat(mine.getJsonArray("audiences")).containsExactly("young_people");
    assertThat(mine.getJsonArray("areas")).isEmpty();
  }

  @Test
  void theSameFcmTokenUnderANewDeviceTokenIsOneSubscription() {
    String fcm = BulletinApi.fcmToken("same-phone");
    api.subscribe(app.deviceToken(null), fcm, "parents");
    String renewed =
        app.deviceToken(null); // the app registered again after its device token expired
    api.subscribe(renewed, fcm, "parents");
    assertThat(tokenRows(fcm)).isEqualTo(1);
    assertThat(app.get("/v1/subscriptions/me", renewed).statusCode()).isEqualTo(200);
  }

  @Test
  void unsubscribeRemovesTheTokenEverywhereAndIsIdempotent() {
    String device = app.deviceToken(null);
    String fcm = BulletinApi.fcmToken("leaving");
    api.subscribe(device, fcm, "parents");
    assertThat(app.delete("/v1/subscriptions/me", device).statusCode()).isEqualTo(204);
    assertThat(app.delete("/v1/subscriptions/me", device).statusCode()).isEqualTo(204);
    assertThat(app.get("/v1/subscriptions/me", device).statusCode()).isEqualTo(404);
    assertThat(app.dumpAllTables()).doesNotContain(fcm);
  }

  @Test
  void neitherTheDeviceSubjectNorTheTokenIsStoredOrLoggedBeyondTheSubscription() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    try {
      String device = app.deviceToken("10-13");
      String subject = app.app().context().tokens().verify(device).subject();
      String fcm = BulletinApi.fcmToken("private");
      api.subscribe(device, fcm, "young_people");
      String id =
          api.createDraft(
              draft("Knife crime: where to get help")
                  .put("audiences", new JsonArray().add("young_people")));
      api.sendAndWait(id);

      String everything = app.dumpAllTables();
      assertThat(everything)
          .doesNotContain(subject)
          .doesNotContain(subject.substring(2))
          .doesNotContain("10-13");
      assertThat(
              app.sql(
                      "SELECT count(*) FROM notifications.push_subscriptions WHERE fcm_token = $1",
                      fcm)
                  .get(0)
                  .getLong(0))
          .isEqualTo(1);
      assertThat(everything.split(fcm, -1).length - 1)
          .as("the token is only in its subscription")
          .isEqualTo(1);
      for (ILoggingEvent e : logs.list) {
        assertThat(e.getFormattedMessage()).doesNotContain(fcm).doesNotContain(subject);
      }
    } finally {
      root.detachAppender(logs);
    }
  }

  // ---- validation ----------------------------------------------------------------------------

  @Test
  void everyValidationErrorNamesItsField() {
    String device = app.deviceToken(null);
    assertThat(
            fields(
                api.create(
                    new JsonObject()
                        .put("body", "b")
                        .put("audiences", new JsonArray().add("parents")),
                    "k-missing-title")))
        .containsExactly("title");
    assertThat(fields(api.create(draft("t").put("title", "   "), "k-blank-title")))
        .containsExactly("title");
    assertThat(fields(api.create(draft("t").put("title", "x".repeat(121)), "k-long-title")))
        .containsExactly("title");
    assertThat(fields(api.create(draft("t").put("body", "x".repeat(10_001)), "k-long-body")))
        .containsExactly("body");
    assertThat(fields(api.create(draft("t").put("audiences", new JsonArray()), "k-no-audience")))
        .containsExactly("audiences");
    assertThat(
            fields(
                api.create(
                    draft("t").put("audiences", new JsonArray().add("pupils")), "k-bad-audience")))
        .contains("audiences[0]");
    assertThat(
            fields(
                api.create(
                    draft("t").put("audiences", new JsonArray().add("parents").add("parents")),
                    "k-twice-listed")))
        .containsExactly("audiences");
    assertThat(
            fields(
                api.create(draft("t").put("areas", new JsonArray().add("mayfair")), "k-bad-area")))
        .contains("areas[0]");
    assertThat(fields(api.create(draft("t").put("link", "http://insecure.example"), "k-http-link")))
        .containsExactly("link");
    assertThat(fields(api.create(draft("t").put("urgent", "yes"), "k-urgent")))
        .containsExactly("urgent");
    assertThat(fields(api.create(draft("t").put("colour", "red"), "k-unknown")))
        .containsExactly("colour");
    assertThat(fields(api.create(draft("t"), "bad key!"))).containsExactly("Idempotency-Key");

    String id = api.createDraft(draft("valid"));
    assertThat(fields(app.patch("/v1/bulletins/" + id, api.editor(), new JsonObject())))
        .containsExactly("body");
    assertThat(
            fields(
                app.patch("/v1/bulletins/" + id, api.editor(), new JsonObject().put("body", " "))))
        .containsExactly("body");
    for (String sendAt :
        List.of(
            "tomorrow",
            app.clock.instant().minus(Duration.ofHours(1)).toString(),
            app.clock.instant().plus(Duration.ofDays(400)).toString())) {
      assertThat(fields(api.send(id, new JsonObject().put("sendAt", sendAt))))
          .as(sendAt)
          .containsExactly("sendAt");
    }
    assertThat(fields(app.get("/v1/bulletins/not%20an%20id", null))).containsExactly("bulletinId");
    assertThat(fields(app.get("/v1/bulletins?audience=everyone", null)))
        .containsExactly("audience");
    assertThat(fields(app.get("/v1/bulletins?cursor=not-a-cursor", null)))
        .containsExactly("cursor");
    assertThat(fields(app.get("/v1/bulletins?limit=500", null))).containsExactly("limit");

    assertThat(
            fields(
                app.put(
                    "/v1/subscriptions/me",
                    device,
                    new JsonObject().put("audiences", new JsonArray().add("parents")))))
        .containsExactly("fcmToken");
    assertThat(fields(api.subscribe(device, "short", "parents"))).containsExactly("fcmToken");
    assertThat(fields(api.subscribe(device, "has spaces in it which FCM never uses", "parents")))
        .containsExactly("fcmToken");
    assertThat(fields(api.subscribe(device, BulletinApi.fcmToken("ok"))))
        .containsExactly("audiences");
    assertThat(fields(subscribeParentsWith(device, "areas", new JsonArray().add("soho"))))
        .contains("areas[0]");
    assertThat(fields(subscribeParentsWith(device, "name", "Sam"))).containsExactly("name");
  }

  /** A parents' subscription of this device, with one field more. */
  private static HttpResponse<Buffer> subscribeParentsWith(
      String device, String field, Object value) {
    return app.put(
        "/v1/subscriptions/me",
        device,
        new JsonObject()
            .put("fcmToken", BulletinApi.fcmToken("a"))
            .put("audiences", new JsonArray().add("parents"))
            .put(field, value));
  }

  @Test
  void unknownBulletinsAre404() {
    assertThat(app.get("/v1/bulletins/bul_AAAAAAAAAAAAAAAAAAAAAA", null).statusCode())
        .isEqualTo(404);
    assertThat(
            app.get("/v1/bulletins/bul_AAAAAAAAAAAAAAAAAAAAAA/delivery", api.editor()).statusCode())
        .isEqualTo(404);
    assertThat(api.send("bul_AAAAAAAAAAAAAAAAAAAAAA", null).statusCode()).isEqualTo(404);
    assertThat(
            app.patch(
                    "/v1/bulletins/bul_AAAAAAAAAAAAAAAAAAAAAA",
                    api.editor(),
                    new JsonObject().put("urgent", true))
                .statusCode())
        .isEqualTo(404);
  }

  // ---- roles ---------------------------------------------------------------------------------

  @Test
  void onlyEditorsWriteSendAndSeeDeliveryAndOnlyDevicesSubscribe() {
    String id = api.createDraft(draft("roles"));
    String device = app.deviceToken(null);
    for (String token :
        List.of(
            device,
            app.staffToken("moderator"),
            app.staffToken("youth_council"),
            app.staffToken("admin"))) {
      assertThat(
              app.send(
                      app.http()
                          .post("/v1/bulletins")
                          .putHeader("Idempotency-Key", "role-check-key"),
                      token,
                      draft("x"))
                  .statusCode())
          .isEqualTo(403);
      assertThat(
              app.patch("/v1/bulletins/" + id, token, new JsonObject().put("title", "x"))
                  .statusCode())
          .isEqualTo(403);
      assertThat(app.delete("/v1/bulletins/" + id, token).statusCode()).isEqualTo(403);
      assertThat(app.post("/v1/bulletins/" + id + "/send", token, null).statusCode())
          .isEqualTo(403);
      assertThat(app.get("/v1/bulletins/" + id + "/delivery", token).statusCode()).isEqualTo(403);
      assertThat(app.get("/v1/bulletins?state=draft", token).statusCode()).isEqualTo(403);
      assertThat(app.get("/v1/bulletins/" + id, token).statusCode())
          .as("a draft is not public")
          .isEqualTo(404);
    }
    assertThat(app.post("/v1/bulletins/" + id + "/send", null, null).statusCode()).isEqualTo(401);
    assertThat(app.get("/v1/bulletins/" + id + "/delivery", null).statusCode()).isEqualTo(401);
    assertThat(app.get("/v1/bulletins?state=draft", null).statusCode()).isEqualTo(403);
    assertThat(app.get("/v1/bulletins", device).statusCode()).isEqualTo(200);
    assertThat(app.get("/v1/bulletins", app.staffToken("moderator")).statusCode()).isEqualTo(200);

    assertThat(api.subscribe(api.editor(), BulletinApi.fcmToken("staff"), "parents").statusCode())
        .isEqualTo(403);
    assertThat(api.subscribe(null, BulletinApi.fcmToken("anon"), "parents").statusCode())
        .isEqualTo(401);
    assertThat(app.delete("/v1/subscriptions/me", null).statusCode()).isEqualTo(401);
    assertThat(app.get("/v1/subscriptions/me", api.editor()).statusCode()).isEqualTo(403);
    assertThat(app.get("/v1/bulletins/" + id, api.editor()).bodyAsJsonObject().getString("state"))
        .isEqualTo("draft");
  }

  private static long tokenRows(String fcm) {
    return app.sql(
            "SELECT count(*) FROM notifications.push_subscriptions WHERE fcm_token = $1", fcm)
        .get(0)
        .getLong(0);
  }
}
