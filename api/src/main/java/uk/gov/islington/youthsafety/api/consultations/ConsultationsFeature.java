package uk.gov.islington.youthsafety.api.consultations;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.auth.Principal;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.common.Digests;
import uk.gov.islington.youthsafety.content.common.DemoContent;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.content.consultations.Consultation;
import uk.gov.islington.youthsafety.content.consultations.ConsultationDraft;
import uk.gov.islington.youthsafety.content.consultations.ConsultationState;
import uk.gov.islington.youthsafety.content.consultations.Consultations;
import uk.gov.islington.youthsafety.content.consultations.QuestionType;
import uk.gov.islington.youthsafety.content.consultations.VoterKeys;

/**
 * Youth Council consultations (issue 5): authoring, the secret ballot, results and their
 * publication; the voter-key retention rule, the ballot-box shaker and a sample consultation on
 * the embedded default. docs/features/consultations.md has the design.
 */
public final class ConsultationsFeature implements Feature {

  private static final Logger LOG = LoggerFactory.getLogger(ConsultationsFeature.class);
  static final String YOUTH_COUNCIL = "youth_council";

  private final Clock clock;
  private final Consultations consultations;
  private final Duration voterKeyGrace;
  private final int mixSample;

  public ConsultationsFeature(AppContext app) {
    Config config = app.config();
    this.clock = app.clock();
    VoterKeys keys = new VoterKeys(VoterSecret.load(config));
    this.consultations = new Consultations(app.pool(), app.clock(), keys,
        config.duration("CONSULTATION_LIVE_RESULTS_TTL", Duration.ofMinutes(5)));
    this.voterKeyGrace = config.duration("CONSULTATION_VOTER_KEY_GRACE", Duration.ofHours(24));
    this.mixSample = config.integer("CONSULTATION_MIX_SAMPLE", 50);
    Duration mixEvery = config.duration("CONSULTATION_MIX_INTERVAL", Duration.ofMinutes(1));
    if (!mixEvery.isZero() && !mixEvery.isNegative()) {
      app.vertx().setPeriodic(mixEvery.toMillis(), id -> mixBallots()
          .onFailure(e -> LOG.debug("ballot box not shaken this round: {}", e.getClass().getSimpleName())));
    }
    adoptSecret(consultations, keys.fingerprint());
    LOG.info("consultations: voter-key secret {}", keys.fingerprint());
  }

