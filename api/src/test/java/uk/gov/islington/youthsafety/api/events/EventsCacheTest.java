package uk.gov.islington.youthsafety.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.body;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.created;
import static uk.gov.islington.youthsafety.api.events.EventsFixtures.ok;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;
import uk.gov.islington.youthsafety.content.events.EventCatalogue;

/**
 * The in-memory cache stays true: across two instances on one database (LISTEN/NOTIFY), for an
 * editor reading their own write, and "near me" coordinates never reach a log or a table.
 */
@WithTestApp(now = "2025-10-01T09:00:00Z")
class EventsCacheTest {

  static TestApp app;
  static App second;

  @BeforeAll
  static void start() throws Exception {
    // a second instance of the service on the same database, as behind a load balancer
    second = app.startServingInstance(Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (second != null) {
      second.close();
    }
  }

  static EventCatalogue catalogue(App instance) {
    return instance.features().stream()
        .filter(f -> f instanceof EventsFeature)
        .map(f -> (EventsFeature) f)
        .findFirst()
        .orElseThrow()
        .events()
        .catalogue();
  }

  static HttpResponse<Buffer> getFromSecond(String uri) {
    return app.await(app.http().get(second.port(), "127.0.0.1", uri).send());
  }

  static void awaitListening(App instance) throws InterruptedException {
    for (int i = 0; i < 200 && !catalogue(instance).listening(); i++) {
      Thread.sleep(50);
    }
    assertThat(catalogue(instance).listening()).isTrue();
  }

  @Test
  void aChangeOnOneInstanceReachesTheOtherInstancesCache() throws Exception {
    awaitListening(app.app());
    awaitListening(second);
    String id =
        created(
                app,
                body(
                        "Youth hub",
                        "youth_hub",
                        "2025-10-07T16:00:00+01:00",
                        "2025-10-07T20:00:00+01:00")
                    .put("recurrence", "FREQ=WEEKLY;BYDAY=TU;COUNT=10"))
            .getString("id");
    String list = "/v1/events?from=2025-10-06T00:00:00Z&to=2025-10-13T00:00:00Z";

    // the second instance answers from its cache
    assertThat(ok(getFromSecond("/v1/events/" + id)).getString("title")).isEqualTo("Youth hub");
    JsonObject before = ok(getFromSecond(list));
    long version = catalogue(second).cacheVersion();
    assertThat(version).isPositive();
    assertThat(ok(getFromSecond(list))).isEqualTo(before);
    assertThat(catalogue(second).cacheVersion()).isEqualTo(version);

    // an editor changes the event through the first instance
    ok(
        app.patch(
            "/v1/events/" + id,
            app.staffToken("editor"),
            new JsonObject().put("title", "Youth hub at Lift")));

    // the second hears of it at commit (NOTIFY), long before its cache's maximum age (5 minutes)
    String title = null;
    for (int i = 0; i < 100; i++) {
      title = ok(getFromSecond("/v1/events/" + id)).getString("title");
      if (title.equals("Youth hub at Lift")) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(title).isEqualTo("Youth hub at Lift");
    assertThat(catalogue(second).cacheVersion()).isNotEqualTo(version);
    assertThat(ok(getFromSecond(list)).getJsonArray("items").getJsonObject(0).getString("title"))
        .isEqualTo("Youth hub at Lift");
  }

  @Test
  void anEditorReadsTheirOwnWriteAtOnce() throws Exception {
    awaitListening(app.app());
    String editor = app.staffToken("editor");
    String id =
        created(
                app,
                body(
                    "Workshop",
                    "workshop",
                    "2025-10-15T16:00:00+01:00",
                    "2025-10-15T18:00:00+01:00"))
            .getString("id");
    String list = "/v1/events?from=2025-10-15T00:00:00Z&to=2025-10-16T00:00:00Z";
    for (int i = 1; i <= 15; i++) {
      ok(app.get(list, null));
      ok(app.patch("/v1/events/" + id, editor, new JsonObject().put("title", "Workshop " + i)));
      assertThat(ok(app.get(list, null)).getJsonArray("items"))
          .extracting(o -> ((JsonObject) o).getString("title"))
          .contains("Workshop " + i);
      assertThat(ok(app.get("/v1/events/" + id, null)).getInteger("sequence")).isEqualTo(i);
    }
  }

  @Test
  void nearMeCoordinatesAreNeverLoggedNorStored() {
    created(
        app,
        body("Drop-in", "youth_hub", "2025-10-20T16:00:00+01:00", "2025-10-20T18:00:00+01:00"));
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger ours = (Logger) LoggerFactory.getLogger("uk.gov.islington.youthsafety");
    Logger access = (Logger) LoggerFactory.getLogger("access");
    Level rootLevel = root.getLevel();
    Level oursLevel = ours.getLevel();
    Level accessLevel = access.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.DEBUG);
    ours.setLevel(Level.DEBUG);
    access.setLevel(Level.DEBUG);
    try {
      var near =
          app.get(
              "/v1/events?from=2025-10-20T00:00:00Z&to=2025-10-21T00:00:00Z"
                  + "&lat=51.5371234&lon=-0.1051234&radius=5000",
              null);
      assertThat(ok(near).getJsonArray("items")).hasSize(1);
      assertThat(near.getHeader("Cache-Control")).isEqualTo("no-store");
      assertThat(app.get("/v1/events?lat=51.5371234", null).statusCode()).isEqualTo(400);
      assertThat(app.get("/v1/events.ics?lat=51.5371234&lon=-0.1051234", null).statusCode())
          .isEqualTo(200);
    } finally {
      root.detachAppender(appender);
      root.setLevel(rootLevel);
      ours.setLevel(oursLevel);
      access.setLevel(accessLevel);
    }
    List<String> lines =
        appender.list.stream()
            .map(
                e ->
                    e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()))
            .toList();
    assertThat(lines).anyMatch(l -> l.contains("listEvents"));
    assertThat(lines).noneMatch(l -> l.contains("5371234") || l.contains("1051234"));
    assertThat(app.dumpAllTables()).doesNotContain("5371234").doesNotContain("1051234");
  }
}
