package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.Reports.actOk;
import static uk.gov.islington.youthsafety.api.reports.Reports.eventually;
import static uk.gov.islington.youthsafety.api.reports.Reports.report;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * Anonymous means anonymous: 1,000 reports (and checks and replies) sent with a known user agent,
 * X-Forwarded-For and a device token, then forwarded through the outbox; none of those values
 * appears in any table (outbox and local sink included) or in any log line at INFO, and the
 * reporter's operations leave no access-log line at all.
 */
class ReportAnonymityTest {

  private static final String USER_AGENT =
      "YouthSafetyApp/9.9.9 (Pixel 7; Android 14; build " + UUID.randomUUID() + ")";
  private static final String FORWARDED_FOR = "203.0.113.77";
  private static final int REPORTS = 1000;

  static TestApp app;
  static ListAppender<ILoggingEvent> logs;
  static Map<Logger, Level> levels = new HashMap<>();
  static String deviceToken;

  @BeforeAll
  static void start() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    // everything at INFO, including the access log, for the whole life of the app
    for (Logger l : context.getLoggerList()) {
      if (l.getLevel() != null) {
        levels.put(l, l.getLevel());
        l.setLevel(Level.INFO);
      }
    }
    Logger access = context.getLogger("access");
    levels.putIfAbsent(access, access.getLevel());
    access.setLevel(Level.INFO);
    logs = new ListAppender<>();
    logs.setContext(context);
    logs.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logs);
    app = TestApp.start(Map.of("REPORT_SUBMIT_RATE_CAPACITY", "100000"));
    deviceToken = app.deviceToken("14-17");
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(logs);
    levels.forEach(Logger::setLevel);
  }

  private static <T> HttpRequest<T> identifying(HttpRequest<T> request) {
    return request
        .putHeader("User-Agent", USER_AGENT)
        .putHeader("X-Forwarded-For", FORWARDED_FOR)
        .putHeader("Authorization", "Bearer " + deviceToken);
  }

  @Test
  void nothingAboutTheReporterIsStoredOrLogged() {
    List<String> codes = new ArrayList<>();
    String[] categories = {
      "someone-being-hurt", "grooming-or-exploitation", "weapons", "drugs", "crime-information"
    };
    for (int batch = 0; batch < REPORTS / 20; batch++) {
      List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int n = batch * 20 + i;
        JsonObject body =
            report(categories[n % categories.length], "anonymity report " + n, n % 50 == 0)
                .put("area", n % 3 == 0 ? "holloway" : "online")
                .put("happenedWhen", "past_week");
        inFlight.add(
            identifying(app.http().post("/v1/reports"))
                .putHeader("Idempotency-Key", UUID.randomUUID().toString())
                .sendJsonObject(body));
      }
      app.await(Future.join(inFlight));
      for (Future<HttpResponse<Buffer>> f : inFlight) {
        assertThat(f.result().statusCode()).as(f.result().bodyAsString()).isEqualTo(201);
        codes.add(f.result().bodyAsJsonObject().getString("receiptCode"));
      }
    }
    assertThat(app.sql("SELECT count(*) FROM content.reports").get(0).getLong(0))
        .isEqualTo(REPORTS);

    // the reporter comes back: checks and a reply, with the same identifying headers
    for (int i = 0; i < 20; i++) {
      HttpResponse<Buffer> r =
          app.await(
              identifying(app.http().post("/v1/reports/status"))
                  .sendJsonObject(new JsonObject().put("receiptCode", codes.get(i))));
      assertThat(r.statusCode()).isEqualTo(200);
    }
    HttpResponse<Buffer> replied =
        app.await(
            identifying(app.http().post("/v1/reports/messages"))
                .sendJsonObject(
                    new JsonObject().put("receiptCode", codes.get(0)).put("message", "more")));
    assertThat(replied.statusCode()).isEqualTo(201);

    // moderators forward some (outbox rows, local sink copies) and read them
    String moderator = app.staffToken("moderator");
    List<String> forwarded = new ArrayList<>();
    for (io.vertx.sqlclient.Row row :
        app.sql("SELECT id FROM content.reports WHERE destination = 'CSCT' ORDER BY seq LIMIT 5")) {
      String id = row.getUUID("id").toString();
      actOk(app, moderator, id, new JsonObject().put("action", "forward"));
      forwarded.add(id);
    }
    for (String id : forwarded) {
      eventually(
          "local sink copy of " + id,
          () -> "waiting_to_be_sent".equals(Reports.forwardState(app, moderator, id)));
    }
    assertThat(
            app.sql("SELECT count(*) FROM notifications.outbox WHERE channel = 'report-email'")
                .get(0)
                .getLong(0))
        .isEqualTo(5);
    assertThat(app.get("/v1/moderation/report-mail", moderator).statusCode()).isEqualTo(200);

    // ---- what is stored
    String tables = app.dumpAllTables();
    String deviceSubject = app.app().context().tokens().verify(deviceToken).subject();
    assertThat(tables)
        .contains("content.reports")
        .contains("notifications.outbox")
        .contains("notifications.local_sink");
    assertThat(tables)
        .doesNotContain(USER_AGENT)
        .doesNotContain("Pixel 7")
        .doesNotContain("YouthSafetyApp")
        .doesNotContain(FORWARDED_FOR)
        .doesNotContain("203.0.113")
        .doesNotContain(deviceToken)
        .doesNotContain(deviceSubject)
        .doesNotContain("anonymity report");
    // the outbox carries references only
    for (io.vertx.sqlclient.Row row : app.sql("SELECT payload::text FROM notifications.outbox")) {
      assertThat(new JsonObject(row.getString(0)).fieldNames()).containsExactly("forwardId");
    }

    // ---- what is measured: the reporter's operations have no metric series (their times would
    // show)
    String metrics = app.metrics();
    assertThat(metrics)
        .contains("route=\"/v1/moderation/reports/:reportId/actions\""); // the capture works
    assertThat(metrics).doesNotContain("/v1/reports");

    // ---- what is logged
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(logs.list)) {
      lines.add(
          e.getLoggerName()
              + " "
              + e.getFormattedMessage()
              + (e.getThrowableProxy() == null
                  ? ""
                  : ThrowableProxyUtil.asString(e.getThrowableProxy())));
    }
    assertThat(lines).isNotEmpty();
    assertThat(lines)
        .anyMatch(l -> l.startsWith("access ") && l.contains("actOnReport")); // the capture works
    for (String line : lines) {
      assertThat(line)
          .doesNotContain(USER_AGENT)
          .doesNotContain("Pixel 7")
          .doesNotContain(FORWARDED_FOR)
          .doesNotContain("203.0.113")
          .doesNotContain(deviceToken)
          .doesNotContain(deviceSubject)
          .doesNotContain("anonymity report");
      assertThat(line)
          .doesNotContain("submitReport")
          .doesNotContain("checkReport")
          .doesNotContain("replyToReport");
      for (String code : codes.subList(0, 20)) {
        assertThat(line).doesNotContain(code);
      }
    }
  }
}
