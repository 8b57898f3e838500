package uk.gov.islington.youthsafety.content.staff;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All SQL of staff accounts. Every method takes the client to run on: the pool, or a transaction.
 */
final class StaffStore {

  /** The LISTEN/NOTIFY channel told about token revocations; the payload is the staff id. */
  static final String REVOCATION_CHANNEL = "content_staff_tokens";

  // transaction-scoped advisory locks (keys are arbitrary but fixed: "ySTAFF01", "ySTAFF02")
  private static final long BOOTSTRAP_LOCK = 0x7953_5441_4646_3031L;
  private static final long ADMIN_SET_LOCK = 0x7953_5441_4646_3032L;

  private static final String COLUMNS = "id, username, roles, disabled, created_at, updated_at";

  /** A member with the hash that only the login and update paths ever see. */
  record Credentials(StaffMember member, String passwordHash) {}

  Future<StaffMember> insert(
      SqlClient db, String id, String username, String hash, List<String> roles, Instant now) {
    return db.preparedQuery(
            """
            INSERT INTO content.staff (id, username, password_hash, roles, disabled, created_at, updated_at)
            VALUES ($1, $2, $3, $4, false, $5, $5)
            RETURNING %s"""
                .formatted(COLUMNS))
        .execute(Tuple.of(id, username, hash, roles.toArray(String[]::new), at(now)))
        .map(rows -> member(rows.iterator().next()));
  }

  Future<Boolean> anyStaff(SqlClient db) {
    return db.query("SELECT EXISTS (SELECT 1 FROM content.staff) AS any")
        .execute()
        .map(rows -> rows.iterator().next().getBoolean("any"));
  }

  /** Serialises first-admin creation across instances starting at once; released at commit. */
  Future<Void> lockBootstrap(SqlClient tx) {
    return lock(tx, BOOTSTRAP_LOCK);
  }

  /**
   * Serialises changes that may remove an active admin, so two of them cannot both pass the check.
   */
  Future<Void> lockAdminSet(SqlClient tx) {
    return lock(tx, ADMIN_SET_LOCK);
  }

