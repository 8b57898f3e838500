package uk.gov.islington.youthsafety.content.common;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import uk.gov.islington.youthsafety.common.Digests;

/**
 * The Idempotency-Key of every creating operation, after the IETF draft "The Idempotency-Key HTTP
 * Header Field": a missing key is a 400 naming it, the same key with the same request answers the
 * first answer again, the same key with another request is a 422 ({@link KeyReused}), and a
 * duplicate sent while the first is in flight waits for it, then gets its answer.
 *
 * <p>The wait comes from PostgreSQL: {@link #claim} inserts the key in the transaction that creates
 * the thing, so a concurrent insert of the same key blocks on the unique index until the first
 * commits (then reads its row) or rolls back (then claims the key itself). Nothing is checked
 * before it is inserted, so however many identical requests race, one record results.
 *
 * <p>Rows carry the day only and are deleted whole days at a time ({@link #retention}), so a row
 * never dates a report more precisely than the report does (docs/privacy.md).
 */
public final class Idempotency {

  public static final String HEADER = "Idempotency-Key";

  /** The first answer's day is a London date, as the reports' own dates are. */
  private static final ZoneId DAYS = ZoneId.of("Europe/London");

  /**
   * What a request claims. {@code keyHash} is {@link #keyHash} of the key, or for a scope whose
   * keys must not be confirmable from a copy of the database a keyed hash; {@code requestHash}
   * tells "the same request again" from "another request". {@code resultId} names what the request
   * creates; {@code answerKeyId}/{@code answerCt} hold a sealed first answer where it cannot be
   * rebuilt from the result (both null otherwise).
   */
  public record Claim(
      String scope,
      byte[] keyHash,
      byte[] requestHash,
      String resultId,
      String answerKeyId,
      byte[] answerCt) {

    public static Claim of(String scope, byte[] keyHash, byte[] requestHash, String resultId) {
      return new Claim(scope, keyHash, requestHash, resultId, null, null);
    }

    /**
     * A claim for a request that is its JSON body as received, with a key that is not scoped to
     * whoever sent it ({@link Idempotency#keyHash} with owner "").
     */
    public static Claim ofBody(String scope, String key, JsonObject body, String resultId) {
      return of(scope, Idempotency.keyHash("", key), Digests.sha256(body.encode()), resultId);
    }
  }

  /**
   * What the first request with this key recorded: the id it created, and its sealed answer if any.
   */
  public record First(String resultId, String answerKeyId, byte[] answerCt) {}

  /**
   * The same Idempotency-Key with another request: one problem type and one wording everywhere
   * (422).
   */
  public static final class KeyReused extends DomainException {
    public KeyReused() {
      super(
          "This Idempotency-Key was already used with a different request. Use a new key for a new request.");
    }
  }

  private static final String COLUMNS =
      "scope, key_hash, request_hash, result_id, answer_key_id, answer_ct, created_on";
  private static final String INSERT =
      "INSERT INTO content.idempotency_keys ("
          + COLUMNS
          + ")"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (scope, key_hash) DO NOTHING";
  private static final String FIRST =
      "SELECT request_hash, result_id, answer_key_id, answer_ct"
          + " FROM content.idempotency_keys WHERE scope = $1 AND key_hash = $2";
  private static final String PURGE = "DELETE FROM content.idempotency_keys WHERE created_on < $1";
  private static final String RECORD_ANSWER =
      "UPDATE content.idempotency_keys SET answer_ct = $3 WHERE scope = $1 AND key_hash = $2 AND answer_key_id IS NULL";

  /**
   * How many parameters ($1 … $n) {@link #claimingStatement} takes before the dependent
   * statement's.
   */
  public static final int CLAIM_PARAMETERS = 7;

  private final Clock clock;

  public Idempotency(Clock clock) {
    this.clock = clock;
  }

  /** The key, or a 400 naming the header when it is missing or blank. */
  public static String requireKey(String key) {
    if (key == null || key.isBlank()) {
      throw InvalidInput.of(HEADER, "is required");
    }
    return key;
  }

  /**
   * SHA-256 of ("create", owner, key): {@code owner} scopes the key to whoever sent it (a staff
   * id), or is "" where the key alone identifies the request (public operations).
   */
  public static byte[] keyHash(String owner, String key) {
    return Digests.sha256("create\0" + owner + "\0" + requireKey(key));
  }

