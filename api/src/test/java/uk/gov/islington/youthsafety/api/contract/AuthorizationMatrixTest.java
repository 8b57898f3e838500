package uk.gov.islington.youthsafety.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import uk.gov.islington.youthsafety.api.contract.ContractFile.Mode;
import uk.gov.islington.youthsafety.api.contract.ContractFile.Op;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * Walks EVERY operation of openapi.yaml with every kind of caller (none, a device, each staff role)
 * and checks the answer against what the operation declares: a feature is covered by declaring
 * {@code security} and {@code x-roles}, not by writing matrix code.
 *
 * <ul>
 *   <li>public: no caller ever gets 401/403 (the token is not even read);
 *   <li>optional token: no caller gets 401/403 (an unlisted role gets the public answer);
 *   <li>token required: none gets 401, a role in {@code x-roles} never gets 401/403, any other 403;
 *   <li>and nobody ever gets a 5xx: path parameters are dummy ids, bodies are {@code {}}, so the
 *       answers are mostly 400/404, which is what bad input must get.
 * </ul>
 */
@WithTestApp
class AuthorizationMatrixTest {

  static final List<String> PRINCIPALS =
      List.of("none", "device", "moderator", "youth_council", "editor", "admin");

  static TestApp app;
  static ContractFile contract;
  static Map<String, String> tokens = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    contract = ContractFile.load(app.app().context().vertx());
    tokens.put("device", app.deviceToken("14-17"));
    for (String role : List.of("moderator", "youth_council", "editor", "admin")) {
      tokens.put(role, app.staffToken(role));
    }
  }

  @Test
  void everySecuredOperationDeclaresKnownRoles() {
    List<String> problems = new ArrayList<>();
    for (Op op : contract.operations()) {
      if (op.operationId() == null) {
        problems.add(op + " has no operationId");
      }
      if (op.mode() != Mode.PUBLIC && (!op.declaresRoles() || op.roles().isEmpty())) {
        problems.add(op + " needs a token but declares no x-roles (it would admit nobody)");
      }
      op.roles().stream()
          .filter(r -> !ContractFile.ROLES.contains(r))
          .forEach(r -> problems.add(op + " declares unknown role '" + r + "'"));
    }
    assertThat(problems).isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> everyOperationAnswersEachCallerAsItsRolesSay() {
    List<Op> ops = contract.operations();
    assertThat(ops).hasSizeGreaterThanOrEqualTo(12);
    return ops.stream().map(op -> DynamicTest.dynamicTest(op.toString(), () -> check(op)));
  }

  static void check(Op op) {
    List<String> wrong = new ArrayList<>();
    for (String principal : PRINCIPALS) {
      HttpResponse<Buffer> r = call(op, tokens.get(principal));
      int status = r.statusCode();
      String expected = expectation(op, principal);
      boolean ok =
          switch (expected) {
            case "401" -> status == 401;
            case "403" -> status == 403;
            default -> status != 401 && status != 403;
          };
      if (!ok || status >= 500) {
        wrong.add(
            principal + ": expected " + expected + ", got " + status + " " + r.bodyAsString());
      }
      if ((status == 401 || status == 403)
          && !"application/problem+json".equals(r.getHeader("Content-Type"))) {
        wrong.add(principal + ": " + status + " is not problem+json");
      }
    }
    assertThat(wrong).as(op + " [" + op.mode() + " x-roles=" + op.roles() + "]").isEmpty();
  }

  static String expectation(Op op, String principal) {
    return switch (op.mode()) {
      case PUBLIC, OPTIONAL -> "not 401/403";
      case REQUIRED ->
          principal.equals("none") ? "401" : op.roles().contains(principal) ? "not 401/403" : "403";
    };
  }

  static HttpResponse<Buffer> call(Op op, String token) {
    String path = op.path();
    StringBuilder query = new StringBuilder();
    Map<String, String> headers = new LinkedHashMap<>();
    for (JsonObject p : op.parameters()) {
      String name = p.getString("name");
      JsonObject schema = contract.resolve(p.getJsonObject("schema", new JsonObject()));
      switch (p.getString("in")) {
        case "path" -> path = path.replace("{" + name + "}", encode(dummy(schema)));
        case "query" -> {
          if (p.getBoolean("required", false)) {
            query
                .append(query.length() == 0 ? "?" : "&")
                .append(encode(name))
                .append('=')
                .append(encode(dummy(schema)));
          }
        }
        case "header" -> {
          if (p.getBoolean("required", false)) {
            headers.put(name, dummy(schema));
          }
        }
        default -> {}
      }
    }
    HttpRequest<Buffer> request =
        app.http().request(HttpMethod.valueOf(op.method().toUpperCase()), path + query);
    headers.forEach(request::putHeader);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    if (op.requestBody() == null) {
      return app.await(request.send());
    }
    JsonObject content = op.requestBody().getJsonObject("content", new JsonObject());
    String type =
        content.containsKey("application/json") || content.isEmpty()
            ? "application/json"
            : content.fieldNames().iterator().next();
    return app.await(request.putHeader("Content-Type", type).sendBuffer(Buffer.buffer("{}")));
  }

  /** A value the parameter's schema accepts where that is easy, else something plausible. */
  static String dummy(JsonObject schema) {
    if (schema.containsKey("enum")) {
      return String.valueOf(schema.getJsonArray("enum").getValue(0));
    }
    if (schema.containsKey("const")) {
      return String.valueOf(schema.getValue("const"));
    }
    Object rawType = schema.getValue("type");
    String type =
        rawType instanceof JsonArray a
            ? String.valueOf(a.stream().filter(t -> !"null".equals(t)).findFirst().orElse("string"))
            : String.valueOf(rawType == null ? "string" : rawType);
    switch (type) {
      case "integer", "number" -> {
        Number min = schema.getNumber("minimum");
        return min != null ? String.valueOf(min) : "1";
      }
      case "boolean" -> {
        return "true";
      }
      case "array" -> {
        return dummy(contract.resolve(schema.getJsonObject("items", new JsonObject())));
      }
      default -> {
        String format = schema.getString("format", "");
        if (format.equals("uuid")) {
          return UUID.randomUUID().toString();
        }
        if (format.equals("date-time")) {
          return Instant.now().toString();
        }
        if (format.equals("date")) {
          return LocalDate.now(ZoneOffset.UTC).toString();
        }
        Pattern pattern =
            schema.containsKey("pattern") ? Pattern.compile(schema.getString("pattern")) : null;
        int min = schema.getInteger("minLength", 0);
        int max = schema.getInteger("maxLength", Integer.MAX_VALUE);
        for (String candidate :
            List.of(
                UUID.randomUUID().toString(),
                "matrix-" + UUID.randomUUID(),
                "dummy",
                "x1",
                "1",
                "A")) {
          if (candidate.length() >= min
              && candidate.length() <= max
              && (pattern == null || pattern.matcher(candidate).find())) {
            return candidate;
          }
        }
        return "dummy";
      }
    }
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
