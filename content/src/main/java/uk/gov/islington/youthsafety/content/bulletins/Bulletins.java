package uk.gov.islington.youthsafety.content.bulletins;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import uk.gov.islington.youthsafety.common.Digests;
import uk.gov.islington.youthsafety.content.common.Cursor;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.Idempotency;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.Page;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;
import uk.gov.islington.youthsafety.notifications.outbox.Outbox;
import uk.gov.islington.youthsafety.notifications.push.PushFanout;
import uk.gov.islington.youthsafety.notifications.push.PushJobStatus;
import uk.gov.islington.youthsafety.notifications.push.PushMessage;

/**
 * The rules of the Youth Safety Bulletin: editors write drafts and send them once; everybody reads
 * what was sent.
 *
 * <p>Sending is exactly once, however often it is asked for and however often the process restarts:
 * {@link #send} moves a draft to "scheduled" and enqueues one fan-out message (dedupe key {@code
 * bulletin-fanout:<id>}, due at {@code sendAt}) in one transaction, so concurrent or repeated calls
 * find the bulletin scheduled already and change nothing. When the fan-out message falls due,
 * {@link BulletinFanoutChannel} moves the bulletin to "sending" and starts the push job (its
 * batches and their outbox messages) in one transaction; when the job's last batch is done, {@link
 * BulletinSentChannel} marks it "sent". The table's trigger refuses any other order.
 */
public final class Bulletins {

  public static final String FANOUT_CHANNEL = "bulletin-fanout";
  public static final String SENT_CHANNEL = "bulletin-sent";

  /** How far in the past a sendAt may be (clock skew of the staff tool); it then means "now". */
  static final Duration SEND_AT_GRACE = Duration.ofMinutes(2);

  static final Duration SEND_AT_HORIZON = Duration.ofDays(366);
  static final int PUSH_TITLE_BYTES = 200;
  static final int PUSH_BODY_BYTES = 300;
  static final Duration TTL = Duration.ofDays(7);
  static final Duration URGENT_TTL = Duration.ofDays(1);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final BulletinStore store = new BulletinStore();
  private final Pool pool;
  private final Clock clock;
  private final Idempotency idempotency;
  private final int pushBatchSize;
  private final EmailSubscriptions emails;

  /**
   * @param pushBatchSize subscriptions per push batch (at most 500, FCM's sendEach limit)
   */
  public Bulletins(Pool pool, Clock clock, int pushBatchSize) {
    this(pool, clock, pushBatchSize, null);
  }

  /**
   * @param emails e-mail subscriptions, which get each bulletin alongside the push; null for push
   *     only
   */
  public Bulletins(Pool pool, Clock clock, int pushBatchSize, EmailSubscriptions emails) {
    this.emails = emails;
    this.pool = Objects.requireNonNull(pool, "pool");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.idempotency = new Idempotency(clock);
    if (pushBatchSize < 1 || pushBatchSize > PushFanout.MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("push batch size must be 1.." + PushFanout.MAX_BATCH_SIZE);
    }
    this.pushBatchSize = pushBatchSize;
  }

  /** The outbox channels that carry a bulletin from "scheduled" to "sent". */
  public List<Channel> channels() {
    return List.of(
        new BulletinFanoutChannel(pool, clock, pushBatchSize, emails),
        new BulletinSentChannel(pool, clock));
  }

  // ---- editors -------------------------------------------------------------------------------

  /** A created bulletin, and whether this was a replay of an earlier request with the same key. */
  public record Created(Bulletin bulletin, boolean replayed) {}

  public Future<Created> create(BulletinDraft draft, String staffId, String idempotencyKey) {
    BulletinDraft d;
    try {
      d = validate(draft);
    } catch (InvalidInput e) {
      return Future.failedFuture(e);
    }
    String id = newId();
    Idempotency.Claim claim =
        Idempotency.Claim.of(
            "createBulletin", Idempotency.keyHash(staffId, idempotencyKey), requestHash(d), id);
    return idempotency.once(
        pool,
        claim,
        tx -> store.insert(tx, id, d, clock.instant(), staffId),
        (tx, first) -> store.get(tx, first).map(Optional::orElseThrow),
        Created::new);
  }

