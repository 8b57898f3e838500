package uk.gov.islington.youthsafety.content.staff;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import uk.gov.islington.youthsafety.common.Digests;
import uk.gov.islington.youthsafety.content.common.Retention;

/**
 * The console's sessions, in PostgreSQL so that every instance knows them. A session id is 256
 * random bits that only the browser holds; the table keeps its SHA-256. A session ends after {@code
 * idle} without a request, {@code absolute} after it began, at sign-out, and when its account is
 * disabled or its roles, password or second factor change.
 */
public final class StaffSessions {

  public static final String SECOND_FACTOR = "second_factor";
  public static final String ENROL = "enrol";
  public static final String ACTIVE = "active";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;
  private final Clock clock;
  private final Duration idle;
  private final Duration absolute;
  private final StaffStore store = new StaffStore();

  public StaffSessions(Pool pool, Clock clock, Duration idle, Duration absolute) {
    this.pool = pool;
    this.clock = clock;
    this.idle = idle;
    this.absolute = absolute;
  }

  /** A live session as a request sees it; {@code roles} are the account's current ones. */
  public record Session(
      String staffId,
      String username,
      List<String> roles,
      String stage,
      String csrfToken,
      String pendingKeyId,
      byte[] pendingSealed,
      Instant createdAt) {
    public boolean active() {
      return ACTIVE.equals(stage);
    }

    @Override
    public String toString() {
      return "Session[" + staffId + ", " + stage + "]";
    }
  }

  /** Starts a session; answers the id for the cookie (the only place it exists in clear). */
  public Future<String> open(
      String staffId, String stage, String pendingKeyId, byte[] pendingSealed) {
    String id = random();
    return store
        .insertSession(
            pool, hash(id), staffId, stage, random(), pendingKeyId, pendingSealed, clock.instant())
        .map(id);
  }

  /** The live session with this id, now marked as seen; empty when there is none. */
  public Future<Optional<Session>> touch(String id) {
    if (id == null || id.length() != 43) {
      return Future.succeededFuture(Optional.empty());
    }
    Instant now = clock.instant();
    return store.touchSession(pool, hash(id), now, now.minus(idle), now.minus(absolute));
  }

  /**
   * Of these session ids, the ones still live and fully signed in, with their account's current
   * roles; unlike {@link #touch} this does not count as a request, so a page left open does not
   * keep its session alive by being checked.
   */
  public Future<Map<String, List<String>>> activeRoles(Collection<String> ids) {
    Map<Buffer, String> byHash = new HashMap<>();
    for (String id : ids) {
      if (id != null && id.length() == 43) {
        byHash.put(Buffer.buffer(hash(id)), id);
      }
    }
    if (byHash.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Instant now = clock.instant();
    return store
        .activeSessionRoles(
            pool, List.copyOf(byHash.keySet()), now.minus(idle), now.minus(absolute))
        .map(
            found -> {
              Map<String, List<String>> out = new HashMap<>();
              found.forEach((h, roles) -> out.put(byHash.get(h), roles));
              return out;
            });
  }

  /**
   * A session as an admin sees it. {@code handle} names it in pages and forms: the hex of its hash,
   * which cannot be turned back into the cookie's id.
   */
  public record Listed(String handle, String stage, Instant createdAt, Instant lastSeenAt) {
    public boolean active() {
      return ACTIVE.equals(stage);
    }
  }

  /** The handle of the session with this id (null for none). */
  public static String handleOf(String id) {
    return id == null ? null : HexFormat.of().formatHex(hash(id));
  }

  /** The account's live sessions (fully signed in or half-way through signing in), newest first. */
  public Future<List<Listed>> of(String staffId) {
    Instant now = clock.instant();
    return store
        .sessionsOf(pool, staffId, now.minus(idle), now.minus(absolute))
        .map(
            rows ->
                rows.stream()
                    .map(
                        r ->
                            new Listed(
                                HexFormat.of().formatHex(r.idHash().getBytes()),
                                r.stage(),
                                r.createdAt(),
                                r.lastSeenAt()))
                    .toList());
  }

  /**
   * Ends one session of the account, recorded as done by {@code actorId}; false when it had ended
   * already.
   */
  public Future<Boolean> endOne(String actorId, String staffId, String handle) {
    byte[] idHash;
    try {
      idHash = HexFormat.of().parseHex(handle == null ? "" : handle);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(false);
    }
    if (idHash.length != 32) {
      return Future.succeededFuture(false);
    }
    Instant now = clock.instant();
    return pool.withTransaction(
        tx ->
            store
                .deleteSessionOf(tx, staffId, idHash)
                .compose(
                    ended ->
                        ended
                            ? store
                                .audit(tx, actorId, staffId, "end_session", new JsonObject(), now)
                                .map(true)
                            : Future.succeededFuture(false)));
  }

  public Future<Void> end(String id) {
    return id == null ? Future.succeededFuture() : store.deleteSession(pool, hash(id));
  }

  public Retention retention() {
    return Retention.of(
        "console-sessions",
        (p, now) -> store.purgeSessions(p, now.minus(idle), now.minus(absolute)));
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] hash(String id) {
    return Digests.sha256(id);
  }
}
