package uk.gov.islington.youthsafety.api.havens;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.havens.HavenFixtures.daily;
import static uk.gov.islington.youthsafety.api.havens.HavenFixtures.haven;
import static uk.gov.islington.youthsafety.api.havens.HavenFixtures.range;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * findNearbyHavens over HTTP with the default in-memory index ({@link HavenNearbyPostgresTest} runs
 * every test again with the PostgreSQL KNN index). Distances are checked against values worked out
 * separately (haversine, 6371008.8 m sphere) from Highbury &amp; Islington station.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HavenNearbyTest {

  static final double LAT = 51.5462;
  static final double LON = -0.1040;
  // Wednesday 10 June 2026, 11:00 BST
  static final Instant WEDNESDAY_MORNING = Instant.parse("2026-06-10T10:00:00Z");
  // Thursday 11 June 2026, 03:00 BST
  static final Instant THURSDAY_NIGHT = Instant.parse("2026-06-11T02:00:00Z");

  TestApp app;
  String near;
  String holloway;
  String caledonian;
  String angel;
  String park;
  String archway;
  String suspended;

  Map<String, String> env() {
    return Map.of();
  }

  @BeforeAll
  void start() throws Exception {
    app = TestApp.start(env());
    near = HavenFixtures.create(app, haven("Near Café", 51.5470, -0.1030, daily("18:00", "23:00")));
    holloway =
        HavenFixtures.create(
            app, haven("Holloway Road Shop", 51.5526, -0.1132, daily("09:00", "17:00")));
    JsonArray weekdays = new JsonArray();
    for (String d : new String[] {"MON", "TUE", "WED", "THU", "FRI"}) {
      weekdays.add(range(d, "09:00", "17:00"));
    }
    caledonian = HavenFixtures.create(app, haven("Caledonian Library", 51.5481, -0.1188, weekdays));
    angel =
        HavenFixtures.create(
            app, haven("Angel All Night", 51.5322, -0.1058, daily("00:00", "24:00")));
    park =
        HavenFixtures.create(
            app, haven("Finsbury Park Pharmacy", 51.5642, -0.1065, daily("09:00", "17:00")));
    archway =
        HavenFixtures.create(
            app, haven("Archway Late Shop", 51.5653, -0.1353, daily("00:00", "24:00")));
    suspended =
        HavenFixtures.create(
            app, haven("Suspended Shop", 51.5480, -0.1050, daily("00:00", "24:00")));
    var s =
        app.post(
            "/v1/havens/" + suspended + "/suspend",
            app.staffToken("editor"),
            new JsonObject().put("reason", "Owner left the scheme"));
    assertThat(s.statusCode()).isEqualTo(200);
  }

  @AfterAll
  void stop() throws Exception {
    app.close();
  }

  @BeforeEach
  void morning() {
    app.setNow(WEDNESDAY_MORNING);
  }

  JsonObject nearby(String query) {
    HttpResponse<Buffer> r = app.get("/v1/havens/nearby?" + query, null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("Cache-Control")).isEqualTo("no-store");
    return r.bodyAsJsonObject();
  }

  static List<String> ids(JsonObject body) {
    return body.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("id")).toList();
  }

  static JsonObject item(JsonObject body, String id) {
    return body.getJsonArray("items").stream()
        .map(i -> (JsonObject) i)
        .filter(i -> i.getString("id").equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void orderedByGreatCircleDistanceWithinTheDefaultRadius() {
    JsonObject body = nearby("lat=" + LAT + "&lon=" + LON);
    assertThat(ids(body)).containsExactly(near, holloway, caledonian);
    assertThat(body.getInteger("radius")).isEqualTo(1500);
    // 112.67 m, 954.52 m, 1044.98 m
    assertThat(item(body, near).getInteger("distanceMetres")).isEqualTo(113);
    assertThat(item(body, holloway).getInteger("distanceMetres")).isEqualTo(955);
    assertThat(item(body, caledonian).getInteger("distanceMetres")).isEqualTo(1045);
    assertThat(body.getBoolean("openNowWithinRadius")).isTrue();
    assertThat(body.getValue("fallback")).isNull();
  }

  @Test
  void radiusAndLimit() {
    // 1561.70 m, 2008.96 m, 3032.05 m
    assertThat(ids(nearby("lat=" + LAT + "&lon=" + LON + "&radius=2100")))
        .containsExactly(near, holloway, caledonian, angel, park);
    assertThat(ids(nearby("lat=" + LAT + "&lon=" + LON + "&radius=10000")))
        .containsExactly(near, holloway, caledonian, angel, park, archway);
    assertThat(ids(nearby("lat=" + LAT + "&lon=" + LON + "&radius=10000&limit=2")))
        .containsExactly(near, holloway);
    assertThat(ids(nearby("lat=" + LAT + "&lon=" + LON + "&radius=100"))).isEmpty();
    assertThat(
            item(nearby("lat=" + LAT + "&lon=" + LON + "&radius=10000"), archway)
                .getInteger("distanceMetres"))
        .isEqualTo(3032);
  }

  @Test
  void openNowAndTheNextChangeAtTheRequestTime() {
    JsonObject body = nearby("lat=" + LAT + "&lon=" + LON);
    assertThat(body.getString("at")).isEqualTo("2026-06-10T11:00:00+01:00");
    JsonObject cafe = item(body, near);
    assertThat(cafe.getBoolean("openNow")).isFalse();
    assertThat(cafe.getString("opensAt")).isEqualTo("2026-06-10T18:00:00+01:00");
    assertThat(cafe.getValue("closesAt")).isNull();
    JsonObject shop = item(body, holloway);
    assertThat(shop.getBoolean("openNow")).isTrue();
    assertThat(shop.getString("closesAt")).isEqualTo("2026-06-10T17:00:00+01:00");
    assertThat(shop.getValue("opensAt")).isNull();
    assertThat(shop.getJsonArray("facilities")).containsExactly("phone_charging");
    assertThat(shop.getJsonObject("location").getDouble("lat")).isEqualTo(51.5526);
    JsonObject allNight = item(nearby("lat=" + LAT + "&lon=" + LON + "&radius=2000"), angel);
    assertThat(allNight.getBoolean("openNow")).isTrue();
    assertThat(allNight.getValue("closesAt")).as("open around the clock").isNull();
  }

  @Test
  void openNowTrueKeepsOnlyOpenHavens() {
    assertThat(ids(nearby("lat=" + LAT + "&lon=" + LON + "&openNow=true")))
        .containsExactly(holloway, caledonian);
    app.setNow(Instant.parse("2026-06-10T18:00:00Z")); // 19:00 BST
    assertThat(ids(nearby("lat=" + LAT + "&lon=" + LON + "&openNow=true"))).containsExactly(near);
  }

  @Test
  void nothingOpenWithinTheRadiusCarriesFallbackGuidance() {
    app.setNow(THURSDAY_NIGHT);
    JsonObject body = nearby("lat=" + LAT + "&lon=" + LON + "&openNow=true");
    assertThat(body.getJsonArray("items")).isEmpty();
    assertThat(body.getBoolean("openNowWithinRadius")).isFalse();
    JsonObject fallback = body.getJsonObject("fallback");
    assertThat(fallback.getString("message")).contains("999");
    assertThat(
            fallback.getJsonArray("call").stream().map(c -> ((JsonObject) c).getString("number")))
        .containsExactly("999", "101");
    // the nearest open ones beyond the radius: Angel (1562 m), then Archway (3032 m)
    assertThat(
            fallback.getJsonArray("nearestOpen").stream()
                .map(i -> ((JsonObject) i).getString("id")))
        .containsExactly(angel, archway);
    // within the radius, soonest to open: 09:00 (nearer first), then the café at 18:00
    List<JsonObject> soon =
        fallback.getJsonArray("opensSoon").stream().map(i -> (JsonObject) i).toList();
    assertThat(soon).extracting(i -> i.getString("id")).containsExactly(holloway, caledonian, near);
    assertThat(soon.get(0).getString("opensAt")).isEqualTo("2026-06-11T09:00:00+01:00");
    assertThat(soon.get(2).getString("opensAt")).isEqualTo("2026-06-11T18:00:00+01:00");

    // without the filter the closed ones are listed, and the answer still says none is open
    JsonObject all = nearby("lat=" + LAT + "&lon=" + LON);
    assertThat(ids(all)).containsExactly(near, holloway, caledonian);
    assertThat(all.getBoolean("openNowWithinRadius")).isFalse();
    assertThat(all.getJsonObject("fallback").getJsonArray("call")).hasSize(2);
  }

  @Test
  void withNoHavenInsideTheRadiusTheSoonestToOpenComeFromTheRingSearched() {
    app.setNow(THURSDAY_NIGHT);
    JsonObject fallback =
        nearby("lat=" + LAT + "&lon=" + LON + "&radius=50&openNow=true").getJsonObject("fallback");
    assertThat(
            fallback.getJsonArray("nearestOpen").stream()
                .map(i -> ((JsonObject) i).getString("id")))
        .containsExactly(angel, archway);
    // every haven within the 6 km ring is looked at: the 09:00 ones nearest first, Finsbury Park's
    // pharmacy before the café that opens at 18:00
    assertThat(
            fallback.getJsonArray("opensSoon").stream().map(i -> ((JsonObject) i).getString("id")))
        .containsExactly(holloway, caledonian, park);
  }

  @Test
  void namesInAnyScriptComeBackAsWritten() {
    String name = "Zoë's Café ☕ — مقهى 🛟";
    // 8 km north of the other havens, open at lunchtime only, so it changes no other answer
    String id = HavenFixtures.create(app, haven(name, 51.6182, -0.1040, daily("12:00", "13:00")));
    JsonObject body = nearby("lat=51.6182&lon=-0.1041");
    assertThat(item(body, id).getString("name")).isEqualTo(name);
  }

  @Test
  void farFromEveryHavenStillAnswersWithGuidance() {
    // the North Sea
    JsonObject body = nearby("lat=54.0&lon=2.0&openNow=true");
    assertThat(body.getJsonArray("items")).isEmpty();
    assertThat(body.getBoolean("openNowWithinRadius")).isFalse();
    JsonObject fallback = body.getJsonObject("fallback");
    assertThat(fallback.getJsonArray("nearestOpen")).isEmpty();
    assertThat(fallback.getJsonArray("opensSoon")).isEmpty();
    assertThat(fallback.getJsonArray("call")).hasSize(2);
  }

  @Test
  void suspendedHavensAreNeverOffered() {
    assertThat(ids(nearby("lat=" + LAT + "&lon=" + LON + "&radius=10000")))
        .doesNotContain(suspended);
    app.setNow(THURSDAY_NIGHT);
    JsonObject body = nearby("lat=" + LAT + "&lon=" + LON + "&openNow=true");
    assertThat(body.encode()).doesNotContain(suspended);
  }

  @Test
  void badParametersNameTheirField() {
    assertField("/v1/havens/nearby?lon=-0.1", "lat");
    assertField("/v1/havens/nearby?lat=51.5", "lon");
    assertField("/v1/havens/nearby?lat=95&lon=0", "lat");
    assertField("/v1/havens/nearby?lat=51.5&lon=-181", "lon");
    assertField("/v1/havens/nearby?lat=51.5&lon=0&radius=10001", "radius");
    assertField("/v1/havens/nearby?lat=51.5&lon=0&radius=abc", "radius");
    assertField("/v1/havens/nearby?lat=51.5&lon=0&limit=0", "limit");
    assertField("/v1/havens/nearby?lat=51.5&lon=0&openNow=maybe", "openNow");
  }

  void assertField(String uri, String field) {
    HttpResponse<Buffer> r = app.get(uri, null);
    assertThat(r.statusCode()).as(uri).isEqualTo(400);
    assertThat(HavenFixtures.errors(r).stream().map(e -> ((JsonObject) e).getString("field")))
        .as(uri)
        .contains(field);
  }

  @Test
  void theQueryCoordinatesAreNeitherStoredNorLogged() throws Exception {
    // the production logging configuration, turned up as far as LOG_LEVEL and ACCESS_LOG_LEVEL go
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    System.setProperty("LOG_LEVEL", "TRACE");
    System.setProperty("ACCESS_LOG_LEVEL", "TRACE");
    try {
      configure(context, "/logback.xml");
      appender.setContext(context);
      appender.start();
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
      nearby("lat=51.5437291&lon=-0.1029837&openNow=true");
      nearby("lat=51.5437291&lon=-0.1029837&radius=3000&limit=3");
      app.setNow(THURSDAY_NIGHT);
      nearby("lat=51.5437291&lon=-0.1029837&openNow=true");
      app.get("/v1/havens/nearby?lat=51.5437291&lon=-0.1029837&radius=99999", null);
      app.get("/v1/havens/nearby?lat=91.5437291&lon=-0.1029837", null);
    } finally {
      System.clearProperty("LOG_LEVEL");
      System.clearProperty("ACCESS_LOG_LEVEL");
      configure(context, "/logback-test.xml");
    }
    assertThat(appender.list)
        .as("the access log saw the requests")
        .anyMatch(e -> e.getLoggerName().equals("access"));
    StringBuilder logs = new StringBuilder();
    for (ILoggingEvent e : appender.list) {
      logs.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) {
        logs.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
      }
    }
    String tables = app.dumpAllTables();
    assertThat(tables).contains("Holloway Road Shop"); // the dump does see our tables
    for (String fragment : List.of("5437291", "1029837", "51.54372", "0.102983")) {
      assertThat(tables).as("stored").doesNotContain(fragment);
      assertThat(logs.toString()).as("logged").doesNotContain(fragment);
    }
  }

  private static void configure(LoggerContext context, String resource) throws Exception {
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(HavenNearbyTest.class.getResource(resource));
  }
}
