package uk.gov.islington.youthsafety.api.consultations;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.common.DemoContent;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.content.consultations.ConsultationDraft;
import uk.gov.islington.youthsafety.content.consultations.Consultations;
import uk.gov.islington.youthsafety.content.consultations.QuestionType;
import uk.gov.islington.youthsafety.content.consultations.VoterKeys;

/**
 * Youth Council consultations, wired: the voter-key secret (checked at start), the service, the
 * voter-key retention rule, the ballot-box shaker and a sample consultation on the embedded
 * default. The operations (authoring, the secret ballot, results) are in {@link
 * ConsultationRoutes}; settings in {@link ConsultationSettings}; docs/features/consultations.md has
 * the design.
 */
public final class ConsultationsFeature implements Feature {

  private static final Logger LOG = LoggerFactory.getLogger(ConsultationsFeature.class);

  private final Vertx vertx;
  private final Clock clock;
  private final VoterKeys keys;
  private final Consultations consultations;
  private final Duration voterKeyGrace;
  private final int mixSample;
  private final Duration mixInterval;
  private long mixTimer = -1;

  public ConsultationsFeature(AppContext app) {
    ConsultationSettings settings = ConsultationSettings.from(app.config());
    this.vertx = app.vertx();
    this.clock = app.clock();
    this.keys = new VoterKeys(VoterSecret.load(app.config(), settings.voterSecretFile()));
    this.consultations =
        new Consultations(app.pool(), app.clock(), keys, settings.liveResultsTtl());
    this.voterKeyGrace = settings.voterKeyGrace();
    this.mixSample = settings.mixSample();
    this.mixInterval = settings.mixInterval();
  }

  /**
   * Must not serve with a changed secret: a busy or slow database gets a few tries, a changed
   * secret none. Then the ballot box is shaken every CONSULTATION_MIX_INTERVAL.
   */
  @Override
  public Future<Void> start() {
    return adoptSecret(1)
        .onSuccess(
            v -> {
              LOG.info("consultations: voter-key secret {}", keys.fingerprint());
              if (!mixInterval.isZero()) {
                mixTimer =
                    vertx.setPeriodic(
                        mixInterval.toMillis(),
                        id ->
                            mixBallots()
                                .onFailure(
                                    e ->
                                        LOG.debug(
                                            "ballot box not shaken this round: {}",
                                            e.getClass().getSimpleName())));
              }
            });
  }

  @Override
  public Future<Void> stop() {
    if (mixTimer >= 0) {
      vertx.cancelTimer(mixTimer);
    }
    return Future.succeededFuture();
  }

  private Future<Void> adoptSecret(int attempt) {
    return consultations
        .adoptSecret(keys.fingerprint())
        .recover(
            e -> {
              if (e instanceof Consultations.SecretChanged) {
                return Future.failedFuture(e);
              }
              if (attempt >= 10) {
                return Future.failedFuture(
                    new IllegalStateException("cannot check the consultation voter-key secret", e));
              }
              LOG.warn(
                  "checking the voter-key secret failed ({}); trying again",
                  e.getClass().getSimpleName());
              Promise<Void> retried = Promise.promise();
              vertx.setTimer(1000L * attempt, id -> adoptSecret(attempt + 1).onComplete(retried));
              return retried.future();
            });
  }

  /**
   * Shakes the ballot box now (also runs every CONSULTATION_MIX_INTERVAL); answers the ballots
   * rewritten.
   */
  public Future<Integer> mixBallots() {
    return consultations.mixBallots(mixSample);
  }

  public Consultations service() {
    return consultations;
  }

  @Override
  public void routes(Routes routes) {
    new ConsultationRoutes(consultations, clock).addTo(routes);
  }

  @Override
  public List<Retention> retention() {
    return List.of(
        Retention.of(
            "consultation-voter-keys",
            (pool, now) -> consultations.purgeVoterKeys(now.minus(voterKeyGrace))),
        // a draft nobody has touched for a month is abandoned
        Retention.of(
            "consultation-drafts",
            (pool, now) -> consultations.purgeDrafts(now.minus(Duration.ofDays(30)))));
  }

  @Override
  public List<DemoContent> demoContent() {
    return List.of(
        new DemoContent() {
          @Override
          public String name() {
            return "sample-consultation";
          }

          @Override
          public Future<Void> load(Pool pool, Clock clock) {
            return consultations
                .countConsultations()
                .compose(
                    n ->
                        n > 0
                            ? Future.succeededFuture()
                            : consultations
                                .create("demo", "sample-consultation-1", sample(clock.instant()))
                                .mapEmpty());
          }
        });
  }

  private static ConsultationDraft sample(Instant now) {
    return new ConsultationDraft(
        "SAMPLE: What would make you feel safer in Islington?",
        "This is sample content for trying the app, not a real Youth Council consultation. "
            + "Tell the Youth Council what would make you feel safer on your way to school, college or work.",
        now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(30)),
        Consultations.AGE_BANDS,
        List.of(
            new ConsultationDraft.QuestionDraft(
                "Where do you feel least safe?",
                QuestionType.SINGLE,
                null,
                List.of(
                    "On buses and at bus stops",
                    "In parks",
                    "Near my school or college",
                    "On estates at night",
                    "Online")),
            new ConsultationDraft.QuestionDraft(
                "Which would you use? Choose up to two.",
                QuestionType.MULTIPLE,
                2,
                List.of(
                    "More Safe Havens open late",
                    "Youth workers on the streets",
                    "A text line to ask for help",
                    "Free activities after school")),
            new ConsultationDraft.QuestionDraft(
                "Rank these ideas, your favourite first.",
                QuestionType.RANKING,
                null,
                List.of("Better street lighting", "More youth clubs", "Safer routes to school"))));
  }
}
