package uk.gov.islington.youthsafety.content.bulletins;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import uk.gov.islington.youthsafety.content.reports.ReportCrypto;

/** All SQL of bulletin e-mail subscriptions and the bulletin e-mails sent to them. */
final class EmailSubscriptionStore {

  /** A subscriber row as stored (the address still sealed). */
  record Subscriber(
      String id,
      byte[] addressHash,
      String addressPepperId,
      String addressKeyId,
      byte[] addressSealed,
      List<String> audiences,
      List<String> areas,
      String frequency,
      byte[] linkNonce,
      byte[] confirmNonce,
      Instant confirmExpiresAt,
      Instant confirmationSentAt,
      Instant confirmedAt,
      int bounces,
      Instant undeliverableAt) {

    boolean confirmed() {
      return confirmedAt != null;
    }
  }

  /** What a new sign-up stores. */
  record NewSubscriber(
      String id,
      byte[] addressHash,
      String addressPepperId,
      String addressKeyId,
      byte[] addressSealed,
      Preferences preferences,
      byte[] linkNonce,
      byte[] confirmNonce,
      Instant confirmExpiresAt,
      Instant now) {}

  /**
   * A bulletin e-mail about to be composed: its state, the bulletin and the subscriber (null once
   * gone).
   */
  record BulletinEmail(
      long id, String state, Instant createdAt, String bulletinId, Subscriber subscriber) {}

  /**
   * A row's address hashed under the current pepper (and sealed under the current key), replacing
   * the values it was read with.
   */
  record Rekeyed(
      String id,
      byte[] oldHash,
      byte[] oldSealed,
      byte[] hash,
      String pepperId,
      String keyId,
      byte[] sealed) {}

  /** The e-mail side of getBulletinDelivery. */
  record Counts(int targeted, int sent, int undeliverable, int skipped, int pending) {}

  private static final String COLUMNS =
      """
      s.id, s.address_hash, s.address_pepper_id, s.address_key_id, s.address_sealed, s.audiences, s.areas,
      s.frequency, s.link_nonce, s.confirm_nonce, s.confirm_expires_at, s.confirmation_sent_at, s.confirmed_at,
      s.bounces, s.undeliverable_at""";

  // the address under every configured pepper; more than one row is the same address signed up
  // twice across a rotation: the row to keep comes first (the earliest confirmed, else the latest
  // sign-up)
  private static final String BY_HASHES_FOR_UPDATE =
      "SELECT "
          + COLUMNS
          + """
       FROM content.email_subscribers s WHERE s.address_hash = ANY($1)
      ORDER BY s.confirmed_at IS NULL, s.confirmed_at, s.requested_at DESC, s.id
        FOR UPDATE
      """;

  private static final String REKEY =
      """
      UPDATE content.email_subscribers
         SET address_hash = $2, address_pepper_id = $3, address_key_id = $4, address_sealed = $5
       WHERE id = $1
      """;

  private static final String DELETE_DUPLICATE =
      "DELETE FROM content.email_subscribers WHERE id = $1";

  private static final String NOT_CURRENT =
      "SELECT "
          + COLUMNS
          + """
       FROM content.email_subscribers s
      WHERE (s.address_pepper_id IS DISTINCT FROM $1 OR s.address_key_id <> $2) AND s.id > $3
      ORDER BY s.id LIMIT $4
      """;

  // only where the row still holds what it was read with (another instance may be at the same rows:
  // those it holds are skipped, not waited for), and never onto a hash another row has
  private static final String REKEY_BATCH =
      """
      WITH u AS (SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::bytea[], $5::text[], $6::text[],
                                      $7::bytea[])
                         AS u(id, old_hash, old_sealed, hash, pepper_id, key_id, sealed)),
           free AS (SELECT s.id FROM content.email_subscribers s JOIN u ON u.id = s.id
                     ORDER BY s.id FOR UPDATE OF s SKIP LOCKED)
      UPDATE content.email_subscribers s
         SET address_hash = u.hash, address_pepper_id = u.pepper_id, address_key_id = u.key_id,
             address_sealed = u.sealed
        FROM u JOIN free ON free.id = u.id
       WHERE s.id = u.id AND s.address_hash = u.old_hash AND s.address_sealed = u.old_sealed
         AND NOT EXISTS (SELECT 1 FROM content.email_subscribers o WHERE o.address_hash = u.hash AND o.id <> u.id)
      RETURNING s.id
      """;