  public Future<Bulletin> update(String id, BulletinPatch patch) {
    BulletinPatch p;
    try {
      p = validate(patch);
    } catch (InvalidInput e) {
      return Future.failedFuture(e);
    }
    return store
        .updateDraft(pool, id, p, clock.instant())
        .compose(
            updated ->
                updated.isPresent()
                    ? Future.succeededFuture(updated.get())
                    : notDraft(id, "edited"));
  }

  public Future<Void> delete(String id) {
    return store
        .deleteDraft(pool, id)
        .compose(
            deleted -> deleted ? Future.succeededFuture() : notDraft(id, "deleted").mapEmpty());
  }

  /**
   * Sends the bulletin now ({@code sendAt} null or not in the future) or at {@code sendAt}, once.
   * Asking again answers the bulletin as it stands; asking for a different time once it is
   * scheduled, or "now" while it waits for a later time, is a conflict.
   */
  public Future<Bulletin> send(String id, Instant sendAt, String staffId) {
    Instant now = clock.instant();
    if (sendAt != null) {
      InvalidInput.Builder errors = InvalidInput.builder();
      errors.check(!sendAt.isBefore(now.minus(SEND_AT_GRACE)), "sendAt", "must not be in the past");
      errors.check(!sendAt.isAfter(now.plus(SEND_AT_HORIZON)), "sendAt", "must be within a year");
      try {
        errors.throwIfAny();
      } catch (InvalidInput e) {
        return Future.failedFuture(e);
      }
    }
    boolean later = sendAt != null && sendAt.isAfter(now);
    Instant at = (later ? sendAt : now).truncatedTo(ChronoUnit.MICROS);
    // "now" is the database's now (the outbox's clock); a later time is handed over as it is
    Instant due = later ? at : null;
    return pool.withTransaction(
            tx ->
                store
                    .schedule(tx, id, at, staffId, now)
                    .compose(
                        scheduled -> {
                          if (scheduled.isEmpty()) {
                            return Future.succeededFuture(scheduled);
                          }
                          return Outbox.enqueue(
                                  tx,
                                  FANOUT_CHANNEL,
                                  "bulletin-fanout:" + id,
                                  new JsonObject().put("bulletinId", id),
                                  due)
                              .map(outboxId -> scheduled);
                        }))
        .compose(
            scheduled ->
                scheduled.isPresent()
                    ? Future.succeededFuture(scheduled.get())
                    : store
                        .get(pool, id)
                        .compose(
                            existing -> {
                              if (existing.isEmpty()) {
                                return Future.failedFuture(notFound());
                              }
                              Bulletin b = existing.get();
                              Instant requested =
                                  sendAt == null ? null : sendAt.truncatedTo(ChronoUnit.MICROS);
                              if (requested != null
                                  && !requested.equals(b.sendAt())
                                  && requested.isAfter(now)) {
                                return Future.failedFuture(
                                    new DomainException.Conflict(
                                        "This bulletin is already "
                                            + b.state()
                                            + " (send time "
                                            + b.sendAt()
                                            + "); it is sent only once."));
                              }
                              if (requested == null
                                  && Bulletin.SCHEDULED.equals(b.state())
                                  && b.sendAt().isAfter(now.plus(SEND_AT_GRACE))) {
                                return Future.failedFuture(
                                    new DomainException.Conflict(
                                        "This bulletin is scheduled for "
                                            + b.sendAt()
                                            + "; it is sent only once."));
                              }
                              return Future.succeededFuture(b);
                            }));
  }

