package uk.gov.islington.youthsafety.api.havens;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.havens.HavenFixtures.daily;
import static uk.gov.islington.youthsafety.api.havens.HavenFixtures.haven;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;
import uk.gov.islington.youthsafety.testing.Waiting;

/**
 * listHavens: the offline bundle, its strong ETag and 304, delta sync with removals, and a second
 * instance.
 */
@WithTestApp
class HavenBundleTest {

  static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    HavenFixtures.create(app, haven("Bundle One", 51.5400, -0.1000, daily("09:00", "17:00")));
    HavenFixtures.create(app, haven("Bundle Two", 51.5410, -0.1010, daily("00:00", "24:00")));
  }

  static HttpResponse<Buffer> bundle(String query, String ifNoneMatch) {
    var request = app.http().get("/v1/havens" + query);
    if (ifNoneMatch != null) {
      request.putHeader("If-None-Match", ifNoneMatch);
    }
    return app.send(request, null, null);
  }

  static List<String> ids(JsonObject body, String field) {
    return body.getJsonArray(field).stream()
        .map(i -> i instanceof JsonObject o ? o.getString("id") : (String) i)
        .toList();
  }

  @Test
  void strongEtagAndNotModified() {
    HttpResponse<Buffer> first = bundle("", null);
    assertThat(first.statusCode()).isEqualTo(200);
    String etag = first.getHeader("ETag");
    assertThat(etag).startsWith("\"").endsWith("\"").doesNotStartWith("W/");
    JsonObject body = first.bodyAsJsonObject();
    assertThat(body.getBoolean("full")).isTrue();
    assertThat(body.getString("timeZone")).isEqualTo("Europe/London");
    assertThat(body.getJsonArray("removed")).isEmpty();
    JsonObject item = body.getJsonArray("items").getJsonObject(0);
    assertThat(item.getJsonObject("openingHours").getJsonArray("weekly")).hasSize(7);
    assertThat(item.containsKey("openNow"))
        .as("no computed state: the bundle is the same all day")
        .isFalse();

    HttpResponse<Buffer> again = bundle("", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.getHeader("ETag")).isEqualTo(etag);
    assertThat(again.body()).isNull();
    assertThat(bundle("", "W/" + etag).statusCode()).as("weak comparison").isEqualTo(304);
    assertThat(bundle("", "\"other\", " + etag).statusCode()).as("a list of tags").isEqualTo(304);
    assertThat(bundle("", "\"h1-00000000-1\"").statusCode()).isEqualTo(200);
    // the same bytes every time for the same tag
    assertThat(bundle("", null).body()).isEqualTo(first.body());
  }

  @Test
  void gzipHasItsOwnTagAndTheSameContent() throws Exception {
    HttpResponse<Buffer> plain = bundle("", null);
    HttpResponse<Buffer> zipped =
        app.send(app.http().get("/v1/havens").putHeader("Accept-Encoding", "gzip"), null, null);
    assertThat(zipped.statusCode()).isEqualTo(200);
    assertThat(zipped.getHeader("Content-Encoding")).isEqualTo("gzip");
    assertThat(zipped.getHeader("Vary")).isEqualTo("Accept-Encoding");
    String gzTag = zipped.getHeader("ETag");
    assertThat(gzTag).isNotEqualTo(plain.getHeader("ETag")).endsWith("-gz\"");
    byte[] unzipped =
        new GZIPInputStream(new ByteArrayInputStream(zipped.body().getBytes())).readAllBytes();
    assertThat(new String(unzipped, StandardCharsets.UTF_8)).isEqualTo(plain.bodyAsString());
    // either tag revalidates either representation
    assertThat(bundle("", gzTag).statusCode()).isEqualTo(304);
  }

  @Test
  void deltaSyncCarriesChangesAndRemovals() {
    String editor = app.staffToken("editor");
    String keep =
        HavenFixtures.create(app, haven("Delta Keep", 51.5420, -0.1020, daily("09:00", "17:00")));
    String change =
        HavenFixtures.create(app, haven("Delta Change", 51.5430, -0.1030, daily("09:00", "17:00")));
    String withdraw =
        HavenFixtures.create(
            app, haven("Delta Withdraw", 51.5440, -0.1040, daily("09:00", "17:00")));
    JsonObject before = bundle("", null).bodyAsJsonObject();
    String token = before.getString("syncToken");
    assertThat(ids(before, "items")).contains(keep, change, withdraw);

    String added =
        HavenFixtures.create(app, haven("Delta Added", 51.5450, -0.1050, daily("09:00", "17:00")));
    assertThat(
            app.patch("/v1/havens/" + change, editor, new JsonObject().put("name", "Delta Changed"))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            app.post(
                    "/v1/havens/" + withdraw + "/suspend",
                    editor,
                    new JsonObject().put("reason", "closed down"))
                .statusCode())
        .isEqualTo(200);

    HttpResponse<Buffer> deltaResponse = bundle("?since=" + token, null);
    assertThat(deltaResponse.statusCode()).isEqualTo(200);
    JsonObject delta = deltaResponse.bodyAsJsonObject();
    assertThat(delta.getBoolean("full")).isFalse();
    assertThat(ids(delta, "items")).containsExactlyInAnyOrder(added, change);
    assertThat(ids(delta, "removed")).containsExactly(withdraw);
    assertThat(delta.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("name")))
        .contains("Delta Changed");
    // the delta has its own tag and revalidates too
    assertThat(bundle("?since=" + token, deltaResponse.getHeader("ETag")).statusCode())
        .isEqualTo(304);

    // applying the delta to the old copy gives exactly the new full set
    Map<String, String> copy = new HashMap<>();
    before
        .getJsonArray("items")
        .forEach(i -> copy.put(((JsonObject) i).getString("id"), ((JsonObject) i).encode()));
    delta
        .getJsonArray("items")
        .forEach(i -> copy.put(((JsonObject) i).getString("id"), ((JsonObject) i).encode()));
    ids(delta, "removed").forEach(copy::remove);
    Map<String, String> full = new HashMap<>();
    bundle("", null)
        .bodyAsJsonObject()
        .getJsonArray("items")
        .forEach(i -> full.put(((JsonObject) i).getString("id"), ((JsonObject) i).encode()));
    assertThat(copy).isEqualTo(full);

    // nothing since the latest token; reinstating brings the haven back as a change
    String latest = delta.getString("syncToken");
    JsonObject quiet = bundle("?since=" + latest, null).bodyAsJsonObject();
    assertThat(quiet.getJsonArray("items")).isEmpty();
    assertThat(quiet.getJsonArray("removed")).isEmpty();
    assertThat(quiet.getString("syncToken")).isEqualTo(latest);
    assertThat(app.post("/v1/havens/" + withdraw + "/reinstate", editor, null).statusCode())
        .isEqualTo(200);
    assertThat(ids(bundle("?since=" + latest, null).bodyAsJsonObject(), "items"))
        .containsExactly(withdraw);
  }

  @Test
  void tokensFromElsewhereGetTheFullSetAndJunkIs400() {
    String foreign =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("h1.zzzzzzzz.3".getBytes(StandardCharsets.US_ASCII));
    JsonObject body = bundle("?since=" + foreign, null).bodyAsJsonObject();
    assertThat(body.getBoolean("full")).isTrue();
    assertThat(body.getJsonArray("items")).isNotEmpty();

    HttpResponse<Buffer> junk = bundle("?since=not-a-token", null);
    assertThat(junk.statusCode()).isEqualTo(400);
    assertThat(HavenFixtures.errors(junk).getJsonObject(0).getString("field")).isEqualTo("since");
  }

  @Test
  void aSecondInstanceServesTheSameBundleAndSeesChangesMadeOnTheFirst() throws Exception {
    // same database and keys as the first instance; no periodic catch-up within the test: changes
    // arrive by NOTIFY
    try (App second = app.startServingInstance(Map.of("HAVEN_RESYNC_INTERVAL", "1h"))) {
      WebClient client =
          WebClient.create(
              second.context().vertx(),
              new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(second.port()));
      HttpResponse<Buffer> here = bundle("", null);
      HttpResponse<Buffer> there = client.get("/v1/havens").send().await(30, TimeUnit.SECONDS);
      assertThat(there.getHeader("ETag")).isEqualTo(here.getHeader("ETag"));
      assertThat(there.body()).isEqualTo(here.body());

      String created =
          HavenFixtures.create(
              app, haven("Made On The First", 51.5460, -0.1060, daily("09:00", "17:00")));
      String tag = bundle("", null).getHeader("ETag");
      Waiting.until(
          "the second instance's bundle has the new haven",
          Duration.ofSeconds(20),
          () ->
              tag.equals(
                  Waiting.await(client.get("/v1/havens").send(), Duration.ofSeconds(30))
                      .getHeader("ETag")));
      HttpResponse<Buffer> seen = client.get("/v1/havens").send().await(30, TimeUnit.SECONDS);
      assertThat(seen.getHeader("ETag")).isEqualTo(tag);
      assertThat(ids(seen.bodyAsJsonObject(), "items")).contains(created);
      client.close();
    }
  }
}
