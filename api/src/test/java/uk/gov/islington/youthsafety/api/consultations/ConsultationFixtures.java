package uk.gov.islington.youthsafety.api.consultations;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * Shared helpers of the consultation tests: create, vote and read over HTTP like the app and staff
 * tools do.
 */
final class ConsultationFixtures {

  /** Tests control the ballot-box shaker and want every results read recounted. */
  // ballots mixed at once and live results never cached, so a test sees each vote at once
  static final String MIX_NOW = "CONSULTATION_MIX_INTERVAL=0s";

  static final String LIVE_RESULTS_UNCACHED = "CONSULTATION_LIVE_RESULTS_TTL=0s";

  private final Supplier<TestApp> app;

  ConsultationFixtures(TestApp app) {
    this(() -> app);
  }

  /**
   * On whatever service {@code app} answers at each call (e.g. a static field @WithTestApp sets).
   */
  ConsultationFixtures(Supplier<TestApp> app) {
    this.app = app;
  }

  String council() {
    return app.get().staffToken("youth_council");
  }

  /** A consultation with a single, a multiple (max 2 of 4) and a ranking (3 options) question. */
  static JsonObject body(Instant opensAt, Instant closesAt, String... bands) {
    return new JsonObject()
        .put("title", "Feeling safe on the way home")
        .put(
            "description",
            "The Youth Council wants to know what would make the journey home feel safer.")
        .put("opensAt", opensAt.toString())
        .put("closesAt", closesAt.toString())
        .put(
            "ageBands",
            new JsonArray(
                List.of(bands.length == 0 ? new String[] {"10-13", "14-17", "18-25"} : bands)))
        .put(
            "questions",
            new JsonArray()
                .add(
                    question(
                        "Where do you feel least safe?",
                        "single",
                        null,
                        "On buses",
                        "In parks",
                        "Near school"))
                .add(
                    question(
                        "Which would you use?",
                        "multiple",
                        2,
                        "Safe Havens",
                        "Youth workers",
                        "Text line",
                        "Clubs"))
                .add(
                    question(
                        "Rank these ideas",
                        "ranking",
                        null,
                        "Lighting",
                        "Youth clubs",
                        "Safer routes")));
  }

  static JsonObject question(String text, String type, Integer maxChoices, String... options) {
    JsonArray os = new JsonArray();
    for (String o : options) {
      os.add(new JsonObject().put("text", o));
    }
    JsonObject q = new JsonObject().put("text", text).put("type", type).put("options", os);
    if (maxChoices != null) {
      q.put("maxChoices", maxChoices);
    }
    return q;
  }

  HttpResponse<Buffer> createRaw(JsonObject body, String token, String idempotencyKey) {
    var req = app.get().http().post("/v1/consultations");
    if (idempotencyKey != null) {
      req.putHeader("Idempotency-Key", idempotencyKey);
    }
    return app.get().send(req, token, body);
  }

  JsonObject create(JsonObject body) {
    var r = createRaw(body, council(), UUID.randomUUID().toString());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  HttpResponse<Buffer> vote(
      String consultationId, String deviceToken, String idempotencyKey, JsonArray answers) {
    var req = app.get().http().post("/v1/consultations/" + consultationId + "/votes");
    if (idempotencyKey != null) {
      req.putHeader("Idempotency-Key", idempotencyKey);
    }
    return app.get().send(req, deviceToken, new JsonObject().put("answers", answers));
  }

  HttpResponse<Buffer> vote(String consultationId, String deviceToken, JsonArray answers) {
    return vote(consultationId, deviceToken, UUID.randomUUID().toString(), answers);
  }

  static JsonObject question(JsonObject consultation, int i) {
    return consultation.getJsonArray("questions").getJsonObject(i);
  }

  static String qid(JsonObject consultation, int i) {
    return question(consultation, i).getString("id");
  }

  static String oid(JsonObject consultation, int q, int o) {
    return question(consultation, q).getJsonArray("options").getJsonObject(o).getString("id");
  }

  static JsonObject answer(JsonObject consultation, int q, int... options) {
    JsonArray ids = new JsonArray();
    for (int o : options) {
      ids.add(oid(consultation, q, o));
    }
    return new JsonObject().put("questionId", qid(consultation, q)).put("optionIds", ids);
  }

  static JsonArray answers(JsonObject... answers) {
    JsonArray a = new JsonArray();
    for (JsonObject x : answers) {
      a.add(x);
    }
    return a;
  }

  JsonObject results(String id, String token) {
    var r = app.get().get("/v1/consultations/" + id + "/results", token);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  /** How many rows of {@code content.<table>} belong to a consultation, e.g. its ballots. */
  long rowsOf(String table, String consultationId) {
    return app.get()
        .sql(
            "SELECT count(*) FROM content." + table + " WHERE consultation_id = $1", consultationId)
        .get(0)
        .getLong(0);
  }

  /** Option id → count, for every option of every question. */
  static Map<String, Integer> counts(JsonObject results) {
    Map<String, Integer> out = new java.util.HashMap<>();
    for (Object q : results.getJsonArray("questions")) {
      for (Object o : ((JsonObject) q).getJsonArray("options")) {
        out.put(((JsonObject) o).getString("optionId"), ((JsonObject) o).getInteger("count"));
      }
    }
    return out;
  }

  static JsonObject option(JsonObject results, String optionId) {
    for (Object q : results.getJsonArray("questions")) {
      for (Object o : ((JsonObject) q).getJsonArray("options")) {
        if (((JsonObject) o).getString("optionId").equals(optionId)) {
          return (JsonObject) o;
        }
      }
    }
    throw new AssertionError("no option " + optionId);
  }

  static List<String> fields(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    List<String> out = new ArrayList<>();
    r.bodyAsJsonObject()
        .getJsonArray("errors")
        .forEach(e -> out.add(((JsonObject) e).getString("field")));
    return out;
  }

  String subject(String deviceToken) {
    return app.get().app().context().tokens().verify(deviceToken).subject();
  }

  ConsultationsFeature feature() {
    return app.get().app().features().stream()
        .filter(f -> f instanceof ConsultationsFeature)
        .map(f -> (ConsultationsFeature) f)
        .findFirst()
        .orElseThrow();
  }
}