  /** Inserts the account only while there is no staff at all; answers whether it did. */
  Future<Boolean> insertIfNoStaff(
      SqlClient tx, String id, String username, String hash, List<String> roles, Instant now) {
    return tx.preparedQuery(
            """
            INSERT INTO content.staff (id, username, password_hash, roles, disabled, created_at, updated_at)
            SELECT $1, $2, $3, $4, false, $5, $5
             WHERE NOT EXISTS (SELECT 1 FROM content.staff)""")
        .execute(Tuple.of(id, username, hash, roles.toArray(String[]::new), at(now)))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<Optional<Credentials>> credentialsByUsername(SqlClient db, String username) {
    return db.preparedQuery(
            "SELECT "
                + COLUMNS
                + ", password_hash FROM content.staff WHERE lower(username) = lower($1)")
        .execute(Tuple.of(username))
        .map(StaffStore::credentials);
  }

  Future<Optional<Credentials>> credentialsForUpdate(SqlClient tx, String id) {
    return tx.preparedQuery(
            "SELECT " + COLUMNS + ", password_hash FROM content.staff WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(StaffStore::credentials);
  }

  Future<Optional<StaffMember>> byId(SqlClient db, String id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM content.staff WHERE id = $1")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(member(rows.iterator().next())));
  }

  Future<Long> otherActiveAdmins(SqlClient tx, String id) {
    return tx.preparedQuery(
            """
            SELECT count(*) AS n FROM content.staff
             WHERE id <> $1 AND NOT disabled AND 'admin' = ANY (roles)""")
        .execute(Tuple.of(id))
        .map(rows -> rows.iterator().next().getLong("n"));
  }

  /**
   * Writes the new state; a non-null {@code tokensNotBefore} also tells every instance (at commit).
   */
  Future<StaffMember> update(
      SqlClient tx,
      String id,
      List<String> roles,
      String newHash,
      boolean disabled,
      Instant now,
      Instant tokensNotBefore) {
    return tx.preparedQuery(
            """
            UPDATE content.staff
               SET roles = $2, password_hash = coalesce($3, password_hash), disabled = $4, updated_at = $5,
                   tokens_not_before = coalesce($6, tokens_not_before)
             WHERE id = $1
            RETURNING %s"""
                .formatted(COLUMNS))
        .execute(
            Tuple.of(
                id, roles.toArray(String[]::new), newHash, disabled, at(now), at(tokensNotBefore)))
        .compose(
            rows -> {
              StaffMember member = member(rows.iterator().next());
              if (tokensNotBefore == null) {
                return Future.succeededFuture(member);
              }
              return endAccess(tx, id).map(member);
            });
  }

  /**
   * Ends the account's console sessions and tells every instance to refuse its tokens (at commit).
   */
  Future<Void> endAccess(SqlClient tx, String id) {
    return tx.preparedQuery("DELETE FROM content.staff_sessions WHERE staff_id = $1")
        .execute(Tuple.of(id))
        .compose(
            v ->
                tx.preparedQuery("SELECT pg_notify($1, $2)")
                    .execute(Tuple.of(REVOCATION_CHANNEL, id)))
        .mapEmpty();
  }

  /**
   * Ends every console session of the account and refuses its tokens issued before {@code now};
   * false: no such account.
   */
  Future<Boolean> endAllAccess(SqlClient tx, String staffId, Instant now) {
    return tx.preparedQuery("UPDATE content.staff SET tokens_not_before = $2 WHERE id = $1")
        .execute(Tuple.of(staffId, at(now)))
        .compose(
            rows ->
                rows.rowCount() != 1
                    ? Future.succeededFuture(false)
                    : endAccess(tx, staffId).map(true));
  }

  // ---- the audit of account changes

  /** One change to an account, as the admins' audit view shows it. */
  record AuditRow(
      long id, String actorId, String staffId, String action, JsonObject detail, Instant at) {}

  Future<Void> audit(
      SqlClient tx, String actorId, String staffId, String action, JsonObject detail, Instant now) {
    return tx.preparedQuery(
            """
            INSERT INTO content.staff_audit (actor_id, staff_id, action, detail, at) VALUES ($1, $2, $3, $4, $5)""")
        .execute(Tuple.of(actorId, staffId, action, detail, at(now)))
        .mapEmpty();
  }

  /**
   * Newest first, before the position ({@code beforeAt}, {@code beforeId}) when given; only changes
   * by or to {@code staffId} when given.
   */
  Future<List<AuditRow>> auditPage(
      SqlClient db, String staffId, Instant beforeAt, Long beforeId, int limit) {
    return db.preparedQuery(
            """
            SELECT id, actor_id, staff_id, action, detail, at FROM content.staff_audit
             WHERE ($1::text IS NULL OR staff_id = $1 OR actor_id = $1)
               AND ($2::timestamptz IS NULL OR (at, id) < ($2, $3))
             ORDER BY at DESC, id DESC
             LIMIT $4""")
        .execute(Tuple.of(staffId, at(beforeAt), beforeId, limit))
        .map(
            rows -> {
              List<AuditRow> out = new ArrayList<>(rows.size());
              rows.forEach(
                  r ->
                      out.add(
                          new AuditRow(
                              r.getLong("id"),
                              r.getString("actor_id"),
                              r.getString("staff_id"),
                              r.getString("action"),
                              (JsonObject) r.getValue("detail"),
                              r.getOffsetDateTime("at").toInstant())));
              return out;
            });
  }

  Future<Integer> purgeAudit(SqlClient db, Instant before) {
    // the trigger refuses younger rows by the database's clock: leave them out rather than fail
    return db.preparedQuery(
            "DELETE FROM content.staff_audit WHERE at < $1 AND at < now() - interval '2 years'")
        .execute(Tuple.of(at(before)))
        .map(rows -> rows.rowCount());
  }

  // ---- second factor

  /** The sealed TOTP secret and the last step accepted, of an enrolled account. */
  record TotpRow(String keyId, byte[] secretCt, Long lastStep) {}

  Future<Optional<TotpRow>> totp(SqlClient db, String staffId) {
    return db.preparedQuery(
            """
            SELECT totp_key_id, totp_secret_ct, totp_last_step FROM content.staff
             WHERE id = $1 AND totp_secret_ct IS NOT NULL""")
        .execute(Tuple.of(staffId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              return Optional.of(
                  new TotpRow(r.getString(0), r.getBuffer(1).getBytes(), r.getLong(2)));
            });
  }

  /** Records {@code step} as used; false when it (or a later one) was used already: a replay. */
  Future<Boolean> useStep(SqlClient db, String staffId, long step) {
    return db.preparedQuery(
            """
            UPDATE content.staff SET totp_last_step = $2
             WHERE id = $1 AND totp_secret_ct IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)""")
        .execute(Tuple.of(staffId, step))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Marks an unused recovery code used; false when there is no such unused code. */
  Future<Boolean> useRecoveryCode(SqlClient db, String staffId, byte[] hash, Instant now) {
    return db.preparedQuery(
            """
            UPDATE content.staff_recovery_codes SET used_at = $3
             WHERE staff_id = $1 AND code_hash = $2 AND used_at IS NULL""")
        .execute(Tuple.of(staffId, Buffer.buffer(hash), at(now)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Enrols the account (only if it is not enrolled: two tabs cannot both enrol) with its codes. */
  Future<Boolean> enrol(
      SqlClient tx,
      String staffId,
      String keyId,
      byte[] secretCt,
      long step,
      List<byte[]> codeHashes,
      Instant now) {
    return tx.preparedQuery(
            """
            UPDATE content.staff SET totp_key_id = $2, totp_secret_ct = $3, totp_enrolled_at = $4, totp_last_step = $5
             WHERE id = $1 AND totp_secret_ct IS NULL""")
        .execute(Tuple.of(staffId, keyId, Buffer.buffer(secretCt), at(now), step))
        .compose(
            rows -> {
              if (rows.rowCount() != 1) {
                return Future.succeededFuture(false);
              }
              List<Tuple> batch =
                  codeHashes.stream().map(h -> Tuple.of(staffId, Buffer.buffer(h))).toList();
              return tx.preparedQuery(
                      "DELETE FROM content.staff_recovery_codes WHERE staff_id = $1")
                  .execute(Tuple.of(staffId))
                  .compose(
                      v ->
                          tx.preparedQuery(
                                  "INSERT INTO content.staff_recovery_codes (staff_id, code_hash) VALUES ($1, $2)")
                              .executeBatch(batch))
                  .map(true);
            });
  }

  /**
   * Removes the second factor and its recovery codes and ends the account's access; false when
   * there is no such account.
   */
  Future<Boolean> resetSecondFactor(SqlClient tx, String actorId, String staffId, Instant now) {
    return tx.preparedQuery(
            """
            UPDATE content.staff SET totp_key_id = NULL, totp_secret_ct = NULL, totp_enrolled_at = NULL,
                   totp_last_step = NULL, tokens_not_before = $2, updated_at = $2
             WHERE id = $1""")
        .execute(Tuple.of(staffId, at(now)))
        .compose(
            rows ->
                rows.rowCount() != 1
                    ? Future.succeededFuture(false)
                    : tx.preparedQuery(
                            "DELETE FROM content.staff_recovery_codes WHERE staff_id = $1")
                        .execute(Tuple.of(staffId))
                        .compose(v -> endAccess(tx, staffId))
                        .compose(
                            v ->
                                audit(
                                    tx,
                                    actorId,
                                    staffId,
                                    "reset_second_factor",
                                    new JsonObject(),
                                    now))
                        .map(true));
  }

  /** For each account id, its username and whether it has a second factor. */
  record Badge(String username, boolean enrolled) {}

  Future<Map<String, Badge>> badges(SqlClient db, List<String> ids) {
    return db.preparedQuery(
            """
            SELECT id, username, totp_secret_ct IS NOT NULL AS enrolled FROM content.staff WHERE id = ANY ($1)""")
        .execute(Tuple.of(ids.toArray(String[]::new)))
        .map(
            rows -> {
              Map<String, Badge> out = new HashMap<>();
              rows.forEach(
                  r ->
                      out.put(
                          r.getString("id"),
                          new Badge(r.getString("username"), r.getBoolean("enrolled"))));
              return out;
            });
  }

  // ---- console sessions

  Future<Void> insertSession(
      SqlClient db,
      byte[] idHash,
      String staffId,
      String stage,
      String csrf,
      String pendingKeyId,
      byte[] pendingCt,
      Instant now) {
    return db.preparedQuery(
            """
            INSERT INTO content.staff_sessions (id_hash, staff_id, stage, csrf_token, pending_key_id, pending_ct,
                                                created_at, last_seen_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7)""")
        .execute(
            Tuple.of(
                Buffer.buffer(idHash),
                staffId,
                stage,
                csrf,
                pendingKeyId,
                pendingCt == null ? null : Buffer.buffer(pendingCt),
                at(now)))
        .mapEmpty();
  }

  /**
   * The live session with this id hash, joined with its account as it is now (username, roles), its
   * last-seen time moved to {@code now}; empty when it is unknown, idle since before {@code
   * idleSince}, created before {@code createdSince}, or its account is disabled.
   */
  Future<Optional<StaffSessions.Session>> touchSession(
      SqlClient db, byte[] idHash, Instant now, Instant idleSince, Instant createdSince) {
    return db.preparedQuery(
            """
            UPDATE content.staff_sessions s SET last_seen_at = $2
              FROM content.staff st
             WHERE s.id_hash = $1 AND st.id = s.staff_id AND NOT st.disabled
               AND s.last_seen_at > $3 AND s.created_at > $4
            RETURNING s.staff_id, st.username, st.roles, s.stage, s.csrf_token, s.pending_key_id, s.pending_ct,
                      s.created_at""")
        .execute(Tuple.of(Buffer.buffer(idHash), at(now), at(idleSince), at(createdSince)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              String[] roles = r.getArrayOfStrings("roles");
              Buffer pending = r.getBuffer("pending_ct");
              return Optional.of(
                  new StaffSessions.Session(
                      r.getString("staff_id"),
                      r.getString("username"),
                      roles == null ? List.of() : Arrays.asList(roles),
                      r.getString("stage"),
                      r.getString("csrf_token"),
                      r.getString("pending_key_id"),
                      pending == null ? null : pending.getBytes(),
                      r.getOffsetDateTime("created_at").toInstant()));
            });
  }

  /**
   * Of these sessions, the live and fully signed-in ones (not marked as seen), with their account's
   * roles.
   */
  Future<Map<Buffer, List<String>>> activeSessionRoles(
      SqlClient db, List<Buffer> idHashes, Instant idleSince, Instant createdSince) {
    return db.preparedQuery(
            """
            SELECT s.id_hash, st.roles
              FROM content.staff_sessions s JOIN content.staff st ON st.id = s.staff_id
             WHERE s.id_hash = ANY($1) AND s.stage = 'active' AND NOT st.disabled
               AND s.last_seen_at > $2 AND s.created_at > $3""")
        .execute(Tuple.of(idHashes.toArray(Buffer[]::new), at(idleSince), at(createdSince)))
        .map(
            rows -> {
              Map<Buffer, List<String>> out = new HashMap<>();
              for (Row r : rows) {
                String[] roles = r.getArrayOfStrings("roles");
                out.put(r.getBuffer("id_hash"), roles == null ? List.of() : Arrays.asList(roles));
              }
              return out;
            });
  }

  /**
   * A session as the admins see it: its handle (the hash, which cannot be turned back into the
   * cookie) and times.
   */
  record SessionInfo(Buffer idHash, String stage, Instant createdAt, Instant lastSeenAt) {}

  /** The account's sessions still within both time-outs, newest first. */
  Future<List<SessionInfo>> sessionsOf(
      SqlClient db, String staffId, Instant idleSince, Instant createdSince) {
    return db.preparedQuery(
            """
            SELECT id_hash, stage, created_at, last_seen_at FROM content.staff_sessions
             WHERE staff_id = $1 AND last_seen_at > $2 AND created_at > $3
             ORDER BY created_at DESC""")
        .execute(Tuple.of(staffId, at(idleSince), at(createdSince)))
        .map(
            rows -> {
              List<SessionInfo> out = new ArrayList<>(rows.size());
              rows.forEach(
                  r ->
                      out.add(
                          new SessionInfo(
                              r.getBuffer("id_hash"),
                              r.getString("stage"),
                              r.getOffsetDateTime("created_at").toInstant(),
                              r.getOffsetDateTime("last_seen_at").toInstant())));
              return out;
            });
  }

  /** Deletes one session of the account; false when it had no such session (ended meanwhile). */
  Future<Boolean> deleteSessionOf(SqlClient db, String staffId, byte[] idHash) {
    return db.preparedQuery(
            "DELETE FROM content.staff_sessions WHERE staff_id = $1 AND id_hash = $2")
        .execute(Tuple.of(staffId, Buffer.buffer(idHash)))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<Void> deleteSession(SqlClient db, byte[] idHash) {
    return db.preparedQuery("DELETE FROM content.staff_sessions WHERE id_hash = $1")
        .execute(Tuple.of(Buffer.buffer(idHash)))
        .mapEmpty();
  }

  Future<Integer> purgeSessions(SqlClient db, Instant idleSince, Instant createdSince) {
    return db.preparedQuery(
            "DELETE FROM content.staff_sessions WHERE last_seen_at <= $1 OR created_at <= $2")
        .execute(Tuple.of(at(idleSince), at(createdSince)))
        .map(rows -> rows.rowCount());
  }

  /** Replaces a hash made with old parameters, unless the password changed meanwhile. */
  Future<Void> rehash(SqlClient db, String id, String oldHash, String newHash) {
    return db.preparedQuery(
            "UPDATE content.staff SET password_hash = $3 WHERE id = $1 AND password_hash = $2")
        .execute(Tuple.of(id, oldHash, newHash))
        .mapEmpty();
  }

  /** One page ordered by lower(username), after {@code afterUsername} (lower-cased) when given. */
  Future<List<StaffMember>> list(SqlClient db, Boolean disabled, String afterUsername, int limit) {
    return db.preparedQuery(
            """
            SELECT %s FROM content.staff
             WHERE ($1::boolean IS NULL OR disabled = $1)
               AND ($2::text IS NULL OR lower(username) > $2)
             ORDER BY lower(username)
             LIMIT $3"""
                .formatted(COLUMNS))
        .execute(Tuple.of(disabled, afterUsername, limit))
        .map(
            rows -> {
              List<StaffMember> out = new ArrayList<>(rows.size());
              rows.forEach(r -> out.add(member(r)));
              return out;
            });
  }

  Future<Map<String, Instant>> tokensNotBeforeSince(SqlClient db, Instant since) {
    return db.preparedQuery(
            "SELECT id, tokens_not_before FROM content.staff WHERE tokens_not_before > $1")
        .execute(Tuple.of(at(since)))
        .map(
            rows -> {
              Map<String, Instant> out = new HashMap<>();
              rows.forEach(
                  r ->
                      out.put(
                          r.getString("id"), r.getOffsetDateTime("tokens_not_before").toInstant()));
              return out;
            });
  }

  private static Future<Void> lock(SqlClient tx, long key) {
    return tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(key)).mapEmpty();
  }

  private static Optional<Credentials> credentials(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row r = rows.iterator().next();
    return Optional.of(new Credentials(member(r), r.getString("password_hash")));
  }

  private static StaffMember member(Row r) {
    String[] roles = r.getArrayOfStrings("roles");
    return new StaffMember(
        r.getString("id"),
        r.getString("username"),
        roles == null ? List.of() : Arrays.asList(roles),
        r.getBoolean("disabled"),
        r.getOffsetDateTime("created_at").toInstant(),
        r.getOffsetDateTime("updated_at").toInstant());
  }

  private static OffsetDateTime at(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
