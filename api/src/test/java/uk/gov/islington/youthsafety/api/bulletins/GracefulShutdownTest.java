package uk.gov.islington.youthsafety.api.bulletins;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.bulletins.BulletinApi.draft;
import static uk.gov.islington.youthsafety.api.bulletins.BulletinApi.waitUntil;

import com.google.firebase.FirebaseApp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.notifications.push.FcmSettings;
import uk.gov.islington.youthsafety.testing.FakeFcm;

/**
 * What SIGTERM does (Main calls {@link App#close}), through the running service: readiness fails at
 * once while every other request is still served for the drain period; a push batch whose messages
 * hang at FCM is let go of when the drain and grace periods are over, in the SQL tables, so that
 * another instance sends it at once and each phone gets the bulletin once.
 */
class GracefulShutdownTest {

  static final String FIREBASE = "graceful-shutdown-test";

  FakeFcm fcm;
  FirebaseApp firebase;
  TestApp app;
  App other;

  @BeforeEach
  void start() throws Exception {
    fcm = FakeFcm.start();
    // a read time-out far beyond the shutdown: the hanging messages stay in flight all along
    FcmSettings settings =
        new FcmSettings(
            Duration.ofSeconds(5),
            Duration.ofSeconds(120),
            8,
            FcmSettings.PROJECT_QUOTA_PER_MINUTE,
            Duration.ofSeconds(100),
            Duration.ofSeconds(2));
    firebase = fcm.firebaseApp(FIREBASE, settings);
  }

  @AfterEach
  void stop() throws Exception {
    if (other != null) {
      other.close();
    }
    app.close();
    firebase.delete();
    fcm.close();
  }

  @Test
  void readinessFailsAtOnceRequestsAreServedDuringTheDrainAndHeldWorkIsLetGo() throws Exception {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "FIREBASE_APP_NAME",
                FIREBASE,
                "FCM_READ_TIMEOUT",
                "120s",
                "FCM_BATCH_DEADLINE",
                "100s",
                "SHUTDOWN_DRAIN",
                "4s",
                "SHUTDOWN_GRACE",
                "1s"));
    app = TestApp.start(env);
    BulletinApi api = new BulletinApi(app);
    List<String> tokens = api.subscribers(3, "parents");
    fcm.answering(r -> FakeFcm.hang());
    String id =
        api.createDraft(
            draft("Youth Safety Bulletin: April").put("audiences", new JsonArray().add("parents")));
    assertThat(api.send(id, null).statusCode()).isEqualTo(202);
    waitUntil("the batch's messages hang at FCM", () -> fcm.hangingCount() == tokens.size());
    assertThat(
            app.sql("SELECT busy_until > now() AS held FROM notifications.push_batches")
                .get(0)
                .getBoolean("held"))
        .isTrue();
    assertThat(
            app.sql(
                    "SELECT lease_until > now() AS held FROM notifications.outbox WHERE channel = 'push'")
                .get(0)
                .getBoolean("held"))
        .isTrue();
    assertThat(app.get("/health/ready", null).statusCode()).isEqualTo(200);

    CompletableFuture<Void> closing =
        CompletableFuture.runAsync(
            () -> {
              try {
                app.app().close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    waitUntil("readiness fails", () -> app.get("/health/ready", null).statusCode() == 503);
    HttpResponse<Buffer> ready = app.get("/health/ready", null);
    assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
    assertThat(ready.bodyAsJsonObject().getJsonObject("checks").getString("shutdown"))
        .isEqualTo("DRAINING");
    assertThat(ready.getHeader("Cache-Control")).isEqualTo("no-store");
    // still served meanwhile, with and without PostgreSQL
    assertThat(app.get("/health/live", null).statusCode()).isEqualTo(200);
    assertThat(app.get("/v1/bulletins/" + id, null).statusCode()).isEqualTo(200);
    assertThat(closing).isNotDone();

    closing.get(60, TimeUnit.SECONDS);

    var db = app.database();
    try (Connection sql = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = sql.createStatement();
        ResultSet released =
            st.executeQuery(
                """
             SELECT (SELECT bool_and(busy_until IS NULL) FROM notifications.push_batches) AS batches,
                    (SELECT bool_and(lease_until IS NULL AND next_attempt_at <= now())
                       FROM notifications.outbox WHERE channel = 'push') AS leases
             """)) {
      assertThat(released.next()).isTrue();
      assertThat(released.getBoolean("batches"))
          .as("push batches held by the stopped instance are free")
          .isTrue();
      assertThat(released.getBoolean("leases")).as("its outbox rows are due again").isTrue();
    }

    // another instance with FCM answering takes the batch now, not after the batch's hold
    fcm.answering(r -> FakeFcm.ok());
    other =
        app.startAnotherInstance(
            Map.of(
                "FIREBASE_APP_NAME",
                FIREBASE,
                "SHUTDOWN_DRAIN",
                "0s",
                "OUTBOX_POLL_INTERVAL",
                "200ms"));
    waitUntil(
        "the other instance completes the push",
        () ->
            app.await(
                    other
                        .context()
                        .pool()
                        .query(
                            "SELECT completed_at IS NOT NULL AS done FROM notifications.push_jobs")
                        .execute())
                .iterator()
                .next()
                .getBoolean("done"));
    for (String t : tokens) {
      assertThat(fcm.acceptedFor(t)).isEqualTo(1);
    }
  }
}
