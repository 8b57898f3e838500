package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.havens.HavenFixtures.range;
import static uk.gov.islington.youthsafety.api.havens.HavenFixtures.weeklyHours;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The editors' Safe Haven and application pages over HTTP (no JavaScript): the failure paths. Bad
 * input names its field and keeps what was typed; two editors saving one haven (the second is told,
 * nothing is lost); unknown ids; other roles; forms without the session's CSRF token; the list's
 * filters and pages; deciding applications, with the retention rule read from the settings.
 */
@WithTestApp({
  TestApp.CHEAP_HASH_MEMORY,
  TestApp.CHEAP_HASH_ITERATIONS,
  // the page states the rule as configured, not a number written into it
  "HAVEN_APPLICATION_CONTACT_RETENTION=45d",
  "HAVEN_APPLICATION_PENDING_RETENTION=120d"
})
class ConsoleHavensTest {

  static TestApp app;
  static ConsoleClient editor;

  @BeforeAll
  static void start() throws Exception {
    editor = ConsoleClient.newStaff(app, "editor");
  }

  /** The form of a haven open 22:00–02:00 on Fridays and all day on Sundays. */
  static Map<String, String> havenForm(String name) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("idempotency", UUID.randomUUID().toString());
    f.put("name", name);
    f.put("address", "12 Holloway Road, London");
    f.put("postcode", "N7 8JL");
    f.put("lat", "51.5536");
    f.put("lon", "-0.1134");
    f.put("category", "cafe");
    f.put("hours-FRI-1-opens", "22:00");
    f.put("hours-FRI-1-closes", "02:00");
    f.put("hours-SUN-allday", "yes");
    return f;
  }

  static String created(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(303);
    Matcher m =
        Pattern.compile("^/console/havens/([^/?]+)\\?done=created$")
            .matcher(r.getHeader("Location"));
    assertThat(m.find()).as(r.getHeader("Location")).isTrue();
    return m.group(1);
  }

  static String text(HttpResponse<Buffer> r) {
    return r.bodyAsString().replace("&#39;", "'").replace("&amp;", "&").replace("&quot;", "\"");
  }

  @Test
  void anEditorAddsAHavenAndTheApiHasItWithThePastMidnightSession() {
    editor.get("/console/havens/new");
    HttpResponse<Buffer> sent = editor.post("/console/havens/new", havenForm("Night Café"));
    String id = created(sent);
    JsonObject h = app.get("/v1/havens/" + id, null).bodyAsJsonObject();
    assertThat(h.getString("name")).isEqualTo("Night Café");
    JsonArray weekly = h.getJsonObject("openingHours").getJsonArray("weekly");
    assertThat(weekly.encode())
        .contains("{\"day\":\"FRI\",\"opens\":\"22:00\",\"closes\":\"02:00\"}")
        .contains("{\"day\":\"SUN\",\"opens\":\"00:00\",\"closes\":\"24:00\"}");
    HttpResponse<Buffer> page = editor.get(sent.getHeader("Location"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(text(page))
        .contains("Friday: 22:00 to 02:00 (next day)")
        .contains("Sunday: all day")
        .contains("The Safe Haven is published");
  }

  @Test
  void badInputNamesTheFieldsAndKeepsWhatWasTyped() {
    long before = havens();
    editor.get("/console/havens/new");
    Map<String, String> f = havenForm("");
    f.put("postcode", "NOT A CODE");
    f.put("lat", "north-ish");
    f.put("hours-MON-1-opens", "25:00");
    f.put("hours-MON-1-closes", "18:00");
    f.put("ex-1-date", "2026-13-45");
    f.put("ex-1-closed", "yes");
    HttpResponse<Buffer> r = editor.post("/console/havens/new", f);
    assertThat(r.statusCode()).isEqualTo(400);
    String body = text(r);
    assertThat(body)
        .contains("<title>Error: Add a Safe Haven")
        .contains("govuk-error-summary")
        .contains("href=\"#name\"")
        .contains("href=\"#postcode\">Postcode is not a UK postcode")
        .contains("href=\"#lat\">Latitude must be a number")
        .contains("href=\"#hours-MON-1-opens\">Monday, session 1: the opening time must be a time")
        .contains("href=\"#ex-1-date\">Dated exception 1: the date must be a date")
        // what was typed is still there
        .contains("value=\"NOT A CODE\"")
        .contains("value=\"north-ish\"")
        .contains("value=\"25:00\"")
        .contains("value=\"2026-13-45\"")
        .contains("value=\"22:00\"");
    assertThat(havens()).as("nothing was created by the form with errors").isEqualTo(before);
  }

  static long havens() {
    return app.sql("SELECT count(*) FROM content.havens").get(0).getLong(0);
  }

  @Test
  void overlappingSessionsAreRefusedAgainstTheRightInputs() {
    editor.get("/console/havens/new");
    Map<String, String> f = havenForm("Overlap Café");
    // Friday 22:00–02:00 runs into Saturday 01:00–05:00
    f.put("hours-SAT-1-opens", "01:00");
    f.put("hours-SAT-1-closes", "05:00");
    HttpResponse<Buffer> r = editor.post("/console/havens/new", f);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(text(r)).contains("Saturday, session 1 overlaps another session");
  }

  @Test
  void twoEditorsSavingOneHavenTheSecondIsToldAndNothingIsLost() {
    editor.get("/console/havens/new");
    String id = created(editor.post("/console/havens/new", havenForm("Shared Café")));
    ConsoleClient other = ConsoleClient.newStaff(app, "editor");

    HttpResponse<Buffer> mine = editor.get("/console/havens/" + id + "/edit");
    HttpResponse<Buffer> theirs = other.get("/console/havens/" + id + "/edit");
    String version = version(mine);
    assertThat(version(theirs)).isEqualTo(version);

    Map<String, String> first = havenForm("Shared Café (renamed)");
    first.put("version", version);
    HttpResponse<Buffer> saved = editor.post("/console/havens/" + id + "/edit", first);
    assertThat(saved.statusCode()).as(saved.bodyAsString()).isEqualTo(303);
    assertThat(saved.getHeader("Location")).isEqualTo("/console/havens/" + id + "?done=saved");

    Map<String, String> second = havenForm("Shared Café");
    second.put("version", version);
    second.put("notes", "Use the side door after 10pm.");
    HttpResponse<Buffer> told = other.post("/console/havens/" + id + "/edit", second);
    assertThat(told.statusCode()).isEqualTo(409);
    assertThat(text(told))
        .contains("Another editor saved this Safe Haven after you opened it")
        .contains("differs from your form in:")
        .contains("Name")
        .contains("Use the side door after 10pm.");
    // the first editor's change stands
    assertThat(app.get("/v1/havens/" + id, null).bodyAsJsonObject().getString("name"))
        .isEqualTo("Shared Café (renamed)");
    // saving again, knowingly, from the page they were shown
    second.put("version", version(told));
    HttpResponse<Buffer> again = other.post("/console/havens/" + id + "/edit", second);
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(303);
    assertThat(app.get("/v1/havens/" + id, null).bodyAsJsonObject().getString("notes"))
        .isEqualTo("Use the side door after 10pm.");
    // a form without a version never overwrites
    Map<String, String> blind = havenForm("Blind Save");
    HttpResponse<Buffer> refused = other.post("/console/havens/" + id + "/edit", blind);
    assertThat(refused.statusCode()).isEqualTo(409);
  }

  static String version(HttpResponse<Buffer> r) {
    Matcher m = Pattern.compile("name=\"version\" value=\"(\\d+)\"").matcher(r.bodyAsString());
    assertThat(m.find()).as("the form carries the version read").isTrue();
    return m.group(1);
  }

  @Test
  void suspendNeedsAReasonThenTheAppNoLongerHasItUntilReinstated() {
    editor.get("/console/havens/new");
    String id = created(editor.post("/console/havens/new", havenForm("Suspended Café")));
    editor.get("/console/havens/" + id + "/suspend");
    HttpResponse<Buffer> none = editor.post("/console/havens/" + id + "/suspend", Map.of());
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(text(none)).contains("href=\"#reason\">Enter why it is suspended");
    HttpResponse<Buffer> done =
        editor.post(
            "/console/havens/" + id + "/suspend", Map.of("reason", "Owner asked for a pause"));
    assertThat(done.statusCode()).isEqualTo(303);
    assertThat(app.get("/v1/havens/" + id, null).statusCode()).isEqualTo(404);
    assertThat(text(editor.get("/console/havens/" + id)))
        .contains("Suspended because: Owner asked for a pause");
    editor.get("/console/havens/" + id + "/reinstate");
    assertThat(editor.post("/console/havens/" + id + "/reinstate", Map.of()).statusCode())
        .isEqualTo(303);
    assertThat(app.get("/v1/havens/" + id, null).statusCode()).isEqualTo(200);
  }

  @Test
  void theListSearchesFiltersAndPagesBeyondTheFirst() {
    String token = app.staffToken("editor");
    for (int i = 0; i < 55; i++) {
      JsonObject body =
          new JsonObject()
              .put("name", String.format("Paging Shop %02d", i))
              .put("address", "1 Paging Street, London")
              .put("postcode", "N1 1AA")
              .put("location", new JsonObject().put("lat", 51.54).put("lon", -0.10))
              .put("category", i == 7 ? "library" : "shop")
              .put("openingHours", weeklyHours(range("MON", "00:00", "24:00")));
      if (i == 3) {
        body.put("lastVerifiedOn", "2020-01-01");
      }
      var r =
          app.send(
              app.http()
                  .post("/v1/havens")
                  .putHeader("Idempotency-Key", UUID.randomUUID().toString()),
              token,
              body);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    }
    HttpResponse<Buffer> first = editor.get("/console/havens?q=paging+shop");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(count(first, "data-haven-id")).isEqualTo(HavenPages.PAGE_SIZE);
    Matcher next = Pattern.compile("href=\"([^\"]+)\" rel=\"next\"").matcher(first.bodyAsString());
    assertThat(next.find()).isTrue();
    HttpResponse<Buffer> second = editor.get(next.group(1).replace("&amp;", "&"));
    assertThat(count(second, "data-haven-id")).isEqualTo(5);
    assertThat(second.bodyAsString()).contains("Paging Shop 54").doesNotContain("Paging Shop 00");

    assertThat(count(editor.get("/console/havens?q=paging&category=library"), "data-haven-id"))
        .isEqualTo(1);
    assertThat(count(editor.get("/console/havens?q=paging&verified=24"), "data-haven-id"))
        .isEqualTo(1);
    HttpResponse<Buffer> due = editor.get("/console/havens/due");
    assertThat(due.bodyAsString()).contains("Paging Shop 03").doesNotContain("Paging Shop 04");
    // a postcode prefix finds them too; a % is text, not a wildcard
    assertThat(count(editor.get("/console/havens?q=N1+1&category=library"), "data-haven-id"))
        .isEqualTo(1);
    assertThat(count(editor.get("/console/havens?q=%25"), "data-haven-id")).isZero();
    // open now: they open on Mondays only
    boolean monday =
        java.time.LocalDate.ofInstant(app.clock.instant(), java.time.ZoneId.of("Europe/London"))
                .getDayOfWeek()
            == java.time.DayOfWeek.MONDAY;
    HttpResponse<Buffer> open = editor.get("/console/havens?q=paging&open=yes&category=library");
    assertThat(count(open, "data-haven-id")).isEqualTo(monday ? 1 : 0);
    // a cursor edited by hand: the first page, not an error
    assertThat(editor.get("/console/havens?q=paging&cursor=rubbish").statusCode()).isEqualTo(200);
  }

  static int count(HttpResponse<Buffer> r, String marker) {
    return r.bodyAsString().split(marker, -1).length - 1;
  }

  @Test
  void otherRolesCannotOpenTheEditorsPages() {
    editor.get("/console/havens/new");
    String id = created(editor.post("/console/havens/new", havenForm("Roles Café")));
    ConsoleClient moderator = ConsoleClient.newStaff(app, "moderator", "admin");
    for (String page :
        List.of(
            "/console/havens",
            "/console/havens/due",
            "/console/havens/new",
            "/console/havens/" + id,
            "/console/havens/" + id + "/edit",
            "/console/havens/" + id + "/suspend",
            "/console/applications")) {
      assertThat(moderator.get(page).statusCode()).as(page).isEqualTo(403);
    }
    HttpResponse<Buffer> post =
        moderator.post("/console/havens/" + id + "/suspend", Map.of("reason", "not mine"));
    assertThat(post.statusCode()).isEqualTo(403);
    assertThat(app.get("/v1/havens/" + id, null).statusCode()).isEqualTo(200);
    assertThat(moderator.get("/console").bodyAsString()).doesNotContain("/console/havens");
  }

  @Test
  void unknownIdsAre404Pages() {
    for (String page :
        List.of(
            "/console/havens/hvn_nothing",
            "/console/havens/hvn_nothing/edit",
            "/console/havens/hvn_nothing/suspend",
            "/console/havens/hvn_nothing/reinstate",
            "/console/applications/app_nothing",
            "/console/applications/app_nothing/approve")) {
      HttpResponse<Buffer> r = editor.get(page);
      assertThat(r.statusCode()).as(page).isEqualTo(404);
      assertThat(r.getHeader("Content-Type")).startsWith("text/html");
    }
    editor.get("/console/havens");
    assertThat(editor.post("/console/havens/hvn_nothing/edit", havenForm("Ghost")).statusCode())
        .isEqualTo(404);
    assertThat(editor.post("/console/applications/app_nothing/approve", Map.of()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void formsWithoutTheSessionsTokenChangeNothing() {
    editor.get("/console/havens/new");
    String id = created(editor.post("/console/havens/new", havenForm("Csrf Café")));
    Map<String, String> forged = havenForm("Forged Café");
    forged.put("csrf", "not-the-token");
    HttpResponse<Buffer> create = editor.post("/console/havens/new", forged);
    assertThat(create.statusCode()).isEqualTo(403);
    assertThat(
            app.sql("SELECT count(*) FROM content.havens WHERE name = 'Forged Café'")
                .get(0)
                .getLong(0))
        .isZero();
    HttpResponse<Buffer> suspend =
        editor.post("/console/havens/" + id + "/suspend", Map.of("reason", "forged", "csrf", ""));
    assertThat(suspend.statusCode()).isEqualTo(403);
    assertThat(app.get("/v1/havens/" + id, null).statusCode()).isEqualTo(200);
    // the right token from another site
    editor.get("/console/havens");
    String origin = editor.origin;
    editor.origin = "https://elsewhere.example";
    try {
      HttpResponse<Buffer> cross =
          editor.post("/console/havens/" + id + "/suspend", Map.of("reason", "cross-site"));
      assertThat(cross.statusCode()).isEqualTo(403);
    } finally {
      editor.origin = origin;
    }
    assertThat(app.get("/v1/havens/" + id, null).statusCode()).isEqualTo(200);
  }

  // ---- applications

  static String apply(String name) {
    return ConsoleHavensTestData.apply(app, name);
  }

  @Test
  void applicationsAreDecidedWithTheRetentionRuleFromTheSettings() {
    String rejectMe = apply("Reject Me Stores");
    String approveMe = apply("Approve Me Stores");
    HttpResponse<Buffer> queue = editor.get("/console/applications");
    assertThat(queue.bodyAsString())
        .contains("Reject Me Stores", "Approve Me Stores")
        .contains("deleted 45 days after")
        .contains("within 120 days");
    HttpResponse<Buffer> page = editor.get("/console/applications/" + rejectMe);
    assertThat(page.bodyAsString())
        .contains("robin.owner@example.org", "Robin Owner", "07700 900456")
        .contains("deleted 45 days after");

    editor.get("/console/applications/" + rejectMe + "/reject");
    HttpResponse<Buffer> noReason =
        editor.post("/console/applications/" + rejectMe + "/reject", Map.of("reason", " "));
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(text(noReason)).contains("href=\"#reason\">Enter why it is rejected");
    HttpResponse<Buffer> rejected =
        editor.post(
            "/console/applications/" + rejectMe + "/reject",
            Map.of("reason", "Not in the borough's scheme area"));
    assertThat(rejected.statusCode()).isEqualTo(303);
    // deciding it the other way now is refused, and changes nothing
    HttpResponse<Buffer> late =
        editor.post("/console/applications/" + rejectMe + "/approve", Map.of());
    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(
            app.get("/v1/haven-applications/" + rejectMe, app.staffToken("editor"))
                .bodyAsJsonObject()
                .getString("status"))
        .isEqualTo("rejected");

    editor.get("/console/applications/" + approveMe + "/approve");
    HttpResponse<Buffer> approved =
        editor.post("/console/applications/" + approveMe + "/approve", Map.of());
    assertThat(approved.statusCode()).isEqualTo(303);
    JsonObject decided =
        app.get("/v1/haven-applications/" + approveMe, app.staffToken("editor")).bodyAsJsonObject();
    assertThat(decided.getString("status")).isEqualTo("approved");
    String havenId = decided.getString("havenId");
    assertThat(app.get("/v1/havens/" + havenId, null).bodyAsJsonObject().getString("name"))
        .isEqualTo("Approve Me Stores");
  }
}