  public Future<BulletinDelivery> delivery(String id) {
    return store
        .get(pool, id)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.failedFuture(notFound());
              }
              Bulletin b = found.get();
              Future<EmailDelivery> email =
                  emails == null
                      ? Future.succeededFuture(new EmailDelivery(0, 0, 0, 0, 0))
                      : emails.delivery(id);
              return Future.all(PushFanout.status(pool, jobId(id)), email)
                  .map(
                      all -> {
                        java.util.Optional<PushJobStatus> status = all.resultAt(0);
                        EmailDelivery e = all.resultAt(1);
                        PushJobStatus s = status.orElse(null);
                        return s == null
                            ? new BulletinDelivery(
                                id, b.state(), b.sendAt(), 0, 0, 0, 0, 0, 0, null, null, e)
                            : new BulletinDelivery(
                                id,
                                b.state(),
                                b.sendAt(),
                                s.targeted(),
                                s.sent(),
                                s.failed(),
                                s.invalidRemoved(),
                                s.skipped(),
                                s.pending(),
                                s.startedAt(),
                                s.completedAt(),
                                e);
                      });
            });
  }

  /** Editors' lists by state, newest first. */
  public Future<Page<Bulletin>> listByState(String state, int limit, String cursor) {
    if (!Bulletin.STATES.contains(state)) {
      return Future.failedFuture(InvalidInput.of("state", "must be one of " + Bulletin.STATES));
    }
    return page(
        cursor,
        limit,
        (time, id) -> store.byState(pool, state, time, id, limit + 1),
        Bulletin::createdAt);
  }

  // ---- everybody -----------------------------------------------------------------------------

  /** The public archive: bulletins that have been sent (or are being sent), newest first. */
  public Future<Page<Bulletin>> archive(String audience, int limit, String cursor) {
    if (audience != null && !BulletinVocabulary.AUDIENCES.contains(audience)) {
      return Future.failedFuture(
          InvalidInput.of("audience", "must be one of " + BulletinVocabulary.AUDIENCES));
    }
    return page(
        cursor,
        limit,
        (time, id) -> store.archive(pool, audience, time, id, limit + 1),
        Bulletin::publishedAt);
  }

  /** A bulletin of the archive; {@code staff} (editors) also see drafts and scheduled ones. */
  public Future<Bulletin> get(String id, boolean staff) {
    return store
        .get(pool, id)
        .compose(
            found ->
                found.isPresent() && (staff || found.get().published())
                    ? Future.succeededFuture(found.get())
                    : Future.failedFuture(notFound()));
  }

  // ---- the push ------------------------------------------------------------------------------

  static String jobId(String bulletinId) {
    return "bulletin:" + bulletinId;
  }

  /**
   * The notification: the title, a preview of the text and the id the app opens; never the whole
   * text. Public for the editors' preview of it.
   */
  public static PushMessage pushMessage(Bulletin b) {
    return new PushMessage(
        PushMessage.preview(b.title(), PUSH_TITLE_BYTES),
        PushMessage.preview(b.body(), PUSH_BODY_BYTES),
        Map.of("type", "bulletin", "bulletinId", b.id(), "urgent", Boolean.toString(b.urgent())),
        b.id(),
        b.urgent(),
        b.urgent() ? URGENT_TTL : TTL);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private interface PageQuery {
    Future<List<Bulletin>> fetch(Instant afterTime, String afterId);
  }

  private static Future<Page<Bulletin>> page(
      String cursor,
      int limit,
      PageQuery query,
      java.util.function.Function<Bulletin, Instant> time) {
    Instant afterTime = null;
    String afterId = null;
    try {
      JsonObject after = Cursor.decode(cursor);
      if (after != null) {
        afterTime = Instant.parse(Cursor.stringAt(after, "t"));
        afterId = Cursor.stringAt(after, "i");
      }
    } catch (InvalidInput e) {
      return Future.failedFuture(e);
    } catch (java.time.format.DateTimeParseException e) {
      return Future.failedFuture(InvalidInput.of("cursor", "is not a cursor this API issued"));
    }
    return query
        .fetch(afterTime, afterId)
        .map(rows -> Page.of(rows, limit, last -> position(time.apply(last), last)));
  }

  private static JsonObject position(Instant time, Bulletin last) {
    return new JsonObject().put("t", time.toString()).put("i", last.id());
  }

  private Future<Bulletin> notDraft(String id, String verb) {
    return store
        .get(pool, id)
        .compose(
            found ->
                found.isEmpty()
                    ? Future.failedFuture(notFound())
                    : Future.failedFuture(
                        new DomainException.Conflict(
                            "This bulletin is "
                                + found.get().state()
                                + "; only drafts can be "
                                + verb
                                + ".")));
  }

  private static DomainException notFound() {
    return new DomainException.NotFound("There is no such bulletin.");
  }

  private static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "bul_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static BulletinDraft validate(BulletinDraft d) {
    InvalidInput.Builder errors = InvalidInput.builder();
    String title = text(d.title(), "title", 120, errors);
    String body = text(d.body(), "body", 10_000, errors);
    List<String> audiences = audiences(d.audiences(), "audiences", errors);
    List<String> areas = areas(d.areas(), "areas", errors);
    String link = link(d.link(), errors);
    errors.throwIfAny();
    return new BulletinDraft(title, body, audiences, areas, link, d.urgent());
  }

  static BulletinPatch validate(BulletinPatch p) {
    InvalidInput.Builder errors = InvalidInput.builder();
    if (p.isEmpty()) {
      errors.add("body", "name at least one field to change");
      errors.throwIfAny();
    }
    String title = p.title() == null ? null : text(p.title(), "title", 120, errors);
    String body = p.body() == null ? null : text(p.body(), "body", 10_000, errors);
    List<String> audiences =
        p.audiences() == null ? null : audiences(p.audiences(), "audiences", errors);
    List<String> areas = p.areas() == null ? null : areas(p.areas(), "areas", errors);
    String link = p.linkGiven() && p.link() != null ? link(p.link(), errors) : null;
    errors.throwIfAny();
    return new BulletinPatch(title, body, audiences, areas, p.linkGiven(), link, p.urgent());
  }

  private static String text(String value, String field, int max, InvalidInput.Builder errors) {
    if (value == null || value.isBlank()) {
      errors.add(field, "is required and must not be blank");
      return value;
    }
    String stripped = value.strip();
    errors.check(stripped.length() <= max, field, "must be at most " + max + " characters");
    errors.check(
        stripped
            .codePoints()
            .noneMatch(
                c ->
                    Character.getType(c) == Character.CONTROL
                        && c != '\n'
                        && c != '\t'
                        && c != '\r'),
        field,
        "must not contain control characters");
    return stripped;
  }

  static List<String> audiences(List<String> values, String field, InvalidInput.Builder errors) {
    if (values == null || values.isEmpty()) {
      errors.add(field, "name at least one of " + BulletinVocabulary.AUDIENCES);
      return List.of();
    }
    return vocabulary(values, field, BulletinVocabulary.AUDIENCES, errors);
  }

  static List<String> areas(List<String> values, String field, InvalidInput.Builder errors) {
    return values == null ? List.of() : vocabulary(values, field, BulletinVocabulary.AREAS, errors);
  }

  private static List<String> vocabulary(
      List<String> values, String field, List<String> allowed, InvalidInput.Builder errors) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      if (!allowed.contains(v)) {
        errors.add(field + "[" + i + "]", "must be one of " + allowed);
      } else if (!seen.add(v)) {
        errors.add(field + "[" + i + "]", "is listed twice");
      }
    }
    return List.copyOf(values);
  }

  private static String link(String value, InvalidInput.Builder errors) {
    if (value == null) {
      return null;
    }
    try {
      URI uri = new URI(value);
      errors.check(
          "https".equalsIgnoreCase(uri.getScheme())
              && uri.getHost() != null
              && value.length() <= 2048,
          "link",
          "must be an https:// address of at most 2048 characters");
    } catch (URISyntaxException e) {
      errors.add("link", "must be an https:// address of at most 2048 characters");
    }
    return value;
  }

  private static byte[] requestHash(BulletinDraft d) {
    JsonObject canonical =
        new JsonObject()
            .put("title", d.title())
            .put("body", d.body())
            .put("audiences", new JsonArray(d.audiences()))
            .put("areas", new JsonArray(d.areas()))
            .put("link", d.link())
            .put("urgent", d.urgent());
    return Digests.sha256(canonical.encode());
  }
}
