package uk.gov.islington.youthsafety.content.directory;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import uk.gov.islington.youthsafety.common.Digests;
import uk.gov.islington.youthsafety.content.common.Cursor;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.Idempotency;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.MergePatch;
import uk.gov.islington.youthsafety.content.common.SyncToken;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/**
 * The rules of the directory of support: who can be reached now (24/7 helplines first), the offline
 * copy and its delta sync, and the editors' create, update (merge patch, If-Match), retire and
 * reinstate. Public answers are computed from the in-memory {@link SupportCatalogue}.
 */
public final class SupportDirectory {

  /**
   * An answer holds at most this long without being computed again (the hours' look-ahead moves
   * with the date).
   */
  static final Duration MAX_STABLE = Duration.ofMinutes(10);

  /** What the app asked: filters, paging and the sync position of its offline copy. */
  public record Query(
      String category, Integer age, boolean openNow, int limit, String cursor, String since) {

    /** The same question always gives the same key (for caching rendered answers). */
    public String key() {
      return category + "|" + age + "|" + openNow + "|" + limit + "|" + cursor + "|" + since;
    }
  }

  /** A service and whether it can be reached at the time of the answer. */
  public record Listed(SupportService service, SupportService.Availability availability) {}

  /**
   * One page of the directory.
   *
   * @param full true when {@code items} (over all pages) is the whole directory and replaces the
   *     app's copy; false for a delta since a sync token
   * @param removed ids to drop from the app's copy (a delta only)
   * @param validUntil the answer may change from then on even if no one edits anything (hours)
   */
  public record Listing(
      List<Listed> items,
      String nextCursor,
      SyncToken token,
      boolean full,
      List<String> removed,
      Instant validUntil) {}

  /**
   * One past version of a service: what it said after a change (the row as stored), when and by
   * whom.
   */
  public record Version(
      long changeSeq, String status, JsonObject record, Instant changedAt, String changedBy) {}

  /** A created service, or the first answer again for a replayed Idempotency-Key. */
  public record Written(SupportService service, boolean replayed) {}

  /** The caller's copy is out of date (If-Match did not match): carries the current version. */
  public static final class StaleVersion extends DomainException {
    private final SupportService current;

    public StaleVersion(SupportService current) {
      super(
          "The service was changed since you read it (it is now version v"
              + current.changeSeq()
              + "); read it again and redo your change.");
      this.current = current;
    }

