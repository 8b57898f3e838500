package uk.gov.islington.youthsafety.api.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.all;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.closedOn;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.createId;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.every;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.helpline;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.ids;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.openOn;
import static uk.gov.islington.youthsafety.api.directory.DirectoryFixtures.service;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * "Who can I talk to, now?": per-channel hours in London time, past midnight, on the nights the
 * clocks change, with dated exceptions, for a phone line and a drop-in; openNow filtering with 24/7
 * helplines first; 999 always in the guidance; ETag, 304 and delta sync of the offline copy. 2026:
 * clocks go forward on Sunday 29 March at 01:00 UTC and back on Sunday 25 October at 01:00 UTC.
 */
@WithTestApp
class SupportAvailabilityTest {

  static TestApp app;
  static String editor;
  static String nightLine;
  static String dropIn;
  static String helpline;

  @BeforeAll
  static void start() throws Exception {
    app.setNow(Instant.parse("2026-12-01T12:00:00Z"));
    editor = app.staffToken("editor");
    // a phone line every evening 20:00 to 02:00, closed on Christmas Eve (its session that opens
    // on the 23rd still runs to 02:00 on the 24th)
    nightLine =
        createId(
            app,
            editor,
            service("Night Line")
                .put("phone", "020 7527 0101")
                .put(
                    "hours",
                    new JsonObject()
                        .put(
                            "phone",
                            new JsonObject()
                                .put("weekly", every("20:00", "02:00"))
                                .put("exceptions", new JsonArray().add(closedOn("2026-12-24")))
                                .put("note", "Volunteers answer; calls are free."))));
    // a drop-in on Tuesdays 16:00-19:00 and a late session on Saturdays 22:00-03:00; closed on
    // Tuesday 22 December, open instead on Wednesday 23 December 10:00-12:00
    JsonObject dropInHours =
        new JsonObject()
            .put("weekly", every("16:00", "19:00", "TUE").addAll(every("22:00", "03:00", "SAT")))
            .put(
                "exceptions",
                new JsonArray()
                    .add(closedOn("2026-12-22"))
                    .add(openOn("2026-12-23", "10:00", "12:00")));
    dropIn =
        createId(
            app,
            editor,
            service("Late Drop-in")
                .put("address", "2 Holloway Road, London N7 8JG")
                .put("hours", new JsonObject().put("inPerson", dropInHours)));
    helpline = createId(app, editor, helpline("Test Helpline 24/7"));
  }

