package uk.gov.islington.youthsafety.api.consultations;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/** The embedded default's sample consultation: clearly marked, open, loaded once however often the service starts. */
class ConsultationDemoContentTest {

  static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    app = TestApp.start(ConsultationFixtures.ENV);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  @Test
  void sampleConsultationIsLoadedOnceAndCanBeVotedIn() {
    var demo = new ConsultationFixtures(app).feature().demoContent().get(0);
    app.await(demo.load(app.pool(), app.clock));
    app.await(demo.load(app.pool(), app.clock));
    var items = app.get("/v1/consultations?state=open", null).bodyAsJsonObject().getJsonArray("items");
    assertThat(items).hasSize(1);
    JsonObject sample = app.get("/v1/consultations/" + items.getJsonObject(0).getString("id"), null).bodyAsJsonObject();
    assertThat(sample.getString("title")).startsWith("SAMPLE");
    assertThat(sample.getJsonArray("questions")).hasSize(3);
    var vote = new ConsultationFixtures(app).vote(sample.getString("id"), app.deviceToken(null),
        ConsultationFixtures.answers(ConsultationFixtures.answer(sample, 2, 2, 0, 1)));
    assertThat(vote.statusCode()).isEqualTo(201);
  }
}