    public SupportService current() {
      return current;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  private final Pool pool;
  private final Clock clock;
  private final SupportCatalogue catalogue;
  private final Idempotency idempotency;

  public SupportDirectory(Pool pool, Clock clock, SupportCatalogue catalogue) {
    this.pool = pool;
    this.clock = clock;
    this.catalogue = catalogue;
    this.idempotency = new Idempotency(clock);
  }

  public SupportCatalogue catalogue() {
    return catalogue;
  }

  public Clock clock() {
    return clock;
  }

  // ---- public

  /**
   * A page of the directory at {@code now}, from {@code s}. Without {@code since} the published
   * services that pass the filters; with it, those changed since the token, and the ids to drop
   * (retired, or changed so they no longer pass {@code category}/{@code age}). A token from another
   * database, or from a future this snapshot has not reached, gets the full set. With {@code
   * openNow}: only services reachable now, 24/7 helplines first.
   */
  public static Listing list(SupportCatalogue.Snapshot s, Query q, Instant now) {
    SyncToken from =
        q.since() == null || q.since().isEmpty() ? null : SyncToken.decode(q.since(), "since");
    boolean full = from == null || !from.epoch().equals(s.epoch()) || from.seq() > s.seq();
    if (!full && q.openNow()) {
      throw InvalidInput.of(
          "openNow",
          "cannot be combined with since: what is open changes with the clock, not "
              + "with edits");
    }
    JsonObject after = Cursor.decode(q.cursor());
    int afterGroup = after == null ? -1 : Cursor.intAt(after, "g");
    int afterOrder = after == null ? Integer.MIN_VALUE : Cursor.intAt(after, "s");
    long firstSeq = after == null ? s.seq() : Math.min(s.seq(), Cursor.intAt(after, "t"));

    List<Listed> candidates = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (SupportService svc : full ? s.published() : s.changedSince(from.seq())) {
      boolean matches = svc.published() && passes(svc, q);
      if (!matches) {
        if (!full && after == null) {
          removed.add(svc.id());
        }
        continue;
      }
      SupportService.Availability a = svc.at(now);
      if (q.openNow() && !Boolean.TRUE.equals(a.openNow())) {
        continue;
      }
      candidates.add(new Listed(svc, a));
    }
    if (q.openNow()) {
      // "who can I talk to now": the lines that never close before anything else
      candidates.sort(
          Comparator.comparingInt((Listed l) -> group(l, true))
              .thenComparingInt(l -> l.service().sortOrder()));
    }
    List<Listed> page = new ArrayList<>(Math.min(q.limit(), candidates.size()));
    String next = null;
    for (Listed l : candidates) {
      int g = group(l, q.openNow());
      int o = l.service().sortOrder();
      if (g < afterGroup || (g == afterGroup && o <= afterOrder)) {
        continue;
      }
      if (page.size() == q.limit()) {
        Listed last = page.get(page.size() - 1);
        next =
            Cursor.encode(
                new JsonObject()
                    .put("g", group(last, q.openNow()))
                    .put("s", last.service().sortOrder())
                    .put("t", firstSeq));
        break;
      }
      page.add(l);
    }
    removed.sort(null);
    return new Listing(
        List.copyOf(page),
        next,
        new SyncToken(s.epoch(), firstSeq),
        full,
        List.copyOf(removed),
        stableUntil(s, now));
  }

  private static int group(Listed l, boolean openNow) {
    return openNow && l.availability().alwaysOpen() ? 0 : 1;
  }

  private static boolean passes(SupportService s, Query q) {
    if (q.category() != null && !s.fields().categories().contains(q.category())) {
      return false;
    }
    Integer age = q.age();
    SupportServiceInput.Draft f = s.fields();
    return age == null
        || ((f.ageMin() == null || f.ageMin() <= age) && (f.ageMax() == null || f.ageMax() >= age));
  }

  /**
   * The first instant after {@code now} at which any published service's availability may change.
   */
  static Instant stableUntil(SupportCatalogue.Snapshot s, Instant now) {
    Instant until = now.plus(MAX_STABLE);
    for (SupportService svc : s.published()) {
      Instant change = svc.at(now).nextChange();
      if (change != null && change.isBefore(until)) {
        until = change;
      }
    }
    return until;
  }

  /**
   * The current snapshot, caught up first when the caller has seen a later one (another instance
   * served it).
   */
  public Future<SupportCatalogue.Snapshot> snapshotAtLeast(SyncToken seen) {
    return SyncToken.atLeast(seen, catalogue.snapshot(), catalogue::refresh);
  }

  /** One service; retired ones only for editors. */
  public Future<SupportService> get(String id, boolean editor) {
    return catalogue
        .snapshot()
        .compose(
            s -> {
              SupportService found = s.get(id);
              return found != null
                  ? Future.succeededFuture(found)
                  : catalogue.refresh().map(again -> again.get(id));
            })
        .map(
            found -> {
              if (found == null || (!found.published() && !editor)) {
                throw notFound();
              }
              return found;
            });
  }

  // ---- editors

  private static DomainException.NotFound notFound() {
    return new DomainException.NotFound("There is no support service with this id.");
  }

  /**
   * Changes one service in a transaction that holds its row: 404 when there is none, {@link
   * StaleVersion} when {@code expectedSeq} (if any) is not its version; then waits until this
   * instance's catalogue has the change.
   */
  private Future<SupportService> change(
      String id,
      Long expectedSeq,
      BiFunction<SqlClient, SupportService, Future<SupportService>> change) {
    return pool.withTransaction(
            tx ->
                SupportDirectoryStore.get(tx, id, true)
                    .map(
                        found -> {
                          SupportService current = found.orElseThrow(SupportDirectory::notFound);
                          if (expectedSeq != null && expectedSeq != current.changeSeq()) {
                            throw new StaleVersion(current);
                          }
                          return current;
                        })
                    .compose(current -> change.apply(tx, current)))
        .compose(s -> caughtUp(new Written(s, false)))
        .map(Written::service);
  }

  public Future<Written> create(JsonObject body, String idempotencyKey, String by) {
    Instant now = clock.instant();
    SupportServiceInput.Draft draft = SupportServiceInput.draft(body, today(now));
    String id = newId();
    Idempotency.Claim claim =
        Idempotency.Claim.ofBody("createSupportService", idempotencyKey, body, id);
    return idempotency
        .once(
            pool,
            claim,
            tx -> SupportDirectoryStore.insert(tx, id, draft, now, by),
            (tx, first) -> SupportDirectoryStore.get(tx, first, false).map(Optional::orElseThrow),
            Written::new)
        .compose(this::caughtUp);
  }

  /**
   * Applies a JSON merge patch (RFC 7386) and checks the result as a whole. {@code expectedSeq}
   * (from If-Match) guards against overwriting someone else's change: the row is locked, so of two
   * concurrent edits from the same version exactly one wins and the other gets {@link
   * StaleVersion}.
   */
  public Future<SupportService> update(String id, JsonObject patch, Long expectedSeq, String by) {
    Instant now = clock.instant();
    return change(
        id,
        expectedSeq,
        (tx, current) -> {
          JsonObject merged = MergePatch.apply(SupportServiceInput.json(current.fields()), patch);
          SupportServiceInput.Draft draft = SupportServiceInput.draft(merged, today(now));
          if (SupportServiceInput.json(draft).equals(SupportServiceInput.json(current.fields()))) {
            // nothing changed: no new version, no change number taken
            return Future.succeededFuture(current);
          }
          return SupportDirectoryStore.update(tx, id, draft, now, by);
        });
  }

  /**
   * Takes the service out of every public answer; it stays, with its history, for editors.
   * Idempotent.
   */
  public Future<SupportService> retire(String id, String reason, Long expectedSeq, String by) {
    if (reason == null || reason.isBlank()) {
      return Future.failedFuture(InvalidInput.of("reason", "is required"));
    }
    return setPublished(id, false, reason.strip(), expectedSeq, by);
  }

  public Future<SupportService> reinstate(String id, Long expectedSeq, String by) {
    return setPublished(id, true, null, expectedSeq, by);
  }

  private Future<SupportService> setPublished(
      String id, boolean published, String reason, Long expectedSeq, String by) {
    Instant now = clock.instant();
    return change(
        id,
        expectedSeq,
        (tx, current) ->
            current.published() == published
                ? Future.succeededFuture(current)
                : SupportDirectoryStore.setStatus(tx, id, published, reason, now, by));
  }

  // ---- Open Referral UK

  /**
   * What importing {@code file} would do now; nothing is written. 400 naming record and field when
   * it is not valid.
   */
  public Future<OpenReferral.Plan> previewImport(JsonObject file, boolean retireMissing) {
    LocalDate today = today(clock.instant());
    return SupportDirectoryStore.all(pool)
        .map(all -> OpenReferral.plan(file, all.services(), today, retireMissing));
  }

  /**
   * Imports {@code file} in one transaction: the directory is locked, the plan worked out against
   * it and every change written, or (any problem) nothing. A retry with the same Idempotency-Key
   * answers the first import's summary.
   */
  public Future<JsonObject> applyImport(
      JsonObject file, boolean retireMissing, String idempotencyKey, String by) {
    Instant now = clock.instant();
    Idempotency.Claim claim =
        Idempotency.Claim.of(
            "importSupportServices",
            keyHash(idempotencyKey),
            Digests.sha256(file.encode() + "|" + retireMissing),
            "import");
    return pool.withTransaction(
            tx ->
                idempotency
                    .claim(tx, claim)
                    .compose(
                        first -> {
                          if (first.isPresent()) {
                            return Future.succeededFuture(
                                new JsonObject(Buffer.buffer(first.get().answerCt()))
                                    .put("replayed", true));
                          }
                          return SupportDirectoryStore.lockAll(tx)
                              .compose(
                                  current -> {
                                    OpenReferral.Plan plan =
                                        OpenReferral.plan(file, current, today(now), retireMissing);
                                    Future<Void> chain = Future.succeededFuture();
                                    for (OpenReferral.Change c : plan.creates()) {
                                      chain =
                                          chain.compose(
                                              v ->
                                                  SupportDirectoryStore.insert(
                                                          tx, c.id(), c.draft(), now, by)
                                                      .mapEmpty());
                                    }
                                    for (OpenReferral.Change c : plan.updates()) {
                                      chain =
                                          chain
                                              .compose(
                                                  v ->
                                                      SupportDirectoryStore.update(
                                                          tx, c.id(), c.draft(), now, by))
                                              .compose(
                                                  s ->
                                                      s.published()
                                                          ? Future.<Void>succeededFuture()
                                                          : SupportDirectoryStore.setStatus(
                                                                  tx, c.id(), true, null, now, by)
                                                              .mapEmpty());
                                    }
                                    for (String id : plan.retires()) {
                                      chain =
                                          chain.compose(
                                              v ->
                                                  SupportDirectoryStore.setStatus(
                                                          tx,
                                                          id,
                                                          false,
                                                          "Retired by an Open Referral UK import.",
                                                          now,
                                                          by)
                                                      .mapEmpty());
                                    }
                                    JsonObject summary = OpenReferral.summary(plan);
                                    return chain
                                        .compose(
                                            v ->
                                                idempotency.recordAnswer(
                                                    tx, claim, summary.toBuffer().getBytes()))
                                        .map(v -> summary.put("replayed", false));
                                  });
                        }))
        .compose(summary -> catalogue.refresh().map(s -> summary).otherwise(summary));
  }

  /** Past versions of a service, newest first. */
  public Future<List<Version>> history(String id, int limit) {
    return SupportDirectoryStore.history(pool, id, limit)
        .map(
            versions -> {
              if (versions.isEmpty()) {
                throw notFound();
              }
              return versions;
            });
  }

  /**
   * Editors' keys are not scoped to the editor: the directory is one shared list, and a key sent
   * twice by two editors' tools is the same request or a mistake either way.
   */
  private static byte[] keyHash(String idempotencyKey) {
    return Idempotency.keyHash("", idempotencyKey);
  }

  /** After a commit: this instance's catalogue has it before we answer (read your own writes). */
  private Future<Written> caughtUp(Written w) {
    return catalogue.refresh().map(s -> w).otherwise(w);
  }

  LocalDate today(Instant now) {
    return LocalDate.ofInstant(now, OpeningHours.LONDON);
  }

  static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    char[] out = new char[16];
    for (int i = 0; i < out.length; i++) {
      out[i] = ALPHABET[bytes[i] & 31];
    }
    return "svc_" + new String(out);
  }
}
