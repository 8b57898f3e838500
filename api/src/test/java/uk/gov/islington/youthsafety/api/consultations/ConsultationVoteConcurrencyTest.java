package uk.gov.islington.youthsafety.api.consultations;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.consultations.ConsultationFixtures.answer;
import static uk.gov.islington.youthsafety.api.consultations.ConsultationFixtures.answers;
import static uk.gov.islington.youthsafety.api.consultations.ConsultationFixtures.body;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * One ballot per device under contention: the database's unique voter key decides, not a read
 * before the insert. Its own TestApp, so the per-address rate limit starts full.
 */
// the machine is shared: requests queue for a connection as long as they must, never timed out
@WithTestApp(
    value = {
      ConsultationFixtures.MIX_NOW,
      ConsultationFixtures.LIVE_RESULTS_UNCACHED,
      "DB_ACQUIRE_TIMEOUT=120s"
    },
    now = ConsultationVoteConcurrencyTest.T0_TEXT)
class ConsultationVoteConcurrencyTest {

  static final String T0_TEXT = "2030-05-06T09:00:00Z";
  static final Instant T0 = Instant.parse(T0_TEXT);
  static TestApp app;
  static final ConsultationFixtures f = new ConsultationFixtures(() -> app);
  static WebClient wide;

  @BeforeAll
  static void start() {
    wide =
        WebClient.create(
            app.app().context().vertx(),
            new WebClientOptions().setDefaultHost("localhost").setDefaultPort(app.app().port()),
            new PoolOptions().setHttp1MaxSize(100).setMaxWaitQueueSize(-1));
  }

  @AfterAll
  static void stop() throws Exception {
    wide.close();
  }

  private record Attempt(int device, JsonArray ballot, Future<HttpResponse<Buffer>> response) {}

  @Test
  void twoHundredParallelBallotsFromAHundredDevicesCountExactlyOneEach() {
    JsonObject c = f.create(body(T0, T0.plus(Duration.ofDays(1))));
    String id = c.getString("id");
    String[] bands = {"10-13", "14-17", "18-25"};
    List<Attempt> attempts = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int d = 0; d < 100; d++) {
      tokens.add(app.deviceToken(bands[d % 3]));
    }
    // each device sends two different ballots under two different keys, all 200 at once
    for (int round = 0; round < 2; round++) {
      for (int d = 0; d < 100; d++) {
        JsonArray ballot =
            round == 0
                ? answers(answer(c, 0, d % 3), answer(c, 1, 0, 1), answer(c, 2, 0, 1, 2))
                : answers(answer(c, 0, (d + 1) % 3), answer(c, 1, 3), answer(c, 2, 2, 1));
        var req =
            wide.post("/v1/consultations/" + id + "/votes")
                .putHeader("Authorization", TestApp.bearer(tokens.get(d)))
                .putHeader("Idempotency-Key", UUID.randomUUID().toString());
        attempts.add(
            new Attempt(d, ballot, req.sendJsonObject(new JsonObject().put("answers", ballot))));
      }
    }
    app.await(Future.join(attempts.stream().map(Attempt::response).toList()));

    Map<Integer, Integer> acceptedPerDevice = new HashMap<>();
    Map<String, Integer> expected = new HashMap<>();
    int accepted = 0;
    int refused = 0;
    for (Attempt a : attempts) {
      int status = a.response().result().statusCode();
      assertThat(status).as(a.response().result().bodyAsString()).isIn(201, 409);
      if (status == 201) {
        accepted++;
        acceptedPerDevice.merge(a.device(), 1, Integer::sum);
        for (Object ans : a.ballot()) {
          for (Object o : ((JsonObject) ans).getJsonArray("optionIds")) {
            expected.merge((String) o, 1, Integer::sum);
          }
        }
      } else {
        refused++;
      }
    }
    assertThat(accepted).isEqualTo(100);
    assertThat(refused).isEqualTo(100);
    assertThat(acceptedPerDevice)
        .hasSize(100)
        .allSatisfy((device, n) -> assertThat(n).isEqualTo(1));
    assertThat(f.rowsOf("consultation_ballots", id)).isEqualTo(100);
    assertThat(f.rowsOf("consultation_voters", id)).isEqualTo(100);

