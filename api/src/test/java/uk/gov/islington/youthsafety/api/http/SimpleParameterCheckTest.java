package uk.gov.islington.youthsafety.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Parameter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The quick "valid" for simple parameter schemas: never says yes where the library could say no.
 */
class SimpleParameterCheckTest {

  static SimpleParameterCheck check(JsonObject schema) {
    return SimpleParameterCheck.of(JsonSchema.of(schema));
  }

  @Test
  void onlySchemasMadeOfKnownKeywordsGetAQuickCheck() {
    assertThat(check(new JsonObject().put("type", "number").put("minimum", -90).put("maximum", 90)))
        .isNotNull();
    assertThat(check(new JsonObject().put("type", "string").put("enum", new JsonArray().add("a"))))
        .isNotNull();
    for (JsonObject schema :
        new JsonObject[] {
          new JsonObject().put("type", "integer").put("format", "uint8"),
          new JsonObject().put("type", "number").put("format", "int32"),
          new JsonObject().put("type", "string").put("format", "int32"),
          new JsonObject().put("type", "string").put("pattern", 5),
          new JsonObject().put("$ref", "#/components/schemas/Audience"),
          new JsonObject().put("type", new JsonArray().add("string").add("null")),
          new JsonObject()
              .put("type", "array")
              .put("items", new JsonObject().put("type", "string")),
          new JsonObject().put("type", "integer").put("multipleOf", 2),
          new JsonObject().put("type", "number").put("exclusiveMaximum", 5),
          new JsonObject().put("type", "number").put("minimum", "1")
        }) {
      assertThat(check(schema)).as(schema.encode()).isNull();
    }
  }

  @Test
  void boundsAreInclusiveAndTypesStrict() {
    SimpleParameterCheck lat =
        check(new JsonObject().put("type", "number").put("minimum", -90).put("maximum", 90));
    assertThat(lat.accepts(-90)).isTrue();
    assertThat(lat.accepts(90.0)).isTrue();
    assertThat(lat.accepts(51.5462)).isTrue();
    assertThat(lat.accepts(90.000001)).isFalse();
    assertThat(lat.accepts(Double.NaN)).isFalse();
    assertThat(lat.accepts("51.5")).isFalse();
    assertThat(lat.accepts(true)).isFalse();

    SimpleParameterCheck limit =
        check(new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 100));
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
    SimpleParameterCheck q =
        check(new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 2));
    assertThat(q.accepts("😀😀")).isTrue(); // two characters, four UTF-16 units
    assertThat(q.accepts("😀😀😀")).isFalse();
    assertThat(q.accepts("")).isFalse();

    SimpleParameterCheck status =
        check(
            new JsonObject()
                .put("type", "string")
                .put("enum", new JsonArray().add("published").add("suspended")));
    assertThat(status.accepts("published")).isTrue();
    assertThat(status.accepts("Published")).isFalse();
  }

  @Test
  void patternsAndFormatsAsTheLibraryChecksThem() {
    SimpleParameterCheck id =
        check(new JsonObject().put("type", "string").put("pattern", "^hvn_[a-z0-9]{4}$"));
    assertThat(id.accepts("hvn_ab12")).isTrue();
    assertThat(id.accepts("hvn_AB12")).isFalse();
    assertThat(id.accepts("xhvn_ab12")).isFalse();

    SimpleParameterCheck to =
        check(new JsonObject().put("type", "string").put("format", "date-time"));
    assertThat(to.accepts("2026-11-30T18:00:00Z")).isTrue();
    assertThat(to.accepts("2026-11-30T18:00:00+01:00")).isTrue();
    assertThat(to.accepts("2026-11-30T18:00Z")).isFalse(); // RFC 3339 wants the seconds
    assertThat(to.accepts("2026-02-30T18:00:00Z")).isFalse();
    assertThat(to.accepts("tomorrow")).isFalse();
  }

  @Test
  void theNearbyAndEventQueriesAreCheckedQuickly() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract contract = ContractLoader.load(vertx).await(30, TimeUnit.SECONDS);
      InlineRequestValidator validator = new InlineRequestValidator(contract);
      for (String operation : new String[] {"findNearbyHavens", "listEvents"}) {
        for (Parameter p : contract.operation(operation).getParameters()) {
          assertThat(validator.hasQuickCheck(p)).as(operation + " " + p.getName()).isTrue();
        }
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void plainNumbersAndBooleansParseAsJacksonWouldAndTheRestIsLeftToTheLibrary() {
    SimpleParameterCheck number = check(new JsonObject().put("type", "number"));
    for (String plain :
        new String[] {
          "0",
          "-0",
          "7",
          "-12",
          "51.546212",
          "-0.104",
          "2147483647",
          "2147483648",
          "-2147483649",
          "999999999999999999",
          "0.000001",
          "10.50"
        }) {
      assertThat(number.parse(plain)).as(plain).isEqualTo(Json.decodeValue(plain));
    }
    for (String notPlain :
        new String[] {
          "",
          "-",
          "1e3",
          "1E-2",
          "01",
          "-01.5",
          ".5",
          "5.",
          "+5",
          " 5",
          "5 ",
          "1234567890123456789",
          "0x10",
          "NaN",
          "Infinity",
          "1,5",
          "١٢",
          "5.5.5",
          "true"
        }) {
      assertThat(number.parse(notPlain)).as(notPlain).isNull();
    }
    // the contract states every integer's size; a value outside it is the library's to refuse
    SimpleParameterCheck radius =
        check(
            new JsonObject()
                .put("type", "integer")
                .put("format", "int32")
                .put("minimum", 50)
                .put("maximum", 10000));
    assertThat(radius.accepts(SimpleParameterCheck.plainNumber("1500"))).isTrue();
    assertThat(radius.accepts(SimpleParameterCheck.plainNumber("4294967296"))).isFalse();
    SimpleParameterCheck big =
        check(new JsonObject().put("type", "integer").put("format", "int64"));
    assertThat(big.accepts(SimpleParameterCheck.plainNumber("4294967296"))).isTrue();

    SimpleParameterCheck flag = check(new JsonObject().put("type", "boolean"));
    assertThat(flag.parse("true")).isEqualTo(Boolean.TRUE);
    assertThat(flag.parse("false")).isEqualTo(Boolean.FALSE);
    assertThat(flag.parse("TRUE")).isNull();
    assertThat(flag.parse("1")).isNull();
    assertThat(check(new JsonObject().put("type", "string")).parse("-1")).isEqualTo("-1");
  }
}