  private static final String BY_ID =
      "SELECT " + COLUMNS + " FROM content.email_subscribers s WHERE s.id = $1";

  private static final String INSERT =
      """
      INSERT INTO content.email_subscribers (id, address_hash, address_pepper_id, address_key_id, address_sealed,
                                             audiences, areas, frequency, link_nonce, confirm_nonce,
                                             confirm_expires_at, confirmation_sent_at, requested_at)
      VALUES ($1, $2, $3, $4, $5, $6::text[], $7::text[], $8, $9, $10, $11, $12, $12)
      ON CONFLICT (address_hash) DO NOTHING
      """;

  private static final String RENEW_CONFIRMATION =
      """
      UPDATE content.email_subscribers
         SET audiences = $2::text[], areas = $3::text[], frequency = $4, confirm_nonce = $5, confirm_expires_at = $6,
             confirmation_sent_at = $7, requested_at = $7
       WHERE id = $1 AND confirmed_at IS NULL
      """;

  private static final String REMINDER_SENT =
      "UPDATE content.email_subscribers SET confirmation_sent_at = $2 WHERE id = $1";

  private static final String CONFIRM =
      """
      UPDATE content.email_subscribers
         SET confirmed_at = COALESCE(confirmed_at, $2), confirm_nonce = NULL, confirm_expires_at = NULL
       WHERE id = $1 AND confirm_nonce = $3
      """;

  private static final String UPDATE_PREFERENCES =
      """
      UPDATE content.email_subscribers SET audiences = $2::text[], areas = $3::text[], frequency = $4
       WHERE id = $1 AND link_nonce = $5 AND confirmed_at IS NOT NULL
      """;

  private static final String DELETE =
      "DELETE FROM content.email_subscribers WHERE id = $1 AND link_nonce = $2";

  private static final String PURGE_UNCONFIRMED =
      "DELETE FROM content.email_subscribers WHERE confirmed_at IS NULL AND requested_at < $1";

  // the snapshot of a bulletin's e-mail subscribers, as its push targets phones: any of its
  // audiences, and (when it has areas) any of its areas or the whole borough
  private static final String START_BULLETIN =
      """
      INSERT INTO content.bulletin_emails (bulletin_id, subscriber_id, created_at)
      SELECT $1, s.id, $4 FROM content.email_subscribers s
       WHERE s.confirmed_at IS NOT NULL AND s.frequency = 'each'
         AND s.audiences && $2::text[]
         AND (cardinality($3::text[]) = 0 OR cardinality(s.areas) = 0 OR s.areas && $3::text[])
      ORDER BY s.id
      ON CONFLICT (bulletin_id, subscriber_id) DO NOTHING
      RETURNING id
      """;

  private static final String BULLETIN_EMAIL =
      "SELECT e.id AS email_id, e.state AS email_state, "
          + "e.created_at AS email_created_at, e.bulletin_id, "
          + COLUMNS
          + """
       FROM content.bulletin_emails e LEFT JOIN content.email_subscribers s ON s.id = e.subscriber_id
      WHERE e.id = $1
      """;

  private static final String FINISH_EMAIL =
      """
      UPDATE content.bulletin_emails SET state = $2, finished_at = $3 WHERE id = $1 AND state = 'pending'
      RETURNING subscriber_id
      """;

  // one round trip for the common case: the e-mail went, and its subscriber's bounces (if any) are
  // forgiven
  private static final String EMAIL_SENT =
      """
      WITH done AS (UPDATE content.bulletin_emails SET state = 'sent', finished_at = $2
                     WHERE id = ANY($1::bigint[]) AND state = 'pending' RETURNING subscriber_id)
      UPDATE content.email_subscribers s SET bounces = 0, undeliverable_at = NULL
        FROM done WHERE s.id = done.subscriber_id AND s.bounces > 0
      """;

  private static final String BOUNCED =
      """
      UPDATE content.email_subscribers SET bounces = LEAST(bounces + 1, 3), undeliverable_at = $2 WHERE id = $1
      RETURNING bounces
      """;

  private static final String DELETE_BOUNCED =
      "DELETE FROM content.email_subscribers WHERE id = $1 AND bounces >= 3";

  private static final String COUNTS =
      """
      SELECT count(*) AS targeted,
             count(*) FILTER (WHERE state = 'sent') AS sent,
             count(*) FILTER (WHERE state = 'undeliverable') AS undeliverable,
             count(*) FILTER (WHERE state = 'skipped') AS skipped,
             count(*) FILTER (WHERE state = 'pending') AS pending
        FROM content.bulletin_emails WHERE bulletin_id = $1
      """;

