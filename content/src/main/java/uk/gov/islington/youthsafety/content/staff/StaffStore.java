package uk.gov.islington.youthsafety.content.staff;

import io.vertx.core.Future;
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

/** All SQL of staff accounts. Every method takes the client to run on: the pool, or a transaction. */
final class StaffStore {

  /** The LISTEN/NOTIFY channel told about token revocations; the payload is the staff id. */
  static final String REVOCATION_CHANNEL = "content_staff_tokens";

  // transaction-scoped advisory locks (keys are arbitrary but fixed: "ySTAFF01", "ySTAFF02")
  private static final long BOOTSTRAP_LOCK = 0x7953_5441_4646_3031L;
  private static final long ADMIN_SET_LOCK = 0x7953_5441_4646_3032L;

  private static final String COLUMNS = "id, username, roles, disabled, created_at, updated_at";

  /** A member with the hash that only the login and update paths ever see. */
  record Credentials(StaffMember member, String passwordHash) {}

  Future<StaffMember> insert(SqlClient db, String id, String username, String hash, List<String> roles, Instant now) {
    return db.preparedQuery("""
            INSERT INTO content.staff (id, username, password_hash, roles, disabled, created_at, updated_at)
            VALUES ($1, $2, $3, $4, false, $5, $5)
            RETURNING %s""".formatted(COLUMNS))
        .execute(Tuple.of(id, username, hash, roles.toArray(String[]::new), at(now)))
        .map(rows -> member(rows.iterator().next()));
  }

  Future<Boolean> anyStaff(SqlClient db) {
    return db.query("SELECT EXISTS (SELECT 1 FROM content.staff) AS any").execute()
        .map(rows -> rows.iterator().next().getBoolean("any"));
  }

  /** Serialises first-admin creation across instances starting at once; released at commit. */
  Future<Void> lockBootstrap(SqlClient tx) {
    return lock(tx, BOOTSTRAP_LOCK);
  }

  /** Serialises changes that may remove an active admin, so two of them cannot both pass the check. */
  Future<Void> lockAdminSet(SqlClient tx) {
    return lock(tx, ADMIN_SET_LOCK);
  }

  /** Inserts the account only while there is no staff at all; answers whether it did. */
  Future<Boolean> insertIfNoStaff(SqlClient tx, String id, String username, String hash, List<String> roles,
                                  Instant now) {
    return tx.preparedQuery("""
            INSERT INTO content.staff (id, username, password_hash, roles, disabled, created_at, updated_at)
            SELECT $1, $2, $3, $4, false, $5, $5
             WHERE NOT EXISTS (SELECT 1 FROM content.staff)""")
        .execute(Tuple.of(id, username, hash, roles.toArray(String[]::new), at(now)))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<Optional<Credentials>> credentialsByUsername(SqlClient db, String username) {
    return db.preparedQuery("SELECT " + COLUMNS + ", password_hash FROM content.staff WHERE lower(username) = lower($1)")
        .execute(Tuple.of(username))
        .map(StaffStore::credentials);
  }

  Future<Optional<Credentials>> credentialsForUpdate(SqlClient tx, String id) {
    return tx.preparedQuery("SELECT " + COLUMNS + ", password_hash FROM content.staff WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(StaffStore::credentials);
  }

  Future<Optional<StaffMember>> byId(SqlClient db, String id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM content.staff WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(member(rows.iterator().next())));
  }

  Future<Long> otherActiveAdmins(SqlClient tx, String id) {
    return tx.preparedQuery("""
            SELECT count(*) AS n FROM content.staff
             WHERE id <> $1 AND NOT disabled AND 'admin' = ANY (roles)""")
        .execute(Tuple.of(id))
        .map(rows -> rows.iterator().next().getLong("n"));
  }

  /** Writes the new state; a non-null {@code tokensNotBefore} also tells every instance (at commit). */
  Future<StaffMember> update(SqlClient tx, String id, List<String> roles, String newHash, boolean disabled,
                             Instant now, Instant tokensNotBefore) {
    return tx.preparedQuery("""
            UPDATE content.staff
               SET roles = $2, password_hash = coalesce($3, password_hash), disabled = $4, updated_at = $5,
                   tokens_not_before = coalesce($6, tokens_not_before)
             WHERE id = $1
            RETURNING %s""".formatted(COLUMNS))
        .execute(Tuple.of(id, roles.toArray(String[]::new), newHash, disabled, at(now), at(tokensNotBefore)))
        .compose(rows -> {
          StaffMember member = member(rows.iterator().next());
          if (tokensNotBefore == null) {
            return Future.succeededFuture(member);
          }
          return tx.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(REVOCATION_CHANNEL, id))
              .map(member);
        });
  }

  /** Replaces a hash made with old parameters, unless the password changed meanwhile. */
  Future<Void> rehash(SqlClient db, String id, String oldHash, String newHash) {
    return db.preparedQuery("UPDATE content.staff SET password_hash = $3 WHERE id = $1 AND password_hash = $2")
        .execute(Tuple.of(id, oldHash, newHash))
        .mapEmpty();
  }

  /** One page ordered by lower(username), after {@code afterUsername} (lower-cased) when given. */
  Future<List<StaffMember>> list(SqlClient db, Boolean disabled, String afterUsername, int limit) {
    return db.preparedQuery("""
            SELECT %s FROM content.staff
             WHERE ($1::boolean IS NULL OR disabled = $1)
               AND ($2::text IS NULL OR lower(username) > $2)
             ORDER BY lower(username)
             LIMIT $3""".formatted(COLUMNS))
        .execute(Tuple.of(disabled, afterUsername, limit))
        .map(rows -> {
          List<StaffMember> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(member(r)));
          return out;
        });
  }

  Future<Map<String, Instant>> tokensNotBeforeSince(SqlClient db, Instant since) {
    return db.preparedQuery("SELECT id, tokens_not_before FROM content.staff WHERE tokens_not_before > $1")
        .execute(Tuple.of(at(since)))
        .map(rows -> {
          Map<String, Instant> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getString("id"), r.getOffsetDateTime("tokens_not_before").toInstant()));
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
    return new StaffMember(r.getString("id"), r.getString("username"), roles == null ? List.of() : Arrays.asList(roles),
        r.getBoolean("disabled"), r.getOffsetDateTime("created_at").toInstant(),
        r.getOffsetDateTime("updated_at").toInstant());
  }

  private static OffsetDateTime at(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