  static JsonObject at(String instant, String id) {
    app.setNow(Instant.parse(instant));
    HttpResponse<Buffer> r = app.get("/v1/support-services/" + id, null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  static JsonObject channel(JsonObject service, String channel) {
    for (Object o : service.getJsonArray("availability")) {
      if (((JsonObject) o).getString("channel").equals(channel)) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no " + channel + " in " + service.encode());
  }

  @Test
  void phoneLinePastMidnight() {
    // Friday 4 December 23:00 GMT, then Saturday 01:30: the Friday session runs to 02:00
    JsonObject late = at("2026-12-04T23:00:00Z", nightLine);
    assertThat(late.getBoolean("openNow")).isTrue();
    assertThat(channel(late, "phone").getString("closesAt")).isEqualTo("2026-12-05T02:00:00+00:00");
    JsonObject small = at("2026-12-05T01:30:00Z", nightLine);
    assertThat(small.getBoolean("openNow")).isTrue();
    JsonObject after = at("2026-12-05T02:00:00Z", nightLine);
    assertThat(after.getBoolean("openNow")).isFalse();
    assertThat(after.getString("nextOpens")).isEqualTo("2026-12-05T20:00:00+00:00");
    assertThat(after.getBoolean("alwaysOpen")).isFalse();
    assertThat(after.getJsonObject("hours").getJsonObject("phone").getString("note"))
        .startsWith("Volunteers");
  }

  @Test
  void phoneLineOnTheNightsTheClocksChange() {
    // spring: the Saturday session ends at 02:00 BST, which is 01:00 UTC, an hour after 00:00 UTC
    JsonObject spring = at("2026-03-29T00:30:00Z", nightLine);
    assertThat(spring.getBoolean("openNow")).isTrue();
    assertThat(channel(spring, "phone").getString("closesAt"))
        .isEqualTo("2026-03-29T02:00:00+01:00");
    JsonObject jumped = at("2026-03-29T01:05:00Z", nightLine);
    assertThat(jumped.getBoolean("openNow")).isFalse();
    assertThat(jumped.getString("nextOpens")).isEqualTo("2026-03-29T20:00:00+01:00");
    // autumn: 01:30 happens twice; at the second (GMT) one the line is still open until 02:00 GMT
    JsonObject autumn = at("2026-10-25T01:30:00Z", nightLine);
    assertThat(autumn.getBoolean("openNow")).isTrue();
    assertThat(channel(autumn, "phone").getString("closesAt"))
        .isEqualTo("2026-10-25T02:00:00+00:00");
  }

  @Test
  void phoneLineExceptions() {
    // the session that opened on the 23rd runs past midnight into the closed day
    assertThat(at("2026-12-24T01:00:00Z", nightLine).getBoolean("openNow")).isTrue();
    JsonObject eve = at("2026-12-24T21:00:00Z", nightLine);
    assertThat(eve.getBoolean("openNow")).isFalse();
    assertThat(eve.getString("nextOpens")).isEqualTo("2026-12-25T20:00:00+00:00");
  }

  @Test
  void dropInWeeklyExceptionsPastMidnightAndClockChange() {
    JsonObject tuesday = at("2026-12-15T17:00:00Z", dropIn);
    assertThat(tuesday.getBoolean("openNow")).isTrue();
    assertThat(channel(tuesday, "inPerson").getString("closesAt"))
        .isEqualTo("2026-12-15T19:00:00+00:00");
    // closed on the 22nd; opens on the 23rd in the morning instead
    JsonObject closed = at("2026-12-22T17:00:00Z", dropIn);
    assertThat(closed.getBoolean("openNow")).isFalse();
    assertThat(closed.getString("nextOpens")).isEqualTo("2026-12-23T10:00:00+00:00");
    assertThat(at("2026-12-23T11:00:00Z", dropIn).getBoolean("openNow")).isTrue();
    // the late session past midnight, on the night the clocks go forward: ends 03:00 BST = 02:00
    // UTC
    JsonObject spring = at("2026-03-29T01:30:00Z", dropIn);
    assertThat(spring.getBoolean("openNow")).isTrue();
    assertThat(channel(spring, "inPerson").getString("closesAt"))
        .isEqualTo("2026-03-29T03:00:00+01:00");
    assertThat(at("2026-03-29T02:00:00Z", dropIn).getBoolean("openNow")).isFalse();
    // and on the night they go back: 03:00 GMT, an hour later than it would be in BST
    JsonObject autumn = at("2026-10-25T02:30:00Z", dropIn);
    assertThat(autumn.getBoolean("openNow")).isTrue();
    assertThat(channel(autumn, "inPerson").getString("closesAt"))
        .isEqualTo("2026-10-25T03:00:00+00:00");
    // a drop-in is not a helpline: never "always open"
    assertThat(autumn.getBoolean("alwaysOpen")).isFalse();
  }

  @Test
  void talkToSomeoneNowPutsTwentyFourSevenHelplinesFirstAnd999IsAlwaysInTheGuidance() {
    // Tuesday 15 December 17:00 GMT: Victim Support's line (8-8 weekdays) and the drop-in are open,
    // Bright Futures' helpline (9-5) has just closed, the night line has not opened yet
    app.setNow(Instant.parse("2026-12-15T17:00:00Z"));
    List<JsonObject> open = all(app, "&openNow=true");
    assertThat(open).allMatch(i -> i.getBoolean("openNow"));
    assertThat(ids(open))
        .startsWith("emergency-999")
        .contains("victim-support", dropIn)
        .doesNotContain("bright-futures", nightLine, "csct");
    // the 24/7 lines (999, the seeded Childline and the one made here) come first, all together
    assertThat(ids(open.subList(0, 3)))
        .containsExactlyInAnyOrder("emergency-999", "childline", helpline);
    assertThat(open.subList(0, 3)).allMatch(i -> i.getBoolean("alwaysOpen"));
    assertThat(open.subList(3, open.size())).noneMatch(i -> i.getBoolean("alwaysOpen"));

    // services whose hours nobody has stated say so
    JsonObject csct = app.get("/v1/support-services/csct", null).bodyAsJsonObject();
    assertThat(csct.getValue("openNow")).isNull();
    assertThat(csct.getJsonArray("availability")).isEmpty();

    // 999 is in every answer, even one with nothing in it
    for (String query : List.of("", "?openNow=true", "?category=mentoring&age=30&openNow=true")) {
      JsonObject body = app.get("/v1/support-services" + query, null).bodyAsJsonObject();
      assertThat(
              body.getJsonObject("guidance")
                  .getJsonArray("call")
                  .getJsonObject(0)
                  .getString("number"))
          .as(query)
          .isEqualTo("999");
    }
    assertThat(
            app.get("/v1/support-services?category=mentoring&age=30&openNow=true", null)
                .bodyAsJsonObject()
                .getJsonArray("items"))
        .isEmpty();
  }

  @Test
  void etagRevalidatesAndSinceGivesOnlyWhatChanged() {
    app.setNow(Instant.parse("2026-12-01T12:00:00Z"));
    HttpResponse<Buffer> first = app.get("/v1/support-services?limit=100", null);
    String etag = first.getHeader("ETag");
    assertThat(etag).startsWith("\"");
    JsonObject body = first.bodyAsJsonObject();
    assertThat(body.getBoolean("full")).isTrue();
    String token = body.getString("syncToken");

    HttpResponse<Buffer> same =
        app.send(
            app.http().get("/v1/support-services?limit=100").putHeader("If-None-Match", etag),
            null,
            null);
    assertThat(same.statusCode()).isEqualTo(304);
    assertThat(same.getHeader("ETag")).isEqualTo(etag);

    JsonObject nothing = app.get("/v1/support-services?since=" + token, null).bodyAsJsonObject();
    assertThat(nothing.getBoolean("full")).isFalse();
    assertThat(nothing.getJsonArray("items")).isEmpty();
    assertThat(nothing.getJsonArray("removed")).isEmpty();

    assertThat(
            app.patch(
                    "/v1/support-services/" + helpline,
                    editor,
                    new JsonObject().put("email", "help@example.org"))
                .statusCode())
        .isEqualTo(200);
    HttpResponse<Buffer> changed =
        app.send(
            app.http().get("/v1/support-services?limit=100").putHeader("If-None-Match", etag),
            null,
            null);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.getHeader("ETag")).isNotEqualTo(etag);
    JsonObject delta = app.get("/v1/support-services?since=" + token, null).bodyAsJsonObject();
    assertThat(ids(delta.getJsonArray("items").stream().map(o -> (JsonObject) o).toList()))
        .containsExactly(helpline);
    assertThat(delta.getString("syncToken")).isNotEqualTo(token);

    // a token from elsewhere gets the full set; a broken one is a 400 naming since
    HttpResponse<Buffer> broken = app.get("/v1/support-services?since=bm9wZQ", null);
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(DirectoryFixtures.errorFields(broken)).containsExactly("since");
    assertThat(app.get("/v1/support-services?openNow=true&since=" + token, null).statusCode())
        .isEqualTo(400);
  }
}
