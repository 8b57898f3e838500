package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.Reports.eventually;
import static uk.gov.islington.youthsafety.api.reports.Reports.report;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitOk;

import com.google.firebase.FirebaseApp;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.notifications.push.FcmSettings;
import uk.gov.islington.youthsafety.testing.FakeFcm;

/**
 * Urgent reports pushed to the phones of the moderators on duty, through the real Firebase Admin
 * SDK to the fake FCM server: once per phone, nothing of the report in it, none to moderators off
 * duty or for reports that are not urgent, a retry reaching only the phones it missed, and dead
 * tokens forgotten.
 */
class DutyPushTest {

  static FakeFcm fcm;
  static FirebaseApp firebase;
  static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    fcm = FakeFcm.start(true);
    firebase =
        fcm.firebaseApp(
            "duty-push-test",
            new FcmSettings(
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                4,
                FcmSettings.PROJECT_QUOTA_PER_MINUTE,
                Duration.ofSeconds(20),
                Duration.ofSeconds(2)));
    app = TestApp.start(Map.of("FIREBASE_APP_NAME", "duty-push-test", "FCM_READ_TIMEOUT", "5s"));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    firebase.delete();
    fcm.close();
  }

  /** A real staff account with these roles, and a token of its own. */
  static String staff(String... roles) {
    String id = app.newStaff(roles).getString("id");
    return app.app().context().tokens().issueStaff(id, List.of(roles)).token();
  }

  static String token(String tag) {
    return "f" + tag + ":APA91b" + UUID.randomUUID().toString().replace("-", "") + "x".repeat(100);
  }

  static void register(String staffToken, String fcmToken, boolean onDuty) {
    var r =
        app.put(
            "/v1/moderation/duty-device",
            staffToken,
            new JsonObject().put("fcmToken", fcmToken).put("onDuty", onDuty));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("registered", true).put("onDuty", onDuty));
  }

  @Test
  void anUrgentReportReachesEachModeratorOnDutyOnceAndSaysNothingOfTheReport() {
    String onDuty = token("onduty");
    String offDuty = token("offduty");
    String other = staff("moderator");
    register(staff("moderator"), onDuty, true);
    register(other, offDuty, false);

    String text = "Quillfeather is hurt at the bus garage " + UUID.randomUUID();
    submitOk(app, report("someone-being-hurt", text, true).put("area", "holloway"));
    eventually("the push reaches the moderator on duty", () -> fcm.acceptedFor(onDuty) == 1);
    submitOk(app, report("drugs", "not urgent " + UUID.randomUUID(), false));
    app.await(app.app().dispatcher().runOnce());
    app.await(app.app().dispatcher().runOnce());

    eventually(
        "the push's outbox row is finished",
        () ->
            app.sql(
                        "SELECT count(*) FROM notifications.outbox"
                            + " WHERE channel = 'report-duty-push' AND state = 'pending'")
                    .get(0)
                    .getLong(0)
                == 0);
    assertThat(fcm.acceptedFor(onDuty))
        .as("once, and not for the report that is not urgent")
        .isEqualTo(1);
    assertThat(fcm.requestsFor(offDuty)).isEmpty();
    JsonObject m = fcm.requestsFor(onDuty).get(0).message();
    assertThat(m.getJsonObject("notification").getString("title"))
        .isEqualTo("Urgent report waiting");
    assertThat(m.getJsonObject("data").getString("type")).isEqualTo("duty-alert");
    String whole = m.encode().toLowerCase(java.util.Locale.ROOT);
    assertThat(whole)
        .contains("safeguarding")
        .doesNotContain("quillfeather")
        .doesNotContain("garage")
        .doesNotContain("holloway");
    String reportId =
        app.sql("SELECT id::text FROM content.reports WHERE urgent").get(0).getString(0);
    assertThat(whole).doesNotContain(reportId);

    // off duty until the next shift: nothing more reaches them
    register(other, offDuty, true);
    submitOk(app, report("weapons", "second " + UUID.randomUUID(), true));
    eventually(
        "the second push reaches both",
        () -> fcm.acceptedFor(onDuty) == 2 && fcm.acceptedFor(offDuty) == 1);
  }

  @Test
  void aRetryReachesOnlyThePhonesItMissedAndDeadTokensAreForgotten() {
    String fine = token("fine");
    String busy = token("busy");
    String dead = token("dead");
    String deadOwner = staff("moderator");
    register(staff("moderator"), fine, true);
    register(staff("moderator"), busy, true);
    register(deadOwner, dead, true);
    java.util.concurrent.atomic.AtomicInteger busyAnswers =
        new java.util.concurrent.atomic.AtomicInteger();
    fcm.answering(
        r ->
            r.token().equals(dead)
                ? FakeFcm.unregistered()
                : r.token().equals(busy) && busyAnswers.getAndIncrement() == 0
                    ? FakeFcm.unavailable(0)
                    : FakeFcm.ok());
    try {
      submitOk(app, report("someone-being-hurt", "retry " + UUID.randomUUID(), true));
      eventually("the busy phone gets it on the retry", () -> fcm.acceptedFor(busy) == 1);
      assertThat(fcm.acceptedFor(fine)).as("not twice").isEqualTo(1);
      assertThat(fcm.requestsFor(dead)).hasSize(1);
      eventually(
          "the dead token is forgotten",
          () ->
              !app.get("/v1/moderation/duty-device", deadOwner)
                  .bodyAsJsonObject()
                  .getBoolean("registered"));
      assertThat(fcm.requestsFor(dead)).as("and never tried again").hasSize(1);
    } finally {
      fcm.answering(r -> FakeFcm.ok());
    }
  }

  @Test
  void registrationRefusesBadInputNamingTheFieldAndOthersRoles() {
    String moderator = staff("moderator");
    for (JsonObject bad :
        List.of(
            new JsonObject().put("onDuty", true),
            new JsonObject().put("fcmToken", "short").put("onDuty", true),
            new JsonObject().put("fcmToken", token("x") + "\r\nX-Injected: 1").put("onDuty", true),
            new JsonObject().put("fcmToken", "x".repeat(5000)).put("onDuty", true),
            new JsonObject().put("fcmToken", token("y")).put("onDuty", "yes"),
            new JsonObject().put("fcmToken", token("z")))) {
      var r = app.put("/v1/moderation/duty-device", moderator, bad);
      assertThat(r.statusCode()).as(bad.encode()).isEqualTo(400);
      assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
      assertThat(r.bodyAsString()).containsAnyOf("fcmToken", "onDuty");
    }
    assertThat(
            app.get("/v1/moderation/duty-device", moderator)
                .bodyAsJsonObject()
                .getBoolean("registered"))
        .isFalse();
    assertThat(
            app.put(
                    "/v1/moderation/duty-device",
                    staff("editor"),
                    new JsonObject().put("fcmToken", token("e")).put("onDuty", true))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            app.put(
                    "/v1/moderation/duty-device",
                    app.deviceToken("16-18"),
                    new JsonObject().put("fcmToken", token("d")).put("onDuty", true))
                .statusCode())
        .isIn(401, 403);
    assertThat(
            app.put(
                    "/v1/moderation/duty-device",
                    null,
                    new JsonObject().put("fcmToken", token("n")).put("onDuty", true))
                .statusCode())
        .isEqualTo(401);

    // a token of an account that is not in the database (deleted) is refused, never a 500
    var ghost =
        app.put(
            "/v1/moderation/duty-device",
            app.staffToken("moderator"),
            new JsonObject().put("fcmToken", token("g")).put("onDuty", true));
    assertThat(ghost.statusCode()).isIn(401, 403);

    register(moderator, token("m"), true);
    assertThat(app.delete("/v1/moderation/duty-device", moderator).statusCode()).isEqualTo(204);
    assertThat(app.delete("/v1/moderation/duty-device", moderator).statusCode()).isEqualTo(204);
    assertThat(
            app.get("/v1/moderation/duty-device", moderator)
                .bodyAsJsonObject()
                .getBoolean("registered"))
        .isFalse();
  }
}
