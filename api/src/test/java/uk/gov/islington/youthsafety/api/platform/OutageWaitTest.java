package uk.gov.islington.youthsafety.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;
import uk.gov.islington.youthsafety.testing.Waiting;

/**
 * A request waiting on PostgreSQL is answered 503 once PostgreSQL is found failing (by the watch
 * connection or by another request), not at the far request deadline; a request that is merely
 * slow, with PostgreSQL healthy, is left to finish. Requests are held in PostgreSQL by table locks
 * the test takes; the failure is a real one, a backend terminated from the server side.
 */
@WithTestApp({"REQUEST_TIMEOUT=10m", "OUTAGE_WAIT=300ms"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutageWaitTest {

  static TestApp app;

  @Test
  @Order(1)
  void aSlowRequestWithPostgresqlHealthyIsLeftToFinish() {
    Future<HttpResponse<Buffer>> slow =
        // three outage waits: long enough to be answered, were it cut
        whileAStaffListWaitsOnALock(waiting -> sleep(Duration.ofMillis(900)));

    assertThat(app.await(slow).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void aShutdownAnnouncedOnTheWatchConnectionAnswersTheRequestsWaitingOnPostgresql() {
    whileAStaffListWaitsOnALock(
        waiting -> {
          // what a fast shutdown does to every connection, here only to the watch's
          app.sql(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                  + " WHERE query LIKE 'LISTEN %database_watch%'");

          assertUnavailable(app.await(waiting));
        });
  }

  @Test
  @Order(3)
  void onceARequestFindsPostgresqlFailingTheRequestsWaitingOnItAnswer503() {
    whileAStaffListWaitsOnALock(
        waiting -> {
          SqlConnection otherLock = lockTable("content.bulletins");
          Future<HttpResponse<Buffer>> failing = app.http().get("/v1/bulletins").send();
          awaitWaitingOnLock("content.bulletins");
          app.sql(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                  + " WHERE wait_event_type = 'Lock' AND query LIKE '%content.bulletins%'");

          assertUnavailable(app.await(failing));
          // the lock is still held and the request deadline is ten minutes away
          assertUnavailable(app.await(waiting));
          app.await(otherLock.close());
        });
    Waiting.until(
        "PostgreSQL answers again",
        Duration.ofSeconds(10),
        () -> app.get("/v1/bulletins", null).statusCode() == 200);
    assertThat(app.await(staffList()).statusCode()).isEqualTo(200);
  }

  /**
   * Runs {@code step} while an admin's staff list waits on a lock the test holds, with PostgreSQL
   * not thought failing at the start; releases the lock after. Answers the staff list's answer.
   */
  private static Future<HttpResponse<Buffer>> whileAStaffListWaitsOnALock(
      Consumer<Future<HttpResponse<Buffer>>> step) {
    awaitNoOutage();
    SqlConnection lock = lockTable("content.staff");
    try {
      Future<HttpResponse<Buffer>> waiting = staffList();
      awaitWaitingOnLock("content.staff");
      step.accept(waiting);
      return waiting;
    } finally {
      app.await(lock.query("ROLLBACK").execute().compose(r -> lock.close()));
    }
  }

  private static void awaitNoOutage() {
    Waiting.until(
        "PostgreSQL no longer thought failing",
        Duration.ofSeconds(10),
        () -> !app.app().context().deadlines().inOutage());
  }

  private static SqlConnection lockTable(String table) {
    SqlConnection c = app.await(app.pool().getConnection());
    app.await(
        c.query("BEGIN")
            .execute()
            .compose(r -> c.query("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE").execute()));
    return c;
  }

  private static Future<HttpResponse<Buffer>> staffList() {
    return app.http()
        .get("/v1/staff")
        .putHeader("Authorization", TestApp.bearer(app.staffToken("admin")))
        .send();
  }

  private static void awaitWaitingOnLock(String table) {
    Waiting.until(
        "a request waiting on " + table,
        Duration.ofSeconds(10),
        () ->
            !app.sql(
                    "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND query LIKE $1",
                    "%" + table + "%")
                .isEmpty());
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void assertUnavailable(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(503);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.getHeader("Retry-After")).isEqualTo("5");
  }
}