  /**
   * Claims the key inside {@code tx}, the transaction that then creates the result. Empty: this
   * request is the first, go on and create it. Present: the first request's record (after waiting
   * for it to commit, if it was in flight). Fails with {@link KeyReused} when the first request was
   * a different one.
   */
  public Future<Optional<First>> claim(SqlClient tx, Claim claim) {
    return tx.preparedQuery(INSERT)
        .execute(parameters(claim))
        .compose(
            inserted ->
                inserted.rowCount() == 1
                    ? Future.succeededFuture(Optional.<First>empty())
                    : first(tx, claim).map(Optional::of));
  }

  /**
   * Creates the result once per key, in a transaction of its own that claims the key and creates
   * the result together: the first request {@code create}s it, a replay {@code read}s what the
   * first one created (by its result id). {@code answer} pairs the result with whether it was a
   * replay.
   */
  public <T, R> Future<R> once(
      Pool pool,
      Claim claim,
      Function<SqlConnection, Future<T>> create,
      BiFunction<SqlConnection, String, Future<T>> read,
      BiFunction<T, Boolean, R> answer) {
    return pool.withTransaction(
        tx ->
            claim(tx, claim)
                .compose(
                    first ->
                        first.isEmpty()
                            ? create.apply(tx).map(created -> answer.apply(created, false))
                            : read.apply(tx, first.get().resultId())
                                .map(found -> answer.apply(found, true))));
  }

  /**
   * The claim and a dependent insert in one statement, for a hot path where the round trips of a
   * transaction count: {@code dependent} is an {@code INSERT … SELECT … FROM claimed} (one row,
   * {@code claimed.result_id}, when this request is the first, none otherwise) whose own parameters
   * start at ${@value #CLAIM_PARAMETERS} + 1. The statement answers one row with {@code inserted}:
   * 1 when the dependent row was written; 0 then means call {@link #first}.
   */
  public static String claimingStatement(String dependent) {
    return "WITH claimed AS ("
        + INSERT
        + " RETURNING result_id),\n dependent AS ("
        + dependent
        + " RETURNING 1)\nSELECT count(*) AS inserted FROM dependent";
  }

  /**
   * The parameters $1 … ${@value #CLAIM_PARAMETERS} of a claim; $7 is its day, for a dependent
   * row's own date.
   */
  public Tuple parameters(Claim c) {
    return Tuple.tuple(
        Arrays.asList(
            c.scope(),
            Buffer.buffer(c.keyHash()),
            Buffer.buffer(c.requestHash()),
            c.resultId(),
            c.answerKeyId(),
            c.answerCt() == null ? null : Buffer.buffer(c.answerCt()),
            today()));
  }

  /**
   * Keeps the first answer in clear, in the transaction that claimed the key, where it can neither
   * be rebuilt from one created id nor holds anything about a person (an import's summary). A
   * duplicate in flight waits for the commit, so it reads the answer, never the claim without it.
   */
  public Future<Void> recordAnswer(SqlClient tx, Claim claim, byte[] answer) {
    return tx.preparedQuery(RECORD_ANSWER)
        .execute(Tuple.of(claim.scope(), Buffer.buffer(claim.keyHash()), Buffer.buffer(answer)))
        .mapEmpty();
  }

  /**
   * The first request's record for a key known to be claimed; {@link KeyReused} when it was another
   * request.
   */
  public Future<First> first(SqlClient db, Claim claim) {
    return db.preparedQuery(FIRST)
        .execute(Tuple.of(claim.scope(), Buffer.buffer(claim.keyHash())))
        .map(
            rows -> {
              Row r = rows.iterator().next();
              if (!MessageDigest.isEqual(
                  r.getBuffer("request_hash").getBytes(), claim.requestHash())) {
                throw new KeyReused();
              }
              Buffer answer = r.getBuffer("answer_ct");
              return new First(
                  r.getString("result_id"),
                  r.getString("answer_key_id"),
                  answer == null ? null : answer.getBytes());
            });
  }

  /** The day a claim made now is dated. */
  public LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), DAYS);
  }

  /**
   * The one retention rule of every scope: a key answers retries for at least {@code keep} and goes
   * with the rest of its day ({@link Retention#daysBefore}).
   */
  public static Retention retention(Duration keep) {
    return Retention.of(
        "idempotency-keys",
        (pool, now) ->
            pool.preparedQuery(PURGE)
                .execute(Tuple.of(Retention.daysBefore(now, keep, DAYS)))
                .map(RowSet::rowCount));
  }
}
