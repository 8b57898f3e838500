package uk.gov.islington.youthsafety.api.directory;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/** listSupportServices over HTTP against the real directory content loaded by the migration. */
@WithTestApp
class SupportDirectoryTest {

  static TestApp app;

  private static List<JsonObject> all(String query) {
    List<JsonObject> out = new ArrayList<>();
    String cursor = null;
    do {
      String uri =
          "/v1/support-services?limit=7" + query + (cursor == null ? "" : "&cursor=" + cursor);
      var r = app.get(uri, null);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonObject body = r.bodyAsJsonObject();
      body.getJsonArray("items").forEach(i -> out.add((JsonObject) i));
      cursor = body.getString("nextCursor");
    } while (cursor != null);
    return out;
  }

  @Test
  void emergencyNumbersComeFirstThenTheDirectory() {
    var items = app.get("/v1/support-services", null).bodyAsJsonObject().getJsonArray("items");
    assertThat(items.getJsonObject(0).getString("phone")).isEqualTo("999");
    assertThat(items.getJsonObject(1).getString("phone")).isEqualTo("101");
    assertThat(items.getJsonObject(2).getString("phone")).isEqualTo("0800 555 111");
    assertThat(items.getJsonObject(3).getString("phone")).isEqualTo("020 7527 7400");
  }

  @Test
  void pagingWalksTheWholeDirectoryOnceInOrder() {
    List<JsonObject> items = all("");
    assertThat(items).hasSizeGreaterThan(20);
    assertThat(items.stream().map(i -> i.getString("id")).distinct().count())
        .isEqualTo(items.size());
    assertThat(items.stream().map(i -> i.getString("name")))
        .anyMatch(n -> n.contains("Youth Justice"))
        .anyMatch(n -> n.contains("St Giles"))
        .anyMatch(n -> n.contains("Ben Kinsella"));
  }

  @Test
  void ageFilterKeepsOnlyServicesWhoseRangeIncludesTheAge() {
    List<JsonObject> items = all("&age=8");
    assertThat(items).isNotEmpty();
    for (JsonObject i : items) {
      JsonObject range = i.getJsonObject("ageRange");
      assertThat(range.getInteger("min") == null || range.getInteger("min") <= 8).isTrue();
      assertThat(range.getInteger("max") == null || range.getInteger("max") >= 8).isTrue();
    }
    assertThat(items.stream().map(i -> i.getString("id")))
        .contains("chance-uk")
        .doesNotContain("youth-justice-service");
  }

  @Test
  void categoryFilter() {
    List<JsonObject> items = all("&category=exploitation");
    assertThat(items).isNotEmpty().allMatch(i -> i.getString("category").equals("exploitation"));
  }

  @Test
  void unknownCategoryAndBrokenCursorAre400() {
    var r = app.get("/v1/support-services?category=pizza", null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("category");
    var c = app.get("/v1/support-services?cursor=bm90LWpzb24", null);
    assertThat(c.statusCode()).isEqualTo(400);
    JsonArray errors = c.bodyAsJsonObject().getJsonArray("errors");
    assertThat(errors.getJsonObject(0).getString("field")).isEqualTo("cursor");
  }
}
