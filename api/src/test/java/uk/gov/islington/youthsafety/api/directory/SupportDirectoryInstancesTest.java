package uk.gov.islington.youthsafety.api.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.createId;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.service;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;
import uk.gov.islington.youthsafety.testing.Waiting;

/**
 * Two instances on one database, as behind a load balancer: an editor's change through one reaches
 * the other's in-memory directory through NOTIFY alone (its periodic re-read is an hour away), and
 * its answers and ETags follow.
 */
@WithTestApp("SUPPORT_RESYNC_INTERVAL=1h")
class SupportDirectoryInstancesTest {

  static TestApp app;
  static App second;
  static String editor;

  @BeforeAll
  static void start() throws Exception {
    second = app.startServingInstance(Map.of("SUPPORT_RESYNC_INTERVAL", "1h"));
    editor = app.staffToken("editor");
  }

  @AfterAll
  static void stop() throws Exception {
    if (second != null) {
      second.close();
    }
  }

  static HttpResponse<Buffer> onSecond(String uri) {
    return app.await(app.http().get(second.port(), "127.0.0.1", uri).send());
  }

  /**
   * Polls the second instance until {@code seen} holds and answers how long that took. The deadline
   * only guards against a hang; the elapsed time is printed, not asserted (shared machine).
   */
  static Duration untilSecond(String uri, Predicate<HttpResponse<Buffer>> seen)
      throws InterruptedException {
    long start = System.nanoTime();
    Waiting.until(
        "the second instance answers " + uri + " as expected",
        Duration.ofSeconds(20),
        () -> seen.test(onSecond(uri)));
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void anEditThroughOneInstanceReachesTheOthersCache() throws Exception {
    String id = createId(app, editor, service("Shared Service"));
    Duration created = untilSecond("/v1/support-services/" + id, r -> r.statusCode() == 200);

    HttpResponse<Buffer> before = onSecond("/v1/support-services?limit=100");
    String etag = before.getHeader("ETag");
    assertThat(
            app.patch(
                    "/v1/support-services/" + id,
                    editor,
                    new JsonObject().put("phone", "020 7527 4444"))
                .statusCode())
        .isEqualTo(200);
    Duration edited =
        untilSecond(
            "/v1/support-services/" + id,
            r -> "020 7527 4444".equals(r.bodyAsJsonObject().getString("phone")));
    assertThat(onSecond("/v1/support-services?limit=100").getHeader("ETag")).isNotEqualTo(etag);

    assertThat(
            app.post(
                    "/v1/support-services/" + id + "/retire",
                    editor,
                    new JsonObject().put("reason", "Closed."))
                .statusCode())
        .isEqualTo(200);
    Duration retired = untilSecond("/v1/support-services/" + id, r -> r.statusCode() == 404);
    System.out.printf(
        "support directory change seen by the second instance after: create %d ms, edit %d ms,"
            + " retire %d ms%n",
        created.toMillis(), edited.toMillis(), retired.toMillis());
  }
}
