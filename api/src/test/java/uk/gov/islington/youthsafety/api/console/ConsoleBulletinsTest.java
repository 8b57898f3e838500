package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.console.ConsoleConsultationsTest.form;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The editors' bulletin pages over HTTP (no JavaScript): a draft composed (mistakes summarised,
 * what was typed kept, a second click creating nothing more), previewed as the notification and as
 * the archive page, scheduled (not in the past, not twice), its delivery page; unknown bulletins
 * and the wrong role.
 */
@WithTestApp({TestApp.CHEAP_HASH_MEMORY, TestApp.CHEAP_HASH_ITERATIONS})
class ConsoleBulletinsTest {

  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static TestApp app;

  static ConsoleClient editor() {
    return ConsoleClient.newStaff(app, "editor");
  }

  static final String TEXT =
      "The Lift youth hub runs free boxing and music sessions every Thursday, 5 to 8pm.\n\n"
          + "Everyone aged 11 to 19 is welcome.";

  /** Composes a draft through the pages; answers its id. */
  static String draft(ConsoleClient c, String title, String key) {
    c.get("/console/bulletins/new");
    HttpResponse<Buffer> r =
        c.postPairs(
            "/console/bulletins/new",
            "title",
            title,
            "body",
            TEXT,
            "audiences",
            "parents",
            "audiences",
            "young_people",
            "areas",
            "holloway",
            "idempotencyKey",
            key);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(303);
    String location = r.getHeader("Location");
    assertThat(location).matches("/console/bulletins/bul_[^?]+\\?done=saved");
    return location.replaceAll("^/console/bulletins/([^?]+).*$", "$1");
  }

  static List<String> when(ZonedDateTime t) {
    return List.of(
        "when",
        "later",
        "sendAt-day",
        "" + t.getDayOfMonth(),
        "sendAt-month",
        "" + t.getMonthValue(),
        "sendAt-year",
        "" + t.getYear(),
        "sendAt-time",
        String.format("%02d:%02d", t.getHour(), t.getMinute()));
  }

  @Test
  void aDraftIsComposedPreviewedAndScheduledOnce() {
    ConsoleClient c = editor();
    String title = "Safer Schools week " + UUID.randomUUID().toString().substring(0, 6);
    String key = UUID.randomUUID().toString();
    String id = draft(c, title, key);
    // the same form sent twice (a double click, a retry) is one draft
    assertThat(draft(c, title, key)).isEqualTo(id);

    String page = c.get("/console/bulletins/" + id).bodyAsString();
    assertThat(page)
        .contains("id=\"notification-preview\"")
        .contains("id=\"archive-preview\"")
        .contains("Everyone aged 11 to 19 is welcome.")
        .contains("Holloway");
    assertThat(app.get("/v1/bulletins", null).bodyAsString()).doesNotContain(id);

    // in the past: refused on the field, nothing scheduled
    c.get("/console/bulletins/" + id + "/send");
    ZonedDateTime past = app.clock.instant().minus(Duration.ofHours(1)).atZone(LONDON);
    HttpResponse<Buffer> r =
        c.postPairs("/console/bulletins/" + id + "/send", when(past).toArray(String[]::new));
    assertThat(ConsoleClient.errorPage(r))
        .contains("href=\"#sendAt-day\">The time to send must be in the future")
        .contains("value=\"" + past.getYear() + "\"");
    assertThat(bulletin(id).getString("state")).isEqualTo("draft");

    // not a date; no choice at all
    r =
        c.postPairs(
            "/console/bulletins/" + id + "/send",
            "when",
            "later",
            "sendAt-day",
            "31",
            "sendAt-month",
            "2",
            "sendAt-year",
            "2027",
            "sendAt-time",
            "09:00");
    assertThat(ConsoleClient.errorPage(r))
        .contains("href=\"#sendAt-day\">The date to send it must be a real date");
    r = c.post("/console/bulletins/" + id + "/send", form());
    assertThat(ConsoleClient.errorPage(r)).contains("href=\"#when\"");

    ZonedDateTime later = app.clock.instant().plus(Duration.ofHours(3)).atZone(LONDON);
    r = c.postPairs("/console/bulletins/" + id + "/send", when(later).toArray(String[]::new));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(303);
    assertThat(r.getHeader("Location")).endsWith("?done=scheduled");
    assertThat(bulletin(id).getString("state")).isEqualTo("scheduled");
    String delivery = c.get("/console/bulletins/" + id).bodyAsString();
    assertThat(delivery)
        .contains("id=\"delivery-state\">Scheduled")
        .contains("data-live-events=\"/console/bulletins/" + id + "/events\"")
        .contains("id=\"refresh\"");

    // scheduled: no second choice of time, and the draft cannot change any more
    HttpResponse<Buffer> again = c.get("/console/bulletins/" + id + "/send");
    assertThat(again.statusCode()).isEqualTo(303);
    c.get("/console/bulletins/" + id + "/edit");
    HttpResponse<Buffer> edit =
        c.postPairs(
            "/console/bulletins/" + id + "/edit",
            "title",
            "Changed",
            "body",
            TEXT,
            "audiences",
            "parents");
    assertThat(edit.statusCode()).isEqualTo(409);
    assertThat(edit.bodyAsString())
        .contains("only drafts can be edited")
        .contains("value=\"Changed\"");
    assertThat(c.get("/console/bulletins").bodyAsString()).contains(title);
  }