  /**
   * Blocking on purpose: the process is starting (on its main thread, not an event loop) and must not
   * serve with a changed secret. A busy or slow database gets a few tries; a changed secret none.
   */
  private static void adoptSecret(Consultations consultations, String fingerprint) {
    Exception last = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      try {
        consultations.adoptSecret(fingerprint).await(60, TimeUnit.SECONDS);
        return;
      } catch (Consultations.SecretChanged e) {
        throw e;
      } catch (Exception e) {
        last = e;
        LOG.warn("checking the voter-key secret failed ({}); trying again", e.getClass().getSimpleName());
        try {
          Thread.sleep(1000L * (attempt + 1));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new IllegalStateException("cannot check the consultation voter-key secret", last);
  }

  /** Shakes the ballot box now (also runs every CONSULTATION_MIX_INTERVAL); answers the ballots rewritten. */
  public Future<Integer> mixBallots() {
    return consultations.mixBallots(mixSample);
  }

  public Consultations service() {
    return consultations;
  }

  @Override
  public void routes(Routes routes) {
    routes.on("listConsultations", this::list)
        .on("getConsultation", this::get)
        .on("createConsultation", this::create)
        .on("updateConsultation", this::update)
        .on("castVote", this::castVote)
        .on("getConsultationResults", this::results)
        .on("publishResults", this::publish);
  }

  private Future<Reply> list(ApiRequest req) {
    return consultations.list(ConsultationState.fromWire(req.query("state")), req.query("ageBand"),
            req.queryInt("limit", 20), req.query("cursor"))
        .map(page -> {
          Instant now = clock.instant();
          long maxAge = 60;
          for (Consultation c : page.items()) {
            maxAge = Math.min(maxAge, secondsUntilChange(c, now, 60));
          }
          JsonObject body = new JsonObject()
              .put("items", page.items().stream().map(c -> ConsultationJson.summary(c, now)).toList())
              .put("nextCursor", page.nextCursor());
          return cacheable(req, body, maxAge);
        });
  }

  private Future<Reply> get(ApiRequest req) {
    return consultations.get(req.path("consultationId")).map(c -> {
      Instant now = clock.instant();
      return cacheable(req, ConsultationJson.full(c, now), secondsUntilChange(c, now, 300));
    });
  }

  private Future<Reply> create(ApiRequest req) {
    Principal staff = req.requiredPrincipal();
    ConsultationDraft draft = ConsultationJson.draft(req.body());
    return consultations.create(staff.subject(), req.header("Idempotency-Key"), draft)
        .map(c -> Reply.created(ConsultationJson.staff(c, clock.instant()))
            .header("Location", "/v1/consultations/" + c.id()));
  }

  private Future<Reply> update(ApiRequest req) {
    ConsultationDraft changes = ConsultationJson.draft(req.body());
    return consultations.update(req.path("consultationId"), changes)
        .map(c -> Reply.ok(ConsultationJson.staff(c, clock.instant())));
  }

  private Future<Reply> castVote(ApiRequest req) {
    Principal device = req.requiredPrincipal();
    return consultations.castVote(req.path("consultationId"), device.subject(), device.ageBand(),
            req.header("Idempotency-Key"), ConsultationJson.answers(req.body()))
        .map(outcome -> {
          Reply reply = Reply.created(new JsonObject()
              .put("consultationId", outcome.consultationId())
              .put("status", "counted")
              .put("message", "Thank you: your vote has been counted. It is stored apart from anything that could identify your device."));
          return outcome.replayed() ? reply.header("Idempotent-Replayed", "true") : reply;
        });
  }

  private Future<Reply> results(ApiRequest req) {
    Principal caller = req.principal();
    boolean youthCouncil = caller != null && caller.has(YOUTH_COUNCIL);
    return consultations.results(req.path("consultationId"), youthCouncil).map(r -> {
      JsonObject body = ConsultationJson.results(r, Consultations.SUPPRESSION_THRESHOLD);
      // a published, settled count is the same for everyone: the public may cache it
      return caller == null ? cacheable(req, body, 300) : Reply.ok(body);
    });
  }

  private Future<Reply> publish(ApiRequest req) {
    return consultations.publish(req.path("consultationId"))
        .map(r -> Reply.ok(ConsultationJson.results(r, Consultations.SUPPRESSION_THRESHOLD)));
  }

  /** Seconds a public copy may be kept: never past the next opening or closing, so "open" is never stale. */
  private static long secondsUntilChange(Consultation c, Instant now, long cap) {
    Instant next = c.nextChangeAfter(now);
    if (next == null) {
      return cap;
    }
    return Math.max(0, Math.min(cap, Duration.between(now, next).getSeconds()));
  }

  /** A public answer with a strong ETag over its body; If-None-Match with that tag answers 304. */
  static Reply cacheable(ApiRequest req, JsonObject body, long maxAgeSeconds) {
    Buffer bytes = body.toBuffer();
    String etag = "\"" + hash(bytes) + "\"";
    String cacheControl = "public, max-age=" + maxAgeSeconds;
    String inm = req.context().request().getHeader("If-None-Match");
    if (inm != null && matches(inm, etag)) {
      return Reply.status(304).header("ETag", etag).header("Cache-Control", cacheControl);
    }
    return Reply.text(200, "application/json", bytes).header("ETag", etag).header("Cache-Control", cacheControl);
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    for (String candidate : ifNoneMatch.split(",")) {
      String t = candidate.trim();
      if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }

  private static String hash(Buffer bytes) {
    return Digests.sha256Base64Url(bytes.getBytes(), 22);
  }

  @Override
  public List<Retention> retention() {
    return List.of(Retention.of("consultation-voter-keys", (pool, now) -> consultations.purgeVoterKeys(now.minus(voterKeyGrace))));
  }

  @Override
  public List<DemoContent> demoContent() {
    return List.of(new DemoContent() {
      @Override
      public String name() {
        return "sample-consultation";
      }

      @Override
      public Future<Void> load(Pool pool, Clock clock) {
        return consultations.countConsultations().compose(n -> n > 0 ? Future.succeededFuture() : consultations
            .create("demo", "sample-consultation-1", sample(clock.instant())).mapEmpty());
      }
    });
  }

  private static ConsultationDraft sample(Instant now) {
    return new ConsultationDraft(
        "SAMPLE: What would make you feel safer in Islington?",
        "This is sample content for trying the app, not a real Youth Council consultation. "
            + "Tell the Youth Council what would make you feel safer on your way to school, college or work.",
        now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), Consultations.AGE_BANDS,
        List.of(
            new ConsultationDraft.QuestionDraft("Where do you feel least safe?", QuestionType.SINGLE, null,
                List.of("On buses and at bus stops", "In parks", "Near my school or college", "On estates at night",
                    "Online")),
            new ConsultationDraft.QuestionDraft("Which would you use? Choose up to two.", QuestionType.MULTIPLE, 2,
                List.of("More Safe Havens open late", "Youth workers on the streets", "A text line to ask for help",
                    "Free activities after school")),
            new ConsultationDraft.QuestionDraft("Rank these ideas, your favourite first.", QuestionType.RANKING, null,
                List.of("Better street lighting", "More youth clubs", "Safer routes to school"))));
  }
}