  private static final String FORGET_FINISHED =
      """
      UPDATE content.bulletin_emails SET subscriber_id = NULL
       WHERE subscriber_id IS NOT NULL AND state <> 'pending' AND finished_at < $1
      """;

  private static final String DIGEST_CLAIM =
      """
      INSERT INTO content.email_digests (week_start, queued_at) VALUES ($1, $2) ON CONFLICT (week_start) DO NOTHING
      """;

  private static final String DIGEST_SUBSCRIBERS =
      """
      SELECT s.id FROM content.email_subscribers s
       WHERE s.confirmed_at IS NOT NULL AND s.frequency = 'weekly'
         AND EXISTS (SELECT 1 FROM content.bulletins b
                      WHERE b.state IN ('sending', 'sent') AND b.published_at >= $1 AND b.published_at < $2
                        AND b.audiences && s.audiences
                        AND (cardinality(b.areas) = 0 OR cardinality(s.areas) = 0 OR b.areas && s.areas))
       ORDER BY s.id
      """;

  private static final String DIGEST_COUNT =
      "UPDATE content.email_digests SET subscribers = $2 WHERE week_start = $1";

  EmailSubscriptionStore() {}

  /** Claims a week's digest; false when it was queued before (by any instance). */
  Future<Boolean> claimDigest(SqlClient tx, java.time.LocalDate weekStart, Instant now) {
    return tx.preparedQuery(DIGEST_CLAIM)
        .execute(Tuple.of(weekStart, utc(now)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Weekly subscribers with at least one bulletin for them published in [from, to). */
  Future<List<String>> digestSubscribers(SqlClient tx, Instant from, Instant to) {
    return tx.preparedQuery(DIGEST_SUBSCRIBERS)
        .execute(Tuple.of(utc(from), utc(to)))
        .map(
            rows -> {
              List<String> ids = new ArrayList<>(rows.size());
              rows.forEach(r -> ids.add(r.getString(0)));
              return ids;
            });
  }

  Future<Void> digestQueued(SqlClient tx, java.time.LocalDate weekStart, int subscribers) {
    return tx.preparedQuery(DIGEST_COUNT).execute(Tuple.of(weekStart, subscribers)).mapEmpty();
  }

  private static List<Subscriber> subscribers(RowSet<Row> rows) {
    List<Subscriber> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(subscriber(r)));
    return out;
  }

  /** The rows of an address, by its hash under each pepper; the one to keep first. */
  Future<List<Subscriber>> byHashesForUpdate(SqlClient tx, List<byte[]> hashes) {
    return tx.preparedQuery(BY_HASHES_FOR_UPDATE)
        .execute(Tuple.tuple().addArrayOfBuffer(buffers(hashes.stream())))
        .map(EmailSubscriptionStore::subscribers);
  }

  /** In the transaction that holds the row (byHashesForUpdate). */
  Future<Void> rekey(SqlClient tx, String id, byte[] hash, String pepperId, ReportCrypto.Sealed s) {
    return tx.preparedQuery(REKEY)
        .execute(Tuple.of(id, Buffer.buffer(hash), pepperId, s.keyId(), Buffer.buffer(s.bytes())))
        .mapEmpty();
  }

  Future<Void> deleteDuplicate(SqlClient tx, String id) {
    return tx.preparedQuery(DELETE_DUPLICATE).execute(Tuple.of(id)).mapEmpty();
  }

  /** Up to {@code limit} rows after {@code afterId} (by id) not under this pepper or this key. */
  Future<List<Subscriber>> notCurrent(
      SqlClient db, String pepperId, String keyId, String afterId, int limit) {
    return db.preparedQuery(NOT_CURRENT)
        .execute(Tuple.of(pepperId, keyId, afterId, limit))
        .map(EmailSubscriptionStore::subscribers);
  }

  /**
   * Rekeys rows that still hold what they were read with; the ids done. Fails on a unique violation
   * when a sign-up inserted one of the new hashes meanwhile.
   */
  Future<Set<String>> rekeyBatch(SqlClient db, List<Rekeyed> rows) {
    Tuple t =
        Tuple.tuple()
            .addArrayOfString(rows.stream().map(Rekeyed::id).toArray(String[]::new))
            .addArrayOfBuffer(buffers(rows.stream().map(Rekeyed::oldHash)))
            .addArrayOfBuffer(buffers(rows.stream().map(Rekeyed::oldSealed)))
            .addArrayOfBuffer(buffers(rows.stream().map(Rekeyed::hash)))
            .addArrayOfString(rows.stream().map(Rekeyed::pepperId).toArray(String[]::new))
            .addArrayOfString(rows.stream().map(Rekeyed::keyId).toArray(String[]::new))
            .addArrayOfBuffer(buffers(rows.stream().map(Rekeyed::sealed)));
    return db.preparedQuery(REKEY_BATCH)
        .execute(t)
        .map(
            done -> {
              Set<String> ids = new HashSet<>();
              done.forEach(r -> ids.add(r.getString(0)));
              return ids;
            });
  }

  private static Buffer[] buffers(Stream<byte[]> values) {
    return values.map(Buffer::buffer).toArray(Buffer[]::new);
  }

  Future<Optional<Subscriber>> byId(SqlClient db, String id) {
    return db.preparedQuery(BY_ID).execute(Tuple.of(id)).map(EmailSubscriptionStore::first);
  }

  Future<Optional<Subscriber>> byIdForUpdate(SqlClient tx, String id) {
    return tx.preparedQuery(BY_ID + " FOR UPDATE")
        .execute(Tuple.of(id))
        .map(EmailSubscriptionStore::first);
  }

  /** False when the address was inserted meanwhile by a concurrent sign-up. */
  Future<Boolean> insert(SqlClient tx, NewSubscriber n) {
    Preferences p = n.preferences();
    Tuple t =
        Tuple.tuple()
            .addString(n.id())
            .addBuffer(Buffer.buffer(n.addressHash()))
            .addString(n.addressPepperId())
            .addString(n.addressKeyId())
            .addBuffer(Buffer.buffer(n.addressSealed()))
            .addArrayOfString(p.audiences().toArray(String[]::new))
            .addArrayOfString(p.areas().toArray(String[]::new))
            .addString(p.frequency())
            .addBuffer(Buffer.buffer(n.linkNonce()))
            .addBuffer(Buffer.buffer(n.confirmNonce()))
            .addOffsetDateTime(utc(n.confirmExpiresAt()))
            .addOffsetDateTime(utc(n.now()));
    return tx.preparedQuery(INSERT).execute(t).map(rows -> rows.rowCount() == 1);
  }

  Future<Void> renewConfirmation(
      SqlClient tx, String id, Preferences p, byte[] nonce, Instant expires, Instant now) {
    Tuple t =
        idAndPreferences(id, p)
            .addBuffer(Buffer.buffer(nonce))
            .addOffsetDateTime(utc(expires))
            .addOffsetDateTime(utc(now));
    return tx.preparedQuery(RENEW_CONFIRMATION).execute(t).mapEmpty();
  }

  /** $1 to $4 of the statements that set a subscriber's preferences: its id, then the choices. */
  private static Tuple idAndPreferences(String id, Preferences p) {
    return Tuple.tuple()
        .addString(id)
        .addArrayOfString(p.audiences().toArray(String[]::new))
        .addArrayOfString(p.areas().toArray(String[]::new))
        .addString(p.frequency());
  }

  Future<Void> reminderSent(SqlClient tx, String id, Instant now) {
    return tx.preparedQuery(REMINDER_SENT).execute(Tuple.of(id, utc(now))).mapEmpty();
  }

  /** Confirms with the nonce the link was made from; false if it is no longer the current one. */
  Future<Boolean> confirm(SqlClient tx, String id, byte[] nonce, Instant now) {
    return tx.preparedQuery(CONFIRM)
        .execute(Tuple.of(id, utc(now), Buffer.buffer(nonce)))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<Boolean> updatePreferences(SqlClient db, String id, byte[] linkNonce, Preferences p) {
    Tuple t = idAndPreferences(id, p).addBuffer(Buffer.buffer(linkNonce));
    return db.preparedQuery(UPDATE_PREFERENCES).execute(t).map(rows -> rows.rowCount() == 1);
  }

  Future<Boolean> delete(SqlClient db, String id, byte[] linkNonce) {
    return db.preparedQuery(DELETE)
        .execute(Tuple.of(id, Buffer.buffer(linkNonce)))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<Integer> purgeUnconfirmed(SqlClient db, Instant requestedBefore) {
    return db.preparedQuery(PURGE_UNCONFIRMED)
        .execute(Tuple.of(utc(requestedBefore)))
        .map(RowSet::rowCount);
  }

  Future<List<Long>> startBulletin(SqlClient tx, Bulletin b, Instant now) {
    return tx.preparedQuery(START_BULLETIN)
        .execute(
            Tuple.of(
                b.id(),
                b.audiences().toArray(String[]::new),
                b.areas().toArray(String[]::new),
                utc(now)))
        .map(
            rows -> {
              List<Long> ids = new ArrayList<>(rows.size());
              rows.forEach(r -> ids.add(r.getLong("id")));
              return ids;
            });
  }

  Future<Optional<BulletinEmail>> bulletinEmail(SqlClient db, long id) {
    return db.preparedQuery(BULLETIN_EMAIL)
        .execute(Tuple.of(id))
        .map(rows -> first(rows, EmailSubscriptionStore::bulletinEmail));
  }

  private static BulletinEmail bulletinEmail(Row r) {
    return new BulletinEmail(
        r.getLong("email_id"),
        r.getString("email_state"),
        instant(r, "email_created_at"),
        r.getString("bulletin_id"),
        r.getString("id") == null ? null : subscriber(r));
  }

  /** Moves a pending e-mail to its outcome; the subscriber it went to, if it was still pending. */
  Future<Optional<String>> finishEmail(SqlClient db, long id, String state, Instant now) {
    return db.preparedQuery(FINISH_EMAIL)
        .execute(Tuple.of(id, state, utc(now)))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.ofNullable(rows.iterator().next().getString(0)));
  }

  /**
   * Pending bulletin e-mails went: they are sent, and their subscribers have no bounces any more.
   */
  Future<Void> emailsSent(SqlClient db, List<Long> ids, Instant now) {
    return db.preparedQuery(EMAIL_SENT)
        .execute(Tuple.tuple().addArrayOfLong(ids.toArray(Long[]::new)).addOffsetDateTime(utc(now)))
        .mapEmpty();
  }

  /** Counts a permanent refusal; deletes the subscriber at the third. True when it was deleted. */
  Future<Boolean> bounced(SqlClient tx, String subscriberId, Instant now) {
    return tx.preparedQuery(BOUNCED)
        .execute(Tuple.of(subscriberId, utc(now)))
        .compose(
            rows -> {
              if (rows.size() == 0 || rows.iterator().next().getInteger(0) < 3) {
                return Future.succeededFuture(false);
              }
              return tx.preparedQuery(DELETE_BOUNCED)
                  .execute(Tuple.of(subscriberId))
                  .map(d -> d.rowCount() == 1);
            });
  }

  Future<Counts> counts(SqlClient db, String bulletinId) {
    return db.preparedQuery(COUNTS)
        .execute(Tuple.of(bulletinId))
        .map(
            rows -> {
              Row r = rows.iterator().next();
              return new Counts(
                  r.getInteger("targeted"),
                  r.getInteger("sent"),
                  r.getInteger("undeliverable"),
                  r.getInteger("skipped"),
                  r.getInteger("pending"));
            });
  }

  Future<Integer> forgetFinished(SqlClient db, Instant finishedBefore) {
    return db.preparedQuery(FORGET_FINISHED)
        .execute(Tuple.of(utc(finishedBefore)))
        .map(RowSet::rowCount);
  }

  private static Optional<Subscriber> first(RowSet<Row> rows) {
    return first(rows, EmailSubscriptionStore::subscriber);
  }

  private static <T> Optional<T> first(RowSet<Row> rows, Function<Row, T> map) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(map.apply(rows.iterator().next()));
  }

  private static Subscriber subscriber(Row r) {
    return new Subscriber(
        r.getString("id"),
        bytes(r, "address_hash"),
        r.getString("address_pepper_id"),
        r.getString("address_key_id"),
        bytes(r, "address_sealed"),
        List.of(r.getArrayOfStrings("audiences")),
        List.of(r.getArrayOfStrings("areas")),
        r.getString("frequency"),
        bytes(r, "link_nonce"),
        bytes(r, "confirm_nonce"),
        instant(r, "confirm_expires_at"),
        instant(r, "confirmation_sent_at"),
        instant(r, "confirmed_at"),
        r.getInteger("bounces"),
        instant(r, "undeliverable_at"));
  }

  private static byte[] bytes(Row r, String column) {
    Buffer b = r.getBuffer(column);
    return b == null ? null : b.getBytes();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }
}
