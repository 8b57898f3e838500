package uk.gov.islington.youthsafety.api.consultations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * What needs an app of its own: the embedded default's sample consultation (loaded into an empty
 * database) and the castVote rate limit (a full bucket).
 */
@WithTestApp({ConsultationFixtures.MIX_NOW, ConsultationFixtures.LIVE_RESULTS_UNCACHED})
class ConsultationFreshAppTest {

  static TestApp app;

  @Test
  void sampleConsultationIsLoadedOnceAndCanBeVotedIn() {
    var demo = new ConsultationFixtures(app).feature().demoContent().get(0);
    app.await(demo.load(app.pool(), app.clock));
    app.await(demo.load(app.pool(), app.clock));
    var items =
        app.get("/v1/consultations?state=open", null).bodyAsJsonObject().getJsonArray("items");
    assertThat(items).hasSize(1);
    JsonObject sample =
        app.get("/v1/consultations/" + items.getJsonObject(0).getString("id"), null)
            .bodyAsJsonObject();
    assertThat(sample.getString("title")).startsWith("SAMPLE");
    assertThat(sample.getJsonArray("questions")).hasSize(3);
    var vote =
        new ConsultationFixtures(app)
            .vote(
                sample.getString("id"),
                app.deviceToken(null),
                ConsultationFixtures.answers(ConsultationFixtures.answer(sample, 2, 2, 0, 1)));
    assertThat(vote.statusCode()).isEqualTo(201);
  }

  @Test
  void castVoteIsRateLimitedPerAddressWithRetryAfter() {
    // the limit runs after auth and before the body is read: empty ballots are refused cheaply
    // (400) until it bites
    String device = app.deviceToken("14-17");
    int before429 = 0;
    io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> limited = null;
    for (int i = 0; i < 1000 && limited == null; i++) {
      var r =
          app.send(
              app.http()
                  .post("/v1/consultations/cns_whatever/votes")
                  .putHeader("Idempotency-Key", "key-" + i + "-rl"),
              device,
              new JsonObject());
      if (r.statusCode() == 429) {
        limited = r;
      } else {
        assertThat(r.statusCode()).isEqualTo(400);
        before429++;
      }
    }
    assertThat(limited).as("castVote must be rate-limited").isNotNull();
    assertThat(before429).isGreaterThanOrEqualTo(290);
    assertThat(limited.getHeader("Retry-After")).isNotBlank();
    assertThat(limited.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void anotherVoterSecretIsRefusedWhileVoterKeysExistAndAdoptedWhenNoneDo() {
    var service = new ConsultationFixtures(app).feature().service();
    String current =
        app.sql("SELECT fingerprint FROM content.consultation_voter_secret").get(0).getString(0);
    assertThat(current).hasSize(12);
    app.await(service.adoptSecret(current)); // the same secret again: a restart
    // a voter key on record (as after any vote; written directly so the rate-limit test's empty
    // bucket cannot interfere)
    app.sql(
        "INSERT INTO content.consultation_voters VALUES ('cns_secret_test', '\\x01'::bytea, '\\x02'::bytea, '\\x03'::bytea)");
    assertThatThrownBy(
            () ->
                service
                    .adoptSecret("0123456789ab")
                    .await(30, java.util.concurrent.TimeUnit.SECONDS))
        .isInstanceOf(
            uk.gov.islington.youthsafety.content.consultations.Consultations.SecretChanged.class)
        .hasMessageContaining("could vote again");
    assertThat(
            app.sql("SELECT fingerprint FROM content.consultation_voter_secret")
                .get(0)
                .getString(0))
        .isEqualTo(current);
    // once the voter keys are gone (purged after close) a new secret is adopted
    app.sql("DELETE FROM content.consultation_voters");
    app.await(service.adoptSecret("0123456789ab"));
    assertThat(
            app.sql("SELECT fingerprint FROM content.consultation_voter_secret")
                .get(0)
                .getString(0))
        .isEqualTo("0123456789ab");
    app.await(service.adoptSecret(current));
  }
}
