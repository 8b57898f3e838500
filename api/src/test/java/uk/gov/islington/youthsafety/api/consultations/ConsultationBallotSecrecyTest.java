package uk.gov.islington.youthsafety.api.consultations;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.consultations.ConsultationFixtures.answer;
import static uk.gov.islington.youthsafety.api.consultations.ConsultationFixtures.answers;
import static uk.gov.islington.youthsafety.api.consultations.ConsultationFixtures.body;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * What the database holds about voters: nothing that names a device or links a voter to a ballot.
 */
@WithTestApp(
    value = {ConsultationFixtures.MIX_NOW, ConsultationFixtures.LIVE_RESULTS_UNCACHED},
    now = ConsultationBallotSecrecyTest.T0_TEXT)
class ConsultationBallotSecrecyTest {

  static final String T0_TEXT = "2030-09-01T08:00:00Z";
  static final Instant T0 = Instant.parse(T0_TEXT);
  static TestApp app;
  static final ConsultationFixtures f = new ConsultationFixtures(() -> app);

  @Test
  void noColumnHoldsTheDeviceSubjectAndVoterKeysDoNotLinkConsultations() {
    app.setNow(T0);
    JsonObject a = f.create(body(T0, T0.plus(Duration.ofDays(1))));
    JsonObject b = f.create(body(T0, T0.plus(Duration.ofDays(1))));
    List<String> subjects = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String token = app.deviceToken(i % 2 == 0 ? "14-17" : null);
      subjects.add(f.subject(token));
      assertThat(f.vote(a.getString("id"), token, answers(answer(a, 0, i % 3))).statusCode())
          .isEqualTo(201);
      assertThat(f.vote(b.getString("id"), token, answers(answer(b, 2, 2, 0))).statusCode())
          .isEqualTo(201);
    }
    String dump = app.dumpAllTables();
    assertThat(dump).contains("consultation_voters").contains("consultation_ballots");
    for (String subject : subjects) {
      assertThat(dump).doesNotContain(subject).doesNotContain(subject.substring(2));
    }
    // the same device has unrelated voter keys in the two consultations
    assertThat(
            app.sql(
                    """
        SELECT count(*) FROM content.consultation_voters x JOIN content.consultation_voters y
            ON x.voter_key = y.voter_key AND x.consultation_id <> y.consultation_id""")
                .get(0)
                .getLong(0))
        .isZero();
    // the ballot box has no column that could carry a voter's identity or time
    Set<String> ballotColumns = columns("consultation_ballots");
    assertThat(ballotColumns)
        .containsExactlyInAnyOrder(
            "id", "consultation_id", "age_band", "option_ids", "ranks", "mixed");
    assertThat(columns("consultation_voters"))
        .containsExactlyInAnyOrder("consultation_id", "voter_key", "replay_key", "replay_check");
  }

  @Test
  void shakingTheBallotBoxBreaksTheTransactionLinkBetweenVoterRowAndBallot() {
    app.setNow(T0);
    JsonObject c = f.create(body(T0, T0.plus(Duration.ofDays(1))));
    String id = c.getString("id");
    for (int i = 0; i < 10; i++) {
      assertThat(f.vote(id, app.deviceToken("18-25"), answers(answer(c, 0, i % 3))).statusCode())
          .isEqualTo(201);
    }
    JsonObject before = f.results(id, f.council());
    // written in one transaction, a voter row and its ballot share xmin: an insider could pair them
    assertThat(sharedTransactions(id)).isEqualTo(10);

    assertThat(app.await(f.feature().mixBallots())).isGreaterThanOrEqualTo(10);

    assertThat(sharedTransactions(id)).isZero();
    assertThat(
            app.sql(
                    "SELECT count(*) FROM content.consultation_ballots WHERE consultation_id = $1 AND NOT mixed",
                    id)
                .get(0)
                .getLong(0))
        .isZero();
    JsonObject after = f.results(id, f.council());
    assertThat(ConsultationFixtures.counts(after)).isEqualTo(ConsultationFixtures.counts(before));
    assertThat(after.getInteger("totalBallots")).isEqualTo(10);
    // a second round with nothing new rewrites nothing
    assertThat(app.await(f.feature().mixBallots())).isZero();
  }

  @Test
  void voterKeysArePurgedAfterCloseAndTheBallotsAndResultsStay() {
    Instant base = T0.plus(Duration.ofDays(30));
    app.setNow(base);
    JsonObject c = f.create(body(base, base.plus(Duration.ofHours(2))));
    String id = c.getString("id");
    for (int i = 0; i < 6; i++) {
      f.vote(id, app.deviceToken("14-17"), answers(answer(c, 0, 1)));
    }
    // closed, but within the grace period for late retries: the voter keys stay
    app.setNow(base.plus(Duration.ofHours(3)));
    app.await(app.app().retention().runOnce());
    assertThat(voters(id)).isEqualTo(6);
    // a day after closing they go; the ballots and the count remain
    app.setNow(base.plus(Duration.ofHours(2)).plus(Duration.ofHours(24)).plusSeconds(1));
    app.await(app.app().retention().runOnce());
    assertThat(voters(id)).isZero();
    assertThat(f.results(id, f.council()).getInteger("totalBallots")).isEqualTo(6);
  }

  private static long voters(String id) {
    return app.sql(
            "SELECT count(*) FROM content.consultation_voters WHERE consultation_id = $1", id)
        .get(0)
        .getLong(0);
  }

  private static long sharedTransactions(String id) {
    return app.sql(
            """
        SELECT count(*) FROM content.consultation_voters v JOIN content.consultation_ballots b
            ON b.xmin = v.xmin AND b.consultation_id = v.consultation_id
         WHERE v.consultation_id = $1""",
            id)
        .get(0)
        .getLong(0);
  }

  private static Set<String> columns(String table) {
    return app
        .sql(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'content' AND table_name = $1",
            table)
        .stream()
        .map(r -> r.getString(0))
        .collect(Collectors.toSet());
  }
}
