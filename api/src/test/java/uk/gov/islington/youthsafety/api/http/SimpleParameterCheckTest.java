package uk.gov.islington.youthsafety.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Parameter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The quick "valid" for simple parameter schemas: never says yes where the library could say no. */
class SimpleParameterCheckTest {

  static SimpleParameterCheck check(JsonObject schema) {
    return SimpleParameterCheck.of(JsonSchema.of(schema));
  }

  @Test
  void onlySchemasMadeOfKnownKeywordsGetAQuickCheck() {
    assertThat(check(new JsonObject().put("type", "number").put("minimum", -90).put("maximum", 90))).isNotNull();
    assertThat(check(new JsonObject().put("type", "string").put("enum", new JsonArray().add("a")))).isNotNull();
    for (JsonObject schema : new JsonObject[] {
        new JsonObject().put("type", "string").put("pattern", "^[a-z]+$"),
        new JsonObject().put("type", "string").put("format", "date-time"),
        new JsonObject().put("$ref", "#/components/schemas/Audience"),
        new JsonObject().put("type", new JsonArray().add("string").add("null")),
        new JsonObject().put("type", "array").put("items", new JsonObject().put("type", "string")),
        new JsonObject().put("type", "integer").put("multipleOf", 2),
        new JsonObject().put("type", "number").put("exclusiveMaximum", 5),
        new JsonObject().put("type", "number").put("minimum", "1")}) {
      assertThat(check(schema)).as(schema.encode()).isNull();
    }
  }

  @Test
  void boundsAreInclusiveAndTypesStrict() {
    SimpleParameterCheck lat = check(new JsonObject().put("type", "number").put("minimum", -90).put("maximum", 90));
    assertThat(lat.accepts(-90)).isTrue();
    assertThat(lat.accepts(90.0)).isTrue();
    assertThat(lat.accepts(51.5462)).isTrue();
    assertThat(lat.accepts(90.000001)).isFalse();
    assertThat(lat.accepts(Double.NaN)).isFalse();
    assertThat(lat.accepts("51.5")).isFalse();
    assertThat(lat.accepts(true)).isFalse();

    SimpleParameterCheck limit = check(new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 100));
    assertThat(limit.accepts(1)).isTrue();
    assertThat(limit.accepts(100L)).isTrue();
    assertThat(limit.accepts(0)).isFalse();
    assertThat(limit.accepts(1.5)).isFalse(); // not an integer: the library decides (and says no)

    SimpleParameterCheck flag = check(new JsonObject().put("type", "boolean"));
    assertThat(flag.accepts(false)).isTrue();
    assertThat(flag.accepts("true")).isFalse();
  }

  @Test
  void lengthsCountCharactersAndEnumsMatchExactly() {
    SimpleParameterCheck q = check(new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 2));
    assertThat(q.accepts("😀😀")).isTrue(); // two characters, four UTF-16 units
    assertThat(q.accepts("😀😀😀")).isFalse();
    assertThat(q.accepts("")).isFalse();

    SimpleParameterCheck status = check(new JsonObject().put("type", "string")
        .put("enum", new JsonArray().add("published").add("suspended")));
    assertThat(status.accepts("published")).isTrue();
    assertThat(status.accepts("Published")).isFalse();
  }

  @Test
  void theNearbyQueryIsCheckedQuickly() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract contract = ContractLoader.load(vertx, "../openapi.yaml").await(30, TimeUnit.SECONDS);
      InlineRequestValidator validator = new InlineRequestValidator(vertx, contract);
      for (Parameter p : contract.operation("findNearbyHavens").getParameters()) {
        assertThat(validator.hasQuickCheck(p)).as(p.getName()).isTrue();
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
