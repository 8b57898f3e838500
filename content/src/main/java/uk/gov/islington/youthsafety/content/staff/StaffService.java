package uk.gov.islington.youthsafety.content.staff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.content.common.Cursor;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.Page;

/**
 * Staff accounts: who they are, what roles they hold, and whether a password is theirs. Rules:
 * usernames are unique whatever their case; passwords follow {@link PasswordPolicy}; accounts are
 * disabled, never deleted; no change may leave the service without an active admin. Password
 * hashing runs on worker threads; nothing here logs a username or a password.
 */
public final class StaffService {

  private static final Logger LOG = LoggerFactory.getLogger(StaffService.class);
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{2,253}");

  private final WorkerExecutor hashing;
  private final Pool pool;
  private final Clock clock;
  private final PasswordHasher hasher;
  private final StaffStore store = new StaffStore();

  public StaffService(Vertx vertx, Pool pool, Clock clock, PasswordHasher hasher) {
    this(vertx, pool, clock, hasher, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
  }

  /**
   * @param hashingThreads how many password hashes may run at once: a burst of sign-ins (or an
   *     attack on them) then uses at most this many cores, and the rest of the service keeps the
   *     others
   */
  public StaffService(
      Vertx vertx, Pool pool, Clock clock, PasswordHasher hasher, int hashingThreads) {
    this.pool = Objects.requireNonNull(pool);
    this.clock = Objects.requireNonNull(clock);
    this.hasher = Objects.requireNonNull(hasher);
    this.hashing =
        Objects.requireNonNull(vertx)
            .createSharedWorkerExecutor("password-hashing", hashingThreads);
  }

  /** The LISTEN/NOTIFY channel on which token revocations are announced (payload: the staff id). */
  public static String revocationChannel() {
    return StaffStore.REVOCATION_CHANNEL;
  }

  /**
   * Creates an account; {@code actorId} is the admin who does it (recorded in the audit of account
   * changes).
   */
  public Future<StaffMember> create(
      String actorId, String username, String password, List<String> roles) {
    InvalidInput.Builder errors = InvalidInput.builder();
    checkUsername(errors, username);
    PasswordPolicy.check(errors, "password", password, username);
    checkRoles(errors, roles);
    if (!errors.isEmpty()) {
      return failed(errors);
    }
    return blocking(() -> hasher.hash(password))
        .compose(
            hash ->
                pool.withTransaction(
                    tx -> {
                      Instant now = now();
                      return store
                          .insert(
                              tx, UUID.randomUUID().toString(), username, hash, sorted(roles), now)
                          .compose(
                              m ->
                                  store
                                      .audit(
                                          tx,
                                          actorId,
                                          m.id(),
                                          "create",
                                          rolesDetail(null, m.roles()),
                                          now)
                                      .map(m));
                    }))
        .recover(
            e ->
                Future.failedFuture(
                    isUniqueViolation(e)
                        ? new DomainException.Conflict(
                            "A staff account with this username already exists.")
                        : e))
        .onSuccess(m -> LOG.info("staff account {} created with roles {}", m.id(), m.roles()));
  }

  /**
   * The account whose password this is, if it is enabled. Unknown usernames cost the same
   * verification as known ones, and disabled accounts are checked too, so that neither the answer
   * nor its timing tells whether a username exists.
   */
  public Future<Optional<StaffMember>> authenticate(String username, String password) {
    if (username == null || password == null || password.length() > 4 * PasswordPolicy.MAX_LENGTH) {
      return Future.succeededFuture(Optional.empty());
    }
    return store
        .credentialsByUsername(pool, username)
        .compose(
            found ->
                blocking(
                    () -> {
                      if (found.isEmpty()) {
                        hasher.verifyNothing(password);
                        return found;
                      }
                      boolean ok = hasher.verify(password, found.get().passwordHash());
                      return ok && !found.get().member().disabled()
                          ? found
                          : Optional.<StaffStore.Credentials>empty();
                    }))
        .compose(
            ok ->
                ok.isPresent() && hasher.needsRehash(ok.get().passwordHash())
                    ? upgradeHash(ok.get(), password)
                        .map(v -> ok.map(StaffStore.Credentials::member))
                    : Future.succeededFuture(ok.map(StaffStore.Credentials::member)));
  }

  public Future<StaffMember> get(String staffId) {
    return store.byId(pool, staffId).map(found -> found.orElseThrow(StaffService::noSuchAccount));
  }

  public Future<Page<StaffMember>> list(Boolean disabled, int limit, String cursor) {
    String after;
    try {
      JsonObject position = Cursor.decode(cursor);
      after = position == null ? null : Cursor.stringAt(position, "u");
    } catch (InvalidInput e) {
      return Future.failedFuture(e);
    }
    // one extra row tells whether there is a next page without a count query
    return store
        .list(pool, disabled, after, limit + 1)
        .map(rows -> Page.of(rows, limit, StaffService::position));
  }

  private static JsonObject position(StaffMember last) {
    return new JsonObject().put("u", last.username().toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * Changes roles, password and/or the disabled flag. Any effective change ends the account's
   * current tokens ({@link StaffChange#tokensNotBefore}). Refused with 409 when it would leave no
   * active admin; concurrent changes are serialised so that two admins cannot demote each other
   * into having none.
   */
  public Future<StaffChange> update(String actorId, String staffId, StaffUpdate change) {
    InvalidInput.Builder errors = InvalidInput.builder();
    if (change.roles() != null) {
      checkRoles(errors, change.roles());
    }
    if (!errors.isEmpty()) {
      return failed(errors);
    }
    return get(staffId)
        .compose(
            current -> {
              if (change.password() == null) {
                return Future.succeededFuture((String) null);
              }
              InvalidInput.Builder passwordErrors = InvalidInput.builder();
              PasswordPolicy.check(
                  passwordErrors, "password", change.password(), current.username());
              return passwordErrors.isEmpty()
                  ? blocking(() -> hasher.hash(change.password()))
                  : failed(passwordErrors);
            })
        .compose(
            newHash ->
                pool.withTransaction(
                    tx ->
                        store
                            .lockAdminSet(tx)
                            .compose(v -> store.credentialsForUpdate(tx, staffId))
                            .compose(
                                found -> {
                                  if (found.isEmpty()) {
                                    return Future.failedFuture(noSuchAccount());
                                  }
                                  StaffMember before = found.get().member();
                                  List<String> roles =
                                      change.roles() == null
                                          ? before.roles()
                                          : sorted(change.roles());
                                  boolean disabled =
                                      change.disabled() == null
                                          ? before.disabled()
                                          : change.disabled();
                                  boolean changed =
                                      newHash != null
                                          || !roles.equals(before.roles())
                                          || disabled != before.disabled();
                                  if (!changed) {
                                    return Future.succeededFuture(new StaffChange(before, null));
                                  }
                                  boolean staysActiveAdmin =
                                      !disabled && roles.contains(StaffMember.ADMIN);
                                  Future<Void> allowed =
                                      before.isActiveAdmin() && !staysActiveAdmin
                                          ? store
                                              .otherActiveAdmins(tx, staffId)
                                              .compose(
                                                  n ->
                                                      n > 0
                                                          ? Future.<Void>succeededFuture()
                                                          : Future.failedFuture(
                                                              new DomainException.Conflict(
                                                                  "This is the last active admin account: make another admin before removing this one.")))
                                          : Future.succeededFuture();
                                  Instant now = now();
                                  return allowed
                                      .compose(
                                          v ->
                                              store.update(
                                                  tx, staffId, roles, newHash, disabled, now, now))
                                      .compose(
                                          m ->
                                              auditChanges(
                                                      tx, actorId, before, m, newHash != null, now)
                                                  .map(m))
                                      .map(m -> new StaffChange(m, now));
                                })))
        .onSuccess(
            c -> {
              if (c.tokensNotBefore() != null) {
                LOG.info(
                    "staff account {} updated by {}: roles {}, disabled {}, password {}",
                    staffId,
                    actorId,
                    c.member().roles(),
                    c.member().disabled(),
                    change.password() == null ? "unchanged" : "changed");
              }
            });
  }

  private Future<Void> auditChanges(
      io.vertx.sqlclient.SqlClient tx,
      String actorId,
      StaffMember before,
      StaffMember after,
      boolean password,
      Instant now) {
    // each change is its own audit row, in this order
    List<Map.Entry<String, JsonObject>> changes = new ArrayList<>();
    if (!before.roles().equals(after.roles())) {
      changes.add(Map.entry("roles", rolesDetail(before.roles(), after.roles())));
    }
    if (before.disabled() != after.disabled()) {
      changes.add(Map.entry(after.disabled() ? "disable" : "enable", new JsonObject()));
    }
    if (password) {
      changes.add(Map.entry("password", new JsonObject()));
    }
    Future<Void> done = Future.succeededFuture();
    for (Map.Entry<String, JsonObject> c : changes) {
      done = done.compose(v -> store.audit(tx, actorId, after.id(), c.getKey(), c.getValue(), now));
    }
    return done;
  }

  private static JsonObject rolesDetail(List<String> from, List<String> to) {
    JsonObject detail = new JsonObject().put("roles", new io.vertx.core.json.JsonArray(to));
    return from == null ? detail : detail.put("from", new io.vertx.core.json.JsonArray(from));
  }

  /**
   * Ends every console session of another account and refuses its current tokens, without changing
   * the account; answers the instant before which its tokens are refused.
   */
  public Future<Instant> endSessions(String actorId, String staffId) {
    Instant now = now();
    return pool.withTransaction(
            tx ->
                store
                    .endAllAccess(tx, staffId, now)
                    .compose(
                        found ->
                            found
                                ? store
                                    .audit(
                                        tx, actorId, staffId, "end_sessions", new JsonObject(), now)
                                    .map(now)
                                : Future.<Instant>failedFuture(noSuchAccount())))
        .onSuccess(v -> LOG.info("sessions of staff account {} ended by {}", staffId, actorId));
  }

  /**
   * One change to an account: who ({@code actorId}, null for the service itself), to whom, what,
   * when.
   */
  public record AuditEntry(
      String actorId,
      String staffId,
      String action,
      List<String> roles,
      List<String> rolesBefore,
      Instant at) {}

  /** Changes to accounts, newest first; only those by or to {@code staffId} when given. */
  public Future<Page<AuditEntry>> audit(String staffId, int limit, String cursor) {
    Instant beforeAt;
    Long beforeId;
    try {
      JsonObject position = Cursor.decode(cursor);
      beforeAt = position == null ? null : Instant.parse(Cursor.stringAt(position, "t"));
      beforeId = position == null ? null : Long.valueOf(Cursor.stringAt(position, "i"));
    } catch (InvalidInput | java.time.format.DateTimeParseException | NumberFormatException e) {
      return Future.failedFuture(InvalidInput.of("cursor", "is not a cursor this service issued"));
    }
    return store
        .auditPage(pool, staffId, beforeAt, beforeId, limit + 1)
        .map(rows -> Page.of(rows, limit, StaffService::auditPosition).map(StaffService::entry));
  }

  private static JsonObject auditPosition(StaffStore.AuditRow last) {
    return new JsonObject().put("t", last.at().toString()).put("i", Long.toString(last.id()));
  }

  private static AuditEntry entry(StaffStore.AuditRow r) {
    return new AuditEntry(
        r.actorId(),
        r.staffId(),
        r.action(),
        strings(r.detail().getJsonArray("roles")),
        strings(r.detail().getJsonArray("from")),
        r.at());
  }

  /**
   * The retention rule of the audit of account changes: two years, as the database also enforces.
   */
  public uk.gov.islington.youthsafety.content.common.Retention auditRetention() {
    return uk.gov.islington.youthsafety.content.common.Retention.of(
        "staff-audit", (p, now) -> store.purgeAudit(p, now.minus(java.time.Duration.ofDays(731))));
  }

  private static List<String> strings(io.vertx.core.json.JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).toList();
  }

  /**
   * Creates the first admin when there is no staff account at all; answers whether it did. Several
   * instances may start at once: an advisory lock and a NOT EXISTS insert let exactly one of them
   * create it, and a later start with the same settings changes nothing.
   */
  public Future<Boolean> ensureFirstAdmin(String username, String password) {
    InvalidInput.Builder errors = InvalidInput.builder();
    checkUsername(errors, username);
    PasswordPolicy.check(errors, "password", password, username);
    if (!errors.isEmpty()) {
      return failed(errors);
    }
    return store
        .anyStaff(pool)
        .compose(
            any ->
                any
                    ? Future.succeededFuture(false)
                    : blocking(() -> hasher.hash(password))
                        .compose(
                            hash ->
                                pool.withTransaction(
                                    tx ->
                                        store
                                            .lockBootstrap(tx)
                                            .compose(
                                                v ->
                                                    store.insertIfNoStaff(
                                                        tx,
                                                        UUID.randomUUID().toString(),
                                                        username,
                                                        hash,
                                                        List.of(StaffMember.ADMIN),
                                                        now())))));
  }

  public Future<Boolean> anyStaff() {
    return store.anyStaff(pool);
  }

  /**
   * Accounts whose tokens issued before the given instant are refused, for tokens newer than {@code
   * since}.
   */
  public Future<Map<String, Instant>> tokensNotBeforeSince(Instant since) {
    return store.tokensNotBeforeSince(pool, since);
  }

  private Future<Void> upgradeHash(StaffStore.Credentials credentials, String password) {
    return blocking(() -> hasher.hash(password))
        .compose(
            newHash ->
                store.rehash(pool, credentials.member().id(), credentials.passwordHash(), newHash))
        // the login itself succeeded; the upgrade is retried at the next one
        .recover(e -> Future.succeededFuture());
  }

  private static void checkUsername(InvalidInput.Builder errors, String username) {
    if (username == null) {
      errors.add("username", "is required");
    } else if (!USERNAME.matcher(username).matches()) {
      errors.add(
          "username",
          "must be 3 to 254 letters, digits or . _ @ + - and start with a letter or digit");
    }
  }

  private static void checkRoles(InvalidInput.Builder errors, List<String> roles) {
    if (roles == null || roles.isEmpty()) {
      errors.add("roles", "must name at least one role");
      return;
    }
    for (int i = 0; i < roles.size(); i++) {
      if (!StaffMember.ROLES.contains(roles.get(i))) {
        errors.add("roles[" + i + "]", "must be one of " + new TreeSet<>(StaffMember.ROLES));
      }
    }
  }

  private static List<String> sorted(List<String> roles) {
    return new ArrayList<>(new TreeSet<>(roles));
  }

  // PostgreSQL keeps microseconds: what we answer is then exactly what we stored
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private <T> Future<T> blocking(Callable<T> work) {
    // unordered: sign-ins of different people only wait for a free hashing thread
    return hashing.executeBlocking(work, false);
  }

  private static <T> Future<T> failed(InvalidInput.Builder errors) {
    try {
      errors.throwIfAny();
      throw new IllegalStateException("no errors");
    } catch (InvalidInput e) {
      return Future.failedFuture(e);
    }
  }

  private static boolean isUniqueViolation(Throwable e) {
    return e instanceof PgException pg && "23505".equals(pg.getSqlState());
  }

  static DomainException.NotFound noSuchAccount() {
    return new DomainException.NotFound("No staff account has this id.");
  }
}
