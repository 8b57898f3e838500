package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The editors' report category pages over HTTP: a change reaches listReportCategories (what the app
 * shows); the service's rules (which the JSON door's schema also holds) refuse bad input against
 * its field, keeping what was typed; unknown ids, other roles and forged forms change nothing.
 */
@WithTestApp({TestApp.CHEAP_HASH_MEMORY, TestApp.CHEAP_HASH_ITERATIONS})
class ConsoleCategoriesTest {

  static TestApp app;
  static ConsoleClient editor;

  @BeforeAll
  static void start() throws Exception {
    editor = ConsoleClient.newStaff(app, "editor");
  }

  static JsonObject first() {
    return app.get("/v1/report-categories", null)
        .bodyAsJsonObject()
        .getJsonArray("items")
        .getJsonObject(0);
  }

  static Map<String, String> form(JsonObject c) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("label", c.getString("label"));
    f.put("description", c.getString("description"));
    f.put("guidance", c.getString("guidance"));
    f.put("destination", c.getString("destination"));
    f.put("sortOrder", Integer.toString(c.getInteger("sortOrder")));
    f.put("active", "yes");
    f.put("contact-count", "2");
    return f;
  }

  @Test
  void anEditorChangesWhatYoungPeopleSee() {
    JsonObject c = first();
    String id = c.getString("id");
    HttpResponse<Buffer> list = editor.get("/console/categories");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.bodyAsString()).contains("/console/categories/" + id);
    HttpResponse<Buffer> page = editor.get("/console/categories/" + id);
    assertThat(page.statusCode()).isEqualTo(200);
    Map<String, String> f = form(c);
    f.put("guidance", "Someone from the safeguarding team reads this within a working day.");
    f.put("contact-1-name", "Childline");
    f.put("contact-1-phone", "0800 1111");
    f.put("contact-1-url", "https://www.childline.org.uk");
    f.put("contact-2-name", "Islington CSCT");
    f.put("contact-2-phone", "020 7527 7400");
    HttpResponse<Buffer> saved = editor.post("/console/categories/" + id, f);
    assertThat(saved.statusCode()).as(saved.bodyAsString()).isEqualTo(303);
    assertThat(saved.getHeader("Location")).isEqualTo("/console/categories?saved=" + id);
    JsonObject after = first();
    assertThat(after.getString("guidance"))
        .isEqualTo("Someone from the safeguarding team reads this within a working day.");
    assertThat(after.getJsonArray("contacts"))
        .isEqualTo(
            new io.vertx.core.json.JsonArray(
                "[{\"name\":\"Childline\",\"phone\":\"0800 1111\",\"url\":\"https://www.childline.org.uk\"},"
                    + "{\"name\":\"Islington CSCT\",\"phone\":\"020 7527 7400\"}]"));
    assertThat(editor.get(saved.getHeader("Location")).bodyAsString()).contains("is saved");
  }

  @Test
  void badInputNamesTheFieldAndKeepsWhatWasTyped() {
    JsonObject c = first();
    String id = c.getString("id");
    editor.get("/console/categories/" + id);
    Map<String, String> f = form(c);
    f.put("label", " ");
    f.put("guidance", "Kept guidance text");
    f.put("contact-1-phone", "0800 1111");
    f.put("contact-2-name", "A website");
    f.put("contact-2-url", "javascript:alert(1)");
    f.put("sortOrder", "first");
    HttpResponse<Buffer> r = editor.post("/console/categories/" + id, f);
    assertThat(ConsoleClient.errorPage(r))
        .contains("href=\"#sortOrder\">Position must be a whole number")
        .contains("value=\"first\"");
    f.put("sortOrder", "10");
    r = editor.post("/console/categories/" + id, f);
    assertThat(ConsoleClient.errorPage(r))
        .contains("href=\"#label\">Label must not be blank")
        .contains("href=\"#contact-1-name\">Contact 1: the name is required")
        .contains("href=\"#contact-2-url\">Contact 2: the url must start with https://")
        .contains("Kept guidance text")
        .contains("value=\"javascript:alert(1)\"");
    assertThat(first().getString("label")).isEqualTo(c.getString("label"));
  }

  @Test
  void unknownIdsOtherRolesAndForgedFormsChangeNothing() {
    JsonObject c = first();
    String id = c.getString("id");
    assertThat(editor.get("/console/categories/no-such-category").statusCode()).isEqualTo(404);
    editor.get("/console/categories");
    assertThat(editor.post("/console/categories/no-such-category", form(c)).statusCode())
        .isEqualTo(404);

    ConsoleClient moderator = ConsoleClient.newStaff(app, "moderator");
    assertThat(moderator.get("/console/categories").statusCode()).isEqualTo(403);
    assertThat(moderator.get("/console/categories/" + id).statusCode()).isEqualTo(403);
    Map<String, String> changed = form(c);
    changed.put("label", "Changed by a moderator");
    assertThat(moderator.post("/console/categories/" + id, changed).statusCode()).isEqualTo(403);

    Map<String, String> forged = form(c);
    forged.put("label", "Forged label");
    forged.put("csrf", "not-the-token");
    assertThat(editor.post("/console/categories/" + id, forged).statusCode()).isEqualTo(403);
    assertThat(first().getString("label")).isEqualTo(c.getString("label"));
  }
}
