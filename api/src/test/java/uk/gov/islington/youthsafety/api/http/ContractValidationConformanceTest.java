package uk.gov.islington.youthsafety.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our request validator against vertx-openapi's own {@link RequestValidator}, request by request:
 * the same values when valid, the same exception (class, type and message, which {@link
 * ValidationErrors} turns into field errors) when not. It is built from the library's public
 * pieces, so a library upgrade that changes a check or a message fails here, by name, instead of
 * changing what clients see.
 */
class ContractValidationConformanceTest {

  private static final String JSON = "application/json";
  private static final String KEY = "Idempotency-Key";

  static Vertx vertx;
  static OpenAPIContract contract;
  static InlineRequestValidator ours;
  static RequestValidator library;

  @BeforeAll
  static void load() throws Exception {
    vertx = Vertx.vertx();
    contract = ContractLoader.load(vertx).await(30, TimeUnit.SECONDS);
    ours = new InlineRequestValidator(contract);
    library = RequestValidator.create(vertx, contract);
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A request as the validators see it: values as sent, by where they are sent. */
  record Sent(
      String operationId,
      Map<Location, Map<String, String>> values,
      String body,
      String contentType) {

    static Sent of(String operationId) {
      return new Sent(operationId, new HashMap<>(), null, null);
    }

    Sent with(Location in, String name, String value) {
      values.computeIfAbsent(in, k -> new HashMap<>()).put(name, value);
      return this;
    }

    Sent query(String name, String value) {
      return with(Location.QUERY, name, value);
    }

    Sent body(String json) {
      return new Sent(operationId, values, json, JSON);
    }

    Sent body(String text, String type) {
      return new Sent(operationId, values, text, type);
    }

    String raw(Location in, String name) {
      return values.getOrDefault(in, Map.of()).get(name);
    }

    Map<String, RequestParameter> wrapped(Location in) {
      Map<String, RequestParameter> map = new HashMap<>();
      values
          .getOrDefault(in, Map.of())
          .forEach((k, v) -> map.put(k, new InlineRequestValidator.Value(v)));
      return map;
    }
  }

  record Libraries(
      Map<String, RequestParameter> getCookies,
      Map<String, RequestParameter> getHeaders,
      Map<String, RequestParameter> getPathParameters,
      Map<String, RequestParameter> getQuery,
      RequestParameter getBody,
      String getContentType)
      implements ValidatableRequest {}

  static String ourOutcome(Sent sent) {
    try {
      Operation op = contract.operation(sent.operationId());
      return describe(
          ours.validate(
              op,
              sent::raw,
              sent.body() == null ? null : Buffer.buffer(sent.body()),
              sent.contentType()));
    } catch (ValidatorException e) {
      return describe(e);
    }
  }

  static String libraryOutcome(Sent sent) throws Exception {
    ValidatableRequest request =
        new Libraries(
            sent.wrapped(Location.COOKIE),
            sent.wrapped(Location.HEADER),
            sent.wrapped(Location.PATH),
            sent.wrapped(Location.QUERY),
            new InlineRequestValidator.Value(
                sent.body() == null ? null : Buffer.buffer(sent.body())),
            sent.contentType());
    try {
      return describe(library.validate(request, sent.operationId()).await(10, TimeUnit.SECONDS));
    } catch (ValidatorException e) {
      return describe(e);
    }
  }

  static String describe(ValidatedRequest r) {
    return "valid "
        + values(r.getCookies())
        + values(r.getHeaders())
        + values(r.getPathParameters())
        + values(r.getQuery())
        + " body "
        + value(r.getBody());
  }

  static String describe(ValidatorException e) {
    String errors =
        e instanceof SchemaValidationException s && s.getOutputUnit() != null
            ? s.getOutputUnit().getErrors().stream()
                .map(u -> u.getInstanceLocation() + " " + u.getError())
                .toList()
                .toString()
            : "";
    return e.getClass().getSimpleName() + " " + e.type() + ": " + e.getMessage() + errors;
  }

  static String values(Map<String, RequestParameter> map) {
    Map<String, String> sorted = new TreeMap<>();
    map.forEach((k, v) -> sorted.put(k, value(v)));
    return sorted.toString();
  }

  static String value(RequestParameter p) {
    Object v = p == null ? null : p.get();
    return v == null ? "null" : v.getClass().getSimpleName() + ":" + v;
  }

  static final String VALID_REPORT =
      "{\"categoryId\":\"bullying\",\"description\":\"someone keeps following me home\",\"immediateDanger\":false}";

  static final List<Sent> REQUESTS =
      List.of(
          Sent.of("findNearbyHavens").query("lat", "51.546").query("lon", "-0.104"),
          Sent.of("findNearbyHavens")
              .query("lat", "51.546")
              .query("lon", "-0.104")
              .query("radius", "800")
              .query("openNow", "true")
              .query("limit", "5"),
          Sent.of("findNearbyHavens").query("lat", "1e1").query("lon", "-0"),
          Sent.of("findNearbyHavens").query("lat", "91").query("lon", "0"),
          Sent.of("findNearbyHavens").query("lat", "north").query("lon", "0"),
          Sent.of("findNearbyHavens").query("lon", "0"),
          Sent.of("findNearbyHavens").query("lat", "51.5").query("lon", "0").query("radius", "1.5"),
          Sent.of("findNearbyHavens").query("lat", "51.5").query("lon", "0").query("radius", "20"),
          Sent.of("findNearbyHavens")
              .query("lat", "51.5")
              .query("lon", "0")
              .query("openNow", "yes"),
          Sent.of("findNearbyHavens").query("lat", "51.5").query("lon", "0").query("limit", "0"),
          Sent.of("listEvents").query("to", "2026-11-30T18:00:00Z"),
          Sent.of("listEvents")
              .query("from", "2026-11-30T18:00:00.5+01:00")
              .query("to", "2026-12-30T18:00:00Z"),
          Sent.of("listEvents").query("to", "2026-02-30T18:00:00Z"),
          Sent.of("listEvents").query("to", "tomorrow"),
          Sent.of("listEvents").query("age", "-1"),
          Sent.of("listEvents").query("age", "14").query("category", "sport"),
          Sent.of("listEvents").query("category", "nonsense"),
          Sent.of("getHaven").with(Location.PATH, "havenId", "hvn_1a2b"),
          Sent.of("getHaven").with(Location.PATH, "havenId", "not valid!"),
          Sent.of("listHavensForEditors").query("status", "published").query("q", "library"),
          Sent.of("listHavensForEditors").query("status", "closed"),
          Sent.of("submitReport").with(Location.HEADER, KEY, "key-12345678").body(VALID_REPORT),
          Sent.of("submitReport")
              .with(Location.HEADER, KEY, "key-12345678")
              .body("{\"categoryId\":\"bullying\"}"),
          Sent.of("submitReport")
              .with(Location.HEADER, KEY, "key-12345678")
              .body("{\"categoryId\": 5, \"description\": \"\", \"immediateDanger\": \"no\"}"),
          Sent.of("submitReport")
              .with(Location.HEADER, KEY, "key-12345678")
              .body("{\"categoryId\":"),
          Sent.of("submitReport").with(Location.HEADER, KEY, "key-12345678"),
          Sent.of("submitReport").with(Location.HEADER, KEY, "short").body(VALID_REPORT),
          Sent.of("submitReport").body(VALID_REPORT),
          Sent.of("submitReport")
              .with(Location.HEADER, KEY, "key-12345678")
              .body("<report/>", "application/xml"));

  @Test
  void everyRequestGetsTheLibrarysAnswer() throws Exception {
    for (Sent sent : REQUESTS) {
      assertThat(ourOutcome(sent)).as(sent.toString()).isEqualTo(libraryOutcome(sent));
    }
  }

  @Test
  void theTableCoversValidAndInvalidRequests() throws Exception {
    long valid = 0;
    for (Sent sent : REQUESTS) {
      valid += ourOutcome(sent).startsWith("valid ") ? 1 : 0;
    }
    assertThat(valid).isBetween(5L, REQUESTS.size() - 10L);
  }

  @Test
  void aStringParameterIsTakenAsTheStringItIs() throws Exception {
    // where we differ on purpose: the library tries a string parameter's value as JSON first, so a
    // search for "-1" (or "42") became a number and failed the parameter's own type: string
    Sent search = Sent.of("listHavensForEditors").query("q", "-1");
    assertThat(ourOutcome(search))
        .isEqualTo("valid {}{}{}{cursor=null, limit=null, q=String:-1, status=null} body null");
    assertThat(libraryOutcome(search)).startsWith("SchemaValidationException INVALID_VALUE");
  }

  @Test
  void aQuickYesIsNeverALibraryNo() {
    List<String> samples =
        List.of(
            "0",
            "-0",
            "1",
            "-1",
            "7",
            "20",
            "50",
            "51.546",
            "-0.104",
            "90",
            "90.0",
            "91",
            "-180",
            "181",
            "1500",
            "10000",
            "10001",
            "2147483648",
            "1e2",
            "true",
            "false",
            "yes",
            "",
            " ",
            "a",
            "published",
            "suspended",
            "pending",
            "open",
            "sport",
            "hvn_1a2b",
            "not valid!",
            "key-12345678",
            "2026-11-30T18:00:00Z",
            "2026-11-30T18:00:00.123456789+01:00",
            "2026-11-30t18:00:00z",
            "2026-11-30T18:00Z",
            "2026-02-29T18:00:00Z",
            "2028-02-29T18:00:00Z",
            "2026-12-31T23:59:60Z",
            "2026-11-30T24:00:00Z",
            "2026-11-30T18:00:00+18:00",
            "2026-11-30T18:00:00+19:00",
            "2026-11-30T18:00:00-00:00",
            "0000-01-01T00:00:00Z",
            "2026-11-30T18:00:00.Z",
            "2026-11-30 18:00:00Z",
            "x".repeat(600));
    int quick = 0;
    for (Operation op : contract.operations()) {
      for (Parameter p : op.getParameters()) {
        if (!ours.hasQuickCheck(p)) {
          continue;
        }
        SimpleParameterCheck check = SimpleParameterCheck.of(p.getSchema());
        var general = contract.getSchemaRepository().validator(p.getSchema());
        for (String raw : samples) {
          Object value = check.parse(raw);
          if (value != null && check.accepts(value)) {
            quick++;
            assertThat(general.validate(value).getValid())
                .as(op.getOperationId() + " " + p.getName() + "=" + raw)
                .isTrue();
          }
        }
      }
    }
    assertThat(quick).isGreaterThan(100);
  }
}
