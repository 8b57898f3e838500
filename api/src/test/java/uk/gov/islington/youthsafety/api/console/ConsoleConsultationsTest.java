package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The Youth Council's consultation pages over HTTP (no JavaScript): a consultation written a page
 * at a time (each page's mistakes shown with what was typed), checked and created; the questions
 * frozen from the first vote; turnout while open; results, publication and the CSV after closing;
 * and who may do any of it.
 */
@WithTestApp({
  TestApp.CHEAP_HASH_MEMORY,
  TestApp.CHEAP_HASH_ITERATIONS,
  "CONSULTATION_MIX_INTERVAL=0s",
  "CONSULTATION_LIVE_RESULTS_TTL=0s"
})
class ConsoleConsultationsTest {

  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static TestApp app;

  static ConsoleClient signedIn(String... roles) {
    return ConsoleClient.newStaff(app, roles);
  }

  static Map<String, String> form(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  static Map<String, String> window(Instant opens, Instant closes) {
    ZonedDateTime o = opens.atZone(LONDON);
    ZonedDateTime c = closes.atZone(LONDON);
    return form(
        "opens-day",
        "" + o.getDayOfMonth(),
        "opens-month",
        "" + o.getMonthValue(),
        "opens-year",
        "" + o.getYear(),
        "opens-time",
        String.format("%02d:%02d", o.getHour(), o.getMinute()),
        "closes-day",
        "" + c.getDayOfMonth(),
        "closes-month",
        "" + c.getMonthValue(),
        "closes-year",
        "" + c.getYear(),
        "closes-time",
        String.format("%02d:%02d", c.getHour(), c.getMinute()));
  }

  /**
   * Writes a three-question consultation through the pages, open from the minute before now;
   * answers its id.
   */
  static String createThroughThePages(ConsoleClient c, String title) {
    HttpResponse<Buffer> about =
        c.post(
            "/console/consultations/new",
            form("title", title, "description", "Tell the Youth Council what would help."));
    assertThat(about.statusCode()).as(about.bodyAsString()).isEqualTo(303);
    String base = about.getHeader("Location").replace("/window", "");
    Instant now = app.clock.instant();
    assertThat(
            c.post(
                    base + "/window",
                    window(now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(7))))
                .getHeader("Location"))
        .isEqualTo(base + "/age-bands");
    assertThat(
            c.postPairs(base + "/age-bands", "ageBands", "14-17", "ageBands", "18-25")
                .getHeader("Location"))
        .isEqualTo(base + "/questions/1");
    assertThat(
            c.post(
                    base + "/questions/1",
                    form(
                        "text",
                        "Where do you feel least safe?",
                        "type",
                        "single",
                        "options",
                        "On buses\nIn parks\nNear school"))
                .getHeader("Location"))
        .isEqualTo(base + "/questions");
    assertThat(
            c.post(
                    base + "/questions/2",
                    form(
                        "text",
                        "Which would you use?",
                        "type",
                        "multiple",
                        "maxChoices",
                        "2",
                        "options",
                        "Safe Havens\nYouth workers\nA text line"))
                .getHeader("Location"))
        .isEqualTo(base + "/questions");
    assertThat(
            c.post(
                    base + "/questions/3",
                    form(
                        "text",
                        "Rank these ideas",
                        "type",
                        "ranking",
                        "options",
                        "Lighting\nYouth clubs\nSafer routes"))
                .getHeader("Location"))
        .isEqualTo(base + "/questions");
    HttpResponse<Buffer> check = c.get(base + "/check");
    assertThat(check.bodyAsString())
        .contains(
            title,
            "14 to 17, 18 to 25",
            "Where do you feel least safe?",
            "Several choices (at most 2)",
            "Put in order");
    HttpResponse<Buffer> created = c.post(base + "/check", Map.of());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(303);
    return created
        .getHeader("Location")
        .replaceAll("^/console/consultations/([^?]+)\\?done=created$", "$1");
  }

  static JsonObject definition(String id) {
    HttpResponse<Buffer> r = app.get("/v1/consultations/" + id, null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  /** One ballot through the JSON API: the first choice of every question. */
  static void vote(String id, String ageBand) {
    JsonArray answers = new JsonArray();
    definition(id)
        .getJsonArray("questions")
        .forEach(
            q -> {
              JsonObject question = (JsonObject) q;
              answers.add(
                  new JsonObject()
                      .put("questionId", question.getString("id"))
                      .put(
                          "optionIds",
                          new JsonArray()
                              .add(
                                  question
                                      .getJsonArray("options")
                                      .getJsonObject(0)
                                      .getString("id"))));
            });
    var req =
        app.http()
            .post("/v1/consultations/" + id + "/votes")
            .putHeader("Idempotency-Key", UUID.randomUUID().toString());
    HttpResponse<Buffer> r =
        app.send(req, app.deviceToken(ageBand), new JsonObject().put("answers", answers));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
  }

  @Test
  void eachPageShowsItsMistakesWithWhatWasTyped() {
    // each test signs in anew: another test may move the clock past a session's idle time-out
    ConsoleClient member = signedIn("youth_council");
    HttpResponse<Buffer> empty =
        member.post("/console/consultations/new", form("title", "", "description", "Why"));
    assertThat(ConsoleClient.errorPage(empty))
        .contains("href=\"#title\"", "Enter a title", ">Why</textarea>");
    assertThat(app.sql("SELECT count(*) AS n FROM content.consultation_drafts").get(0).getLong("n"))
        .as("nothing stored until the first page is right")
        .isZero();

    String base =
        member
            .post("/console/consultations/new", form("title", "Mistakes", "description", "Why"))
            .getHeader("Location")
            .replace("/window", "");
    HttpResponse<Buffer> notADate =
        member.post(
            base + "/window",
            form(
                "opens-day",
                "31",
                "opens-month",
                "2",
                "opens-year",
                "2027",
                "opens-time",
                "09:00",
                "closes-day",
                "1",
                "closes-month",
                "3",
                "closes-year",
                "2027",
                "closes-time",
                "25:00"));
    assertThat(ConsoleClient.errorPage(notADate))
        .contains(
            "href=\"#opens-day\"",
            "The opening date must be a real date",
            "href=\"#closes-time\"",
            "Enter the closing time",
            "value=\"31\"",
            "value=\"25:00\"");
    Instant now = app.clock.instant();
    HttpResponse<Buffer> backwards =
        member.post(
            base + "/window", window(now.plus(Duration.ofDays(3)), now.plus(Duration.ofDays(2))));
    assertThat(ConsoleClient.errorPage(backwards))
        .contains("href=\"#closes-day\"", "The closing date must be after the opening date");
    HttpResponse<Buffer> past =
        member.post(
            base + "/window", window(now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(2))));
    assertThat(past.bodyAsString()).contains("The closing date must be in the future");

    HttpResponse<Buffer> noBands = member.post(base + "/age-bands", Map.of());
    assertThat(ConsoleClient.errorPage(noBands))
        .contains("href=\"#ageBands\"", "Select at least one age band");

    HttpResponse<Buffer> question =
        member.post(base + "/questions/1", form("text", "Only one choice?", "options", "Yes"));
    assertThat(ConsoleClient.errorPage(question))
        .contains("Select how the question is answered", ">Only one choice?</textarea>");
    HttpResponse<Buffer> oneOption =
        member.post(
            base + "/questions/1",
            form("text", "Only one choice?", "type", "single", "options", "Yes"));
    assertThat(oneOption.bodyAsString())
        .contains("href=\"#options\"", "Enter at least two choices");
    HttpResponse<Buffer> twice =
        member.post(
            base + "/questions/1",
            form("text", "Twice?", "type", "multiple", "maxChoices", "5", "options", "Yes\nyes"));
    assertThat(twice.bodyAsString())
        .contains("Each choice must be different", "href=\"#maxChoices\"");
    assertThat(member.get(base + "/questions/7").statusCode()).isEqualTo(404);

    HttpResponse<Buffer> incomplete = member.post(base + "/check", Map.of());
    assertThat(ConsoleClient.errorPage(incomplete))
        .contains(
            "Enter when voting opens and closes",
            "Select who can vote",
            "Add at least one question");
    assertThat(
            app.get("/v1/consultations", null).bodyAsJsonObject().getJsonArray("items").stream()
                .map(JsonObject.class::cast)
                .noneMatch(c -> c.getString("title").equals("Mistakes")))
        .isTrue();
  }

  @Test
  void aMemberWritesAConsultationAndItsQuestionsFreezeAtTheFirstVote() {
    // each test signs in anew: another test may move the clock past a session's idle time-out
    ConsoleClient member = signedIn("youth_council");
    String id = createThroughThePages(member, "Feeling safe " + UUID.randomUUID());
    JsonObject c = definition(id);
    assertThat(c.getJsonArray("questions")).hasSize(3);
    assertThat(c.getJsonArray("questions").getJsonObject(1).getString("type"))
        .isEqualTo("multiple");
    assertThat(c.getJsonArray("questions").getJsonObject(1).getInteger("maxChoices")).isEqualTo(2);
    assertThat(c.getJsonArray("ageBands")).containsExactly("14-17", "18-25");
    assertThat(
            app.sql(
                    "SELECT count(*) AS n FROM content.consultation_drafts WHERE body->>'title' = $1",
                    c.getString("title"))
                .get(0)
                .getLong("n"))
        .as("the draft is gone")
        .isZero();

    // before the first vote a question may change, from the consultation's own page
    HttpResponse<Buffer> changed =
        member.post(
            "/console/consultations/" + id + "/questions/1",
            form(
                "text",
                "Where do you feel least safe at night?",
                "type",
                "single",
                "options",
                "On buses\nIn parks\nNear school"));
    assertThat(changed.getHeader("Location"))
        .isEqualTo("/console/consultations/" + id + "?done=saved");
    assertThat(definition(id).getJsonArray("questions").getJsonObject(0).getString("text"))
        .isEqualTo("Where do you feel least safe at night?");

    vote(id, "14-17");
    HttpResponse<Buffer> page = member.get("/console/consultations/" + id);
    assertThat(page.bodyAsString())
        .contains("id=\"frozen\"", "Frozen", "id=\"turnout-total\">1<")
        .doesNotContain("/questions/1\"", "id=\"add-question\"");
    HttpResponse<Buffer> refused =
        member.post(
            "/console/consultations/" + id + "/questions/1",
            form("text", "Changed after a vote", "type", "single", "options", "A\nB"));
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.bodyAsString())
        .contains("questions are frozen", ">Changed after a vote</textarea>");
    assertThat(
            member
                .post("/console/consultations/" + id + "/questions/1/remove", Map.of())
                .statusCode())
        .isEqualTo(409);
    assertThat(definition(id).getJsonArray("questions")).hasSize(3);
    HttpResponse<Buffer> description =
        member.post(
            "/console/consultations/" + id + "/about",
            form("title", "ignored", "description", "Corrected description."));
    assertThat(description.getHeader("Location"))
        .isEqualTo("/console/consultations/" + id + "?done=saved");
    assertThat(definition(id).getString("description")).isEqualTo("Corrected description.");
    assertThat(definition(id).getString("title")).startsWith("Feeling safe");

    HttpResponse<Buffer> preview = member.get("/console/consultations/" + id + "/preview");
    assertThat(preview.bodyAsString())
        .contains("How young people will see it", "Choose up to 2.", "Put them in order");
  }

  @Test
  void afterClosingTheResultsArePublishedAndDownloaded() {
    // each test signs in anew: another test may move the clock past a session's idle time-out
    ConsoleClient member = signedIn("youth_council");
    String id = createThroughThePages(member, "Results " + UUID.randomUUID());
    for (int i = 0; i < 6; i++) {
      vote(id, "14-17");
    }
    assertThat(member.get("/console/consultations/" + id).bodyAsString())
        .contains("id=\"turnout-total\">6<")
        .doesNotContain("id=\"publish\"");
    assertThat(member.get("/console/consultations/" + id + "/publish").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> early = member.post("/console/consultations/" + id + "/publish", Map.of());
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(early.bodyAsString()).contains("once voting has closed");
    assertThat(member.get("/console/consultations/" + id + "/results.csv").statusCode())
        .isEqualTo(409);

    app.clock.advance(Duration.ofDays(8));
    member = signedIn("youth_council");
    HttpResponse<Buffer> closed = member.get("/console/consultations/" + id);
    assertThat(closed.bodyAsString())
        .contains(
            "<svg",
            "role=\"img\"",
            "id=\"result-table-1\"",
            "id=\"publish\"",
            "id=\"suppression\"",
            "fewer than 5");
    assertThat(app.get("/v1/consultations/" + id + "/results", null).statusCode())
        .as("not public yet")
        .isEqualTo(403);

    HttpResponse<Buffer> published =
        member.post("/console/consultations/" + id + "/publish", Map.of());
    assertThat(published.getHeader("Location"))
        .isEqualTo("/console/consultations/" + id + "?done=published");
    HttpResponse<Buffer> results = app.get("/v1/consultations/" + id + "/results", null);
    assertThat(results.statusCode()).isEqualTo(200);
    assertThat(results.bodyAsJsonObject().getBoolean("published")).isTrue();
    assertThat(results.bodyAsJsonObject().getInteger("totalBallots")).isEqualTo(6);

    HttpResponse<Buffer> csv = member.get("/console/consultations/" + id + "/results.csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.getHeader("Content-Type")).startsWith("text/csv");
    assertThat(csv.getHeader("Content-Disposition")).contains("attachment");
    assertThat(csv.bodyAsString())
        .contains(
            "question,question_text,type,choice,votes",
            "On buses,6",
            "ranking,Lighting,6,6,18",
            "total,6",
            "14-17,suppressed",
            "18-25,suppressed");
    assertThat(member.get("/console/consultations").bodyAsString()).contains("Results published");
  }

  @Test
  void aDraftCanBeDiscardedAfterAskingAndIsThenGone() {
    // each test signs in anew: another test may move the clock past a session's idle time-out
    ConsoleClient member = signedIn("youth_council");
    String title = "Second thoughts " + UUID.randomUUID();
    String base =
        member
            .post("/console/consultations/new", form("title", title, "description", "Why"))
            .getHeader("Location")
            .replace("/window", "");
    assertThat(member.get(base + "/check").bodyAsString()).contains(base + "/discard");
    HttpResponse<Buffer> ask = member.get(base + "/discard");
    assertThat(ask.statusCode()).isEqualTo(200);
    assertThat(ask.bodyAsString()).contains("Discard the draft " + title, "Discard draft");
    assertThat(member.get("/console/consultations").bodyAsString()).contains(title);

    HttpResponse<Buffer> discarded = member.post(base + "/discard", form());
    assertThat(discarded.statusCode()).isEqualTo(303);
    assertThat(discarded.getHeader("Location")).isEqualTo("/console/consultations");
    assertThat(member.get("/console/consultations").bodyAsString()).doesNotContain(title);
    assertThat(member.get(base + "/check").statusCode()).isEqualTo(404);
    assertThat(member.post(base + "/discard", form()).statusCode()).isEqualTo(404);
    assertThat(signedIn("moderator").post(base + "/discard", form()).statusCode()).isEqualTo(403);
  }

  @Test
  void csvCellsAreQuotedAndNeverFormulas() {
    assertThat(ConsultationPages.cell("Safe Havens")).isEqualTo("Safe Havens");
    assertThat(ConsultationPages.cell("Buses, trains")).isEqualTo("\"Buses, trains\"");
    assertThat(ConsultationPages.cell("Say \"hi\"")).isEqualTo("\"Say \"\"hi\"\"\"");
    assertThat(ConsultationPages.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
    assertThat(ConsultationPages.cell("-1")).isEqualTo("\"'-1\"");
  }

  @Test
  void onlyTheYouthCouncilMayAndOnlyWithTheFormsToken() {
    // each test signs in anew: another test may move the clock past a session's idle time-out
    ConsoleClient member = signedIn("youth_council");
    ConsoleClient moderator = signedIn("moderator");
    for (String page : List.of("/console/consultations", "/console/consultations/new")) {
      HttpResponse<Buffer> r = moderator.get(page);
      assertThat(r.statusCode()).as(page).isEqualTo(403);
      assertThat(r.bodyAsString()).contains("You cannot open this page");
    }
    assertThat(
            moderator
                .post("/console/consultations/new", form("title", "Sneaky", "description", "x"))
                .statusCode())
        .isEqualTo(403);
    assertThat(moderator.get("/console").bodyAsString()).doesNotContain("/console/consultations");

    HttpResponse<Buffer> noToken =
        member.post(
            "/console/consultations/new",
            form("csrf", "wrong", "title", "Forged", "description", "x"));
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.bodyAsString()).contains("nothing was changed");
    assertThat(
            app.sql(
                    "SELECT count(*) AS n FROM content.consultation_drafts WHERE body->>'title' IN ('Forged', 'Sneaky')")
                .get(0)
                .getLong("n"))
        .isZero();
    assertThat(member.get("/console/consultations/cns_nothing").statusCode()).isEqualTo(404);
    assertThat(member.get("/console/consultations/drafts/dft_nothing/check").statusCode())
        .isEqualTo(404);
  }
}
