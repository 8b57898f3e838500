package uk.gov.islington.youthsafety.content.havens;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import uk.gov.islington.youthsafety.content.common.Cursor;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.Idempotency;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.Page;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/**
 * Joining the scheme: premises apply (public), editors list the queue and decide. Approval creates
 * the haven from the application in the same transaction; rejection keeps the reason. The
 * applicant's contact details are purged a set time after the decision (see {@link #retention}).
 */
public final class HavenApplications {

  public static final String APPROVE = "approve";
  public static final String REJECT = "reject";

  private final HavenStore store = new HavenStore();
  private final Pool pool;
  private final Clock clock;
  private final Idempotency idempotency;
  private final ServiceArea area;
  private final HavenCatalogue catalogue;

  public HavenApplications(Pool pool, Clock clock, ServiceArea area, HavenCatalogue catalogue) {
    this.pool = pool;
    this.clock = clock;
    this.idempotency = new Idempotency(clock);
    this.area = area;
    this.catalogue = catalogue;
  }

  /** A written application, or the first one again for a replayed Idempotency-Key. */
  public record Submitted(HavenApplication application, boolean replayed) {}

  public Future<Submitted> apply(JsonObject body, String idempotencyKey) {
    Instant now = clock.instant();
    HavenInput.ApplicationDraft draft = HavenInput.application(body, today(now), area);
    String id = Ids.application();
    Idempotency.Claim claim = Idempotency.Claim.ofBody("applyToBeHaven", idempotencyKey, body, id);
    return idempotency.once(
        pool,
        claim,
        tx -> store.insertApplication(tx, id, draft, now),
        (tx, first) -> store.application(tx, first, false).map(Optional::orElseThrow),
        Submitted::new);
  }

  public Future<HavenApplication> get(String id) {
    return store
        .application(pool, id, false)
        .map(
            found ->
                found.orElseThrow(
                    () -> new DomainException.NotFound("There is no application with this id.")));
  }

  /** The queue, oldest first; {@code status} null for all. */
  public Future<Page<HavenApplication>> list(String status, int limit, String cursor) {
    JsonObject after = Cursor.decode(cursor);
    Instant afterSubmitted =
        after == null ? Instant.EPOCH : Instant.ofEpochMilli(longAt(after, "t"));
    String afterId = after == null ? "" : Cursor.stringAt(after, "i");
    return store
        .applications(pool, status, afterSubmitted, afterId, limit + 1)
        .map(rows -> Page.of(rows, limit, HavenApplications::position));
  }

  private static JsonObject position(HavenApplication last) {
    return new JsonObject().put("t", last.submittedAt().toEpochMilli()).put("i", last.id());
  }

  private static long longAt(JsonObject position, String key) {
    if (position.getValue(key) instanceof Number n) {
      return n.longValue();
    }
    throw InvalidInput.of("cursor", "is not a cursor this API issued");
  }

  /**
   * Approve (creates the published haven) or reject (with a reason). Deciding again the same way
   * answers the decision already made; deciding otherwise is a conflict.
   */
  public Future<HavenApplication> decide(String id, String decision, String reason, String by) {
    Instant now = clock.instant();
    String why = reason == null || reason.isBlank() ? null : reason.strip();
    if (REJECT.equals(decision) && why == null) {
      return Future.failedFuture(InvalidInput.of("reason", "is required when rejecting"));
    }
    if (!APPROVE.equals(decision) && !REJECT.equals(decision)) {
      return Future.failedFuture(InvalidInput.of("decision", "must be approve or reject"));
    }
    String outcome =
        APPROVE.equals(decision) ? HavenApplication.APPROVED : HavenApplication.REJECTED;
    return pool.withTransaction(
            tx ->
                store
                    .application(tx, id, true)
                    .compose(
                        found -> {
                          HavenApplication a =
                              found.orElseThrow(
                                  () ->
                                      new DomainException.NotFound(
                                          "There is no application with this id."));
                          if (!HavenApplication.PENDING.equals(a.status())) {
                            if (a.status().equals(outcome)) {
                              return Future.succeededFuture(a);
                            }
                            throw new DomainException.Conflict(
                                "This application was already decided: " + a.status() + ".");
                          }
                          if (HavenApplication.REJECTED.equals(outcome)) {
                            return store.decide(tx, id, outcome, now, by, why, null);
                          }
                          HavenInput.Draft draft = a.premises().verifiedOn(today(now));
                          String havenId = Ids.haven();
                          return store
                              .insert(tx, havenId, draft, false, id, now, by)
                              .compose(h -> store.decide(tx, id, outcome, now, by, why, havenId));
                        }))
        .compose(
            a ->
                a.havenId() == null
                    ? Future.succeededFuture(a)
                    : catalogue.refresh().map(s -> a).otherwise(a));
  }

  /**
   * Contact details go {@code afterDecision} after the decision; applications nobody decided within
   * {@code undecided} expire, and theirs go then.
   */
  public static Retention retention(Duration afterDecision, Duration undecided) {
    HavenStore store = new HavenStore();
    return Retention.of(
        "haven-application-contacts",
        (pool, now) ->
            store
                .expireUndecided(pool, now.minus(undecided), now)
                .compose(
                    expired ->
                        store
                            .purgeContacts(pool, now.minus(afterDecision), now)
                            .map(purged -> expired + purged)));
  }

  private static LocalDate today(Instant now) {
    return LocalDate.ofInstant(now, OpeningHours.LONDON);
  }
}