  @Test
  void mistakesAreSummarisedOnTheFieldsAndWhatWasTypedStays() {
    ConsoleClient c = editor();
    c.get("/console/bulletins/new");
    HttpResponse<Buffer> r =
        c.postPairs(
            "/console/bulletins/new", "title", "", "body", TEXT, "link", "http://example.org");
    assertThat(ConsoleClient.errorPage(r))
        .contains("govuk-error-summary")
        .contains("href=\"#title\">Enter a title")
        .contains("href=\"#audiences\">Select who the bulletin is for")
        .contains("href=\"#link\">Enter a link that starts with https://")
        .contains("Everyone aged 11 to 19 is welcome.")
        .contains("value=\"http://example.org\"");
    r =
        c.postPairs(
            "/console/bulletins/new",
            "title",
            "x".repeat(121),
            "body",
            TEXT,
            "audiences",
            "parents");
    assertThat(ConsoleClient.errorPage(r))
        .contains("href=\"#title\">The title must be 120 characters");
  }

  @Test
  void unknownBulletinsAreNotFoundAndOtherRolesAreRefused() {
    ConsoleClient c = editor();
    for (String path :
        List.of(
            "/console/bulletins/bul_nosuchbulletin0000000",
            "/console/bulletins/bul_nosuchbulletin0000000/edit",
            "/console/bulletins/bul_nosuchbulletin0000000/send",
            "/console/bulletins/bul_nosuchbulletin0000000/events")) {
      assertThat(c.get(path).statusCode()).as(path).isEqualTo(404);
    }
    assertThat(
            c.post("/console/bulletins/bul_nosuchbulletin0000000/send", form("when", "now"))
                .statusCode())
        .isEqualTo(404);

    ConsoleClient council = ConsoleClient.newStaff(app, "youth_council");
    assertThat(council.get("/console/bulletins").statusCode()).isEqualTo(403);
    // a real bulletin: its page, its live delivery and its sending are the editors' only
    String id = draft(c, "For editors only", UUID.randomUUID().toString());
    for (String path :
        List.of(
            "/console/bulletins/" + id,
            "/console/bulletins/" + id + "/events",
            "/console/bulletins/" + id + "/send")) {
      assertThat(council.get(path).statusCode()).as(path).isEqualTo(403);
    }
    assertThat(council.post("/console/bulletins/" + id + "/send", form("when", "now")).statusCode())
        .isEqualTo(403);
    assertThat(bulletin(id).getString("state")).isEqualTo("draft");
    assertThat(council.get("/console/bulletins/new").statusCode()).isEqualTo(403);
    HttpResponse<Buffer> post =
        council.postPairs(
            "/console/bulletins/new", "title", "No", "body", "No", "audiences", "parents");
    assertThat(post.statusCode()).isEqualTo(403);
    assertThat(app.get("/v1/bulletins?limit=100", null).bodyAsString()).doesNotContain("\"No\"");
  }

  static JsonObject bulletin(String id) {
    var r = app.get("/v1/bulletins/" + id, app.staffToken("editor"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }
}
