package uk.gov.islington.youthsafety.api.consultations;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import uk.gov.islington.youthsafety.api.auth.Principal;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.Conditional;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.consultations.Consultation;
import uk.gov.islington.youthsafety.content.consultations.ConsultationDraft;
import uk.gov.islington.youthsafety.content.consultations.ConsultationState;
import uk.gov.islington.youthsafety.content.consultations.Consultations;

/**
 * The operations of consultations: each handler maps a request to a call of {@link Consultations}
 * and the answer to a reply ({@link ConsultationJson}). Public answers carry a strong ETag and are
 * never cacheable past the next opening or closing.
 */
final class ConsultationRoutes {

  static final String YOUTH_COUNCIL = "youth_council";

  private final Consultations consultations;
  private final Clock clock;

  ConsultationRoutes(Consultations consultations, Clock clock) {
    this.consultations = consultations;
    this.clock = clock;
  }

  void addTo(Routes routes) {
    routes
        .on("listConsultations", this::list)
        .on("getConsultation", this::get)
        .on("createConsultation", this::create)
        .on("updateConsultation", this::update)
        .on("castVote", this::castVote)
        .on("getConsultationResults", this::results)
        .on("publishResults", this::publish);
  }

  private Future<Reply> list(ApiRequest req) {
    return consultations
        .list(
            ConsultationState.fromWire(req.query("state")),
            req.query("ageBand"),
            req.queryInt("limit", 20),
            req.query("cursor"))
        .map(
            page -> {
              Instant now = clock.instant();
              long maxAge = 60;
              for (Consultation c : page.items()) {
                maxAge = Math.min(maxAge, secondsUntilChange(c, now, 60));
              }
              JsonObject body =
                  new JsonObject()
                      .put(
                          "items",
                          page.items().stream().map(c -> ConsultationJson.summary(c, now)).toList())
                      .put("nextCursor", page.nextCursor());
              return cacheable(req, body, maxAge);
            });
  }

  private Future<Reply> get(ApiRequest req) {
    return consultations
        .get(req.path("consultationId"))
        .map(
            c -> {
              Instant now = clock.instant();
              return cacheable(req, ConsultationJson.full(c, now), secondsUntilChange(c, now, 300));
            });
  }

  private Future<Reply> create(ApiRequest req) {
    Principal staff = req.requiredPrincipal();
    ConsultationDraft draft = ConsultationJson.draft(req.body());
    return consultations
        .create(staff.subject(), req.header("Idempotency-Key"), draft)
        .map(
            c ->
                Reply.created(ConsultationJson.staff(c, clock.instant()))
                    .header("Location", "/v1/consultations/" + c.id()));
  }

  private Future<Reply> update(ApiRequest req) {
    ConsultationDraft changes = ConsultationJson.draft(req.body());
    return consultations
        .update(req.path("consultationId"), changes)
        .map(c -> Reply.ok(ConsultationJson.staff(c, clock.instant())));
  }

  private Future<Reply> castVote(ApiRequest req) {
    Principal device = req.requiredPrincipal();
    return consultations
        .castVote(
            req.path("consultationId"),
            device.subject(),
            device.ageBand(),
            req.header("Idempotency-Key"),
            ConsultationJson.answers(req.body()))
        .map(
            outcome ->
                Reply.created(
                        new JsonObject()
                            .put("consultationId", outcome.consultationId())
                            .put("status", "counted")
                            .put(
                                "message",
                                "Thank you: your vote has been counted. It is stored apart from anything that could identify your device."))
                    .replayed(outcome.replayed()));
  }

  private Future<Reply> results(ApiRequest req) {
    Principal caller = req.principal();
    boolean youthCouncil = caller != null && caller.has(YOUTH_COUNCIL);
    return consultations
        .results(req.path("consultationId"), youthCouncil)
        .map(
            r -> {
              JsonObject body = ConsultationJson.results(r, Consultations.SUPPRESSION_THRESHOLD);
              // a published, settled count is the same for everyone: the public may cache it
              return caller == null ? cacheable(req, body, 300) : Reply.ok(body);
            });
  }

  private Future<Reply> publish(ApiRequest req) {
    return consultations
        .publish(req.path("consultationId"))
        .map(r -> Reply.ok(ConsultationJson.results(r, Consultations.SUPPRESSION_THRESHOLD)));
  }

  /**
   * Seconds a public copy may be kept: never past the next opening or closing, so "open" is never
   * stale.
   */
  private static long secondsUntilChange(Consultation c, Instant now, long cap) {
    Instant next = c.nextChangeAfter(now);
    if (next == null) {
      return cap;
    }
    return Math.max(0, Math.min(cap, Duration.between(now, next).getSeconds()));
  }

  /** A public answer with a strong ETag over its body; If-None-Match with that tag answers 304. */
  static Reply cacheable(ApiRequest req, JsonObject body, long maxAgeSeconds) {
    return Conditional.cacheableJson(req, body.toBuffer(), "public, max-age=" + maxAgeSeconds);
  }
}