    JsonObject results = f.results(id, f.council());
    assertThat(results.getInteger("totalBallots")).isEqualTo(100);
    Map<String, Integer> counted = ConsultationFixtures.counts(results);
    counted.forEach(
        (option, n) -> assertThat(n).as(option).isEqualTo(expected.getOrDefault(option, 0)));
    // 34 + 33 + 33 by band and no "not stated": that empty cell is withheld, and with it the
    // smallest
    // band (else it would be 100 minus the others); whatever is shown is exact
    Map<String, Integer> byBand = Map.of("10-13", 34, "14-17", 33, "18-25", 33, "not_stated", 0);
    JsonArray cells = results.getJsonArray("turnoutByAgeBand");
    assertThat(cells).hasSize(4);
    long withheld = cells.stream().filter(t -> ((JsonObject) t).getBoolean("suppressed")).count();
    assertThat(withheld).isEqualTo(2);
    cells.forEach(
        t -> {
          JsonObject cell = (JsonObject) t;
          if (!cell.getBoolean("suppressed")) {
            assertThat(cell.getInteger("count")).isEqualTo(byBand.get(cell.getString("ageBand")));
          }
        });
  }

  @Test
  void theSameBallotRetriedInParallelUnderOneKeyIsCountedOnceAndAnsweredTwice() {
    JsonObject c = f.create(body(T0, T0.plus(Duration.ofDays(1))));
    String id = c.getString("id");
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int d = 0; d < 20; d++) {
      String token = app.deviceToken("14-17");
      String key = UUID.randomUUID().toString();
      JsonObject body = new JsonObject().put("answers", answers(answer(c, 0, d % 3)));
      for (int i = 0; i < 2; i++) {
        all.add(
            wide.post("/v1/consultations/" + id + "/votes")
                .putHeader("Authorization", TestApp.bearer(token))
                .putHeader("Idempotency-Key", key)
                .sendJsonObject(body));
      }
    }
    app.await(Future.join(all));
    long replayed =
        all.stream()
            .filter(r -> "true".equals(r.result().getHeader("Idempotent-Replayed")))
            .count();
    assertThat(all).allSatisfy(r -> assertThat(r.result().statusCode()).isEqualTo(201));
    assertThat(replayed).isEqualTo(20);
    assertThat(f.results(id, f.council()).getInteger("totalBallots")).isEqualTo(20);
  }

  @Test
  void anEditRacingTheFirstVotesNeverLeavesABallotPointingAtOptionsThatNoLongerExist() {
    for (int round = 0; round < 5; round++) {
      JsonObject c = f.create(body(T0, T0.plus(Duration.ofDays(1))));
      String id = c.getString("id");
      List<Future<HttpResponse<Buffer>>> votes = new ArrayList<>();
      for (int d = 0; d < 10; d++) {
        votes.add(
            wide.post("/v1/consultations/" + id + "/votes")
                .putHeader("Authorization", TestApp.bearer(app.deviceToken("14-17")))
                .putHeader("Idempotency-Key", UUID.randomUUID().toString())
                .sendJsonObject(new JsonObject().put("answers", answers(answer(c, 0, d % 3)))));
      }
      var edit =
          wide.patch("/v1/consultations/" + id)
              .putHeader("Authorization", TestApp.bearer(f.council()))
              .sendJsonObject(
                  new JsonObject()
                      .put(
                          "questions",
                          new JsonArray()
                              .add(
                                  ConsultationFixtures.question(
                                      "Replaced", "single", null, "Yes", "No"))));
      app.await(Future.join(List.of(Future.join(votes), edit)));
      int editStatus = edit.result().statusCode();
      assertThat(editStatus).isIn(200, 409);
      // a ballot is either counted against the questions that are there now, or refused
      assertThat(votes).allSatisfy(v -> assertThat(v.result().statusCode()).isIn(201, 400));
      long orphaned =
          app.sql(
                  """
          SELECT count(*) FROM content.consultation_ballots b, unnest(b.option_ids) AS o(id)
           WHERE b.consultation_id = $1
             AND NOT EXISTS (SELECT 1 FROM content.consultation_options x WHERE x.id = o.id)""",
                  id)
              .get(0)
              .getLong(0);
      assertThat(orphaned).isZero();
      long cast = votes.stream().filter(v -> v.result().statusCode() == 201).count();
      if (editStatus == 200) {
        assertThat(cast).as("the edit won, so it found no ballot").isZero();
      } else {
        assertThat(cast).as("the edit was refused because a ballot was already in").isPositive();
      }
    }
  }
}
