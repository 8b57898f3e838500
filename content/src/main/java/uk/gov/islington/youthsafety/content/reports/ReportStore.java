package uk.gov.islington.youthsafety.content.reports;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import uk.gov.islington.youthsafety.content.common.Idempotency;

/**
 * All SQL of anonymous reports. Text columns ending in {@code _ct} hold AES-GCM ciphertext only.
 */
final class ReportStore {

  // ---- rows as stored ----------------------------------------------------------------------

  record ReportRow(
      UUID id,
      long seq,
      String reference,
      String categoryId,
      String categoryLabel,
      String destination,
      boolean urgent,
      boolean immediateDanger,
      String areaId,
      String areaLabel,
      String happenedWhen,
      String status,
      String outcome,
      String claimedBy,
      String keyId,
      byte[] descriptionCt,
      LocalDate createdOn,
      LocalDate updatedOn,
      LocalDate closedOn) {}

  record MessageRow(
      long id, String author, String staffId, String keyId, byte[] bodyCt, LocalDate sentOn) {}

  /** A forward joined with its outbox row (if any): the outbox knows about retries and failures. */
  record ForwardRow(
      UUID id,
      UUID reportId,
      String destination,
      String channel,
      String recipient,
      String state,
      String outboxKey,
      String requestedBy,
      Instant requestedAt,
      Instant deliveredAt,
      String deliveredVia,
      String externalReference,
      String outboxState,
      int attempts,
      String lastError,
      Instant nextAttemptAt) {

    /**
     * pending, retrying, awaiting_handoff, waiting_to_be_sent, delivered or failed, reconciling
     * this row with its outbox row.
     */
    String effectiveState() {
      if (!"pending".equals(state)) {
        return state;
      }
      if ("failed".equals(outboxState)) {
        return "failed";
      }
      if ("delivered".equals(outboxState)) {
        return "delivered";
      }
      return lastError != null ? "retrying" : "pending";
    }
  }

  /**
   * What submitReport writes besides its idempotency record: the report, its sealed text, its
   * receipt hash.
   */
  record Submission(
      UUID id,
      String reference,
      NewReport report,
      String destination,
      ReportCrypto.Sealed description,
      ReceiptCodes.StoredHash receipt) {}

  ReportStore() {}

  // ---- routing data ------------------------------------------------------------------------

  private static final String CATEGORIES =
      """
      SELECT id, label, description, destination, guidance, contacts, sort_order, active
        FROM content.report_categories
       WHERE active OR $1
       ORDER BY sort_order, id
      """;

  Future<List<ReportCategory>> categories(SqlClient client, boolean includeInactive) {
    return list(client, CATEGORIES, Tuple.of(includeInactive), ReportStore::category);
  }

  private static final String CATEGORY =
      """
      SELECT id, label, description, destination, guidance, contacts, sort_order, active
        FROM content.report_categories WHERE id = $1
      """;

  Future<Optional<ReportCategory>> category(SqlClient client, String id) {
    return one(client, CATEGORY, Tuple.of(id), ReportStore::category);
  }

  private static final String INSERT_CATEGORY =
      """
      INSERT INTO content.report_categories (id, label, description, destination, guidance, contacts, sort_order, active)
      VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
      ON CONFLICT (id) DO NOTHING
      """;

  Future<Boolean> insertCategory(SqlClient client, ReportCategory c) {
    return changedOne(client, INSERT_CATEGORY, categoryTuple(c));
  }

  private static final String UPDATE_CATEGORY =
      """
      UPDATE content.report_categories
         SET label = $2, description = $3, destination = $4, guidance = $5, contacts = $6::jsonb,
             sort_order = $7, active = $8
       WHERE id = $1
      """;

  Future<Boolean> updateCategory(SqlClient client, ReportCategory c) {
    return changedOne(client, UPDATE_CATEGORY, categoryTuple(c));
  }

  private static Tuple categoryTuple(ReportCategory c) {
    return Tuple.tuple(
        List.of(
            c.id(),
            c.label(),
            c.description(),
            c.destination(),
            c.guidance(),
            c.contacts(),
            c.sortOrder(),
            c.active()));
  }

  private static final String AREAS =
      "SELECT id, label, sort_order FROM content.report_areas WHERE active ORDER BY sort_order, id";

  Future<List<ReportArea>> areas(SqlClient client) {
    return list(
        client,
        AREAS,
        Tuple.tuple(),
        r -> new ReportArea(r.getString("id"), r.getString("label"), r.getInteger("sort_order")));
  }

  private static final String DESTINATION_COLUMNS =
      """
      id, name, short_name, phone, email, website, handoff_instructions, channel, guidance, active, built_in
      """;

  private static final String DESTINATIONS =
      "SELECT " + DESTINATION_COLUMNS + " FROM content.report_destinations";

  /**
   * Every destination, active or not, by id (in name order when iterated through {@link
   * #destinationList}).
   */
  Future<Map<String, Destination>> destinations(SqlClient client) {
    return destinationList(client)
        .map(
            all -> {
              Map<String, Destination> out = new HashMap<>();
              all.forEach(d -> out.put(d.id(), d));
              return Map.copyOf(out);
            });
  }

  Future<List<Destination>> destinationList(SqlClient client) {
    return list(
        client,
        DESTINATIONS + " ORDER BY built_in DESC, name",
        Tuple.tuple(),
        ReportStore::destination);
  }

  Future<Optional<Destination>> destinationForUpdate(SqlClient tx, String id) {
    return one(
        tx, DESTINATIONS + " WHERE id = $1 FOR UPDATE", Tuple.of(id), ReportStore::destination);
  }

  private static final String INSERT_DESTINATION =
      """
      INSERT INTO content.report_destinations (id, name, short_name, phone, email, website, handoff_instructions,
                                               channel, guidance, active, built_in)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, false)
      ON CONFLICT (id) DO NOTHING
      """;

  Future<Boolean> insertDestination(SqlClient client, Destination d) {
    return changedOne(client, INSERT_DESTINATION, destinationTuple(d));
  }

  private static final String UPDATE_DESTINATION =
      """
      UPDATE content.report_destinations
         SET name = $2, short_name = $3, phone = $4, email = $5, website = $6, handoff_instructions = $7,
             channel = $8, guidance = $9, active = $10
       WHERE id = $1
      """;

  Future<Void> updateDestination(SqlClient tx, Destination d) {
    return execute(tx, UPDATE_DESTINATION, destinationTuple(d));
  }

  private static Tuple destinationTuple(Destination d) {
    return Tuple.tuple(
        java.util.Arrays.asList(
            d.id(),
            d.name(),
            d.shortName(),
            d.phone(),
            d.email(),
            d.website(),
            d.handoffInstructions(),
            d.channel(),
            d.guidance(),
            d.active()));
  }

  private static final String CATEGORIES_ROUTED_TO =
      "SELECT id FROM content.report_categories WHERE destination = $1 ORDER BY sort_order, id";

  /** The ids of the categories (active or not) that route to this destination. */
  Future<List<String>> categoriesRoutedTo(SqlClient client, String destinationId) {
    return list(client, CATEGORIES_ROUTED_TO, Tuple.of(destinationId), r -> r.getString("id"));
  }

  // ---- submission --------------------------------------------------------------------------

  // One statement, so one transaction and one round trip: the idempotency record decides. If its
  // key is new, the report is inserted with it, dated by the claim's day ($7); if a concurrent
  // transaction holds the same key, this statement waits for it and then inserts nothing.
  private static final String INSERT_REPORT_ONCE =
      Idempotency.claimingStatement(
          """
      INSERT INTO content.reports (id, reference, category_id, destination, urgent, immediate_danger, area_id,
                                   happened_when, key_id, description_ct, receipt_key_id, receipt_hash,
                                   created_on, updated_on, announced)
      SELECT claimed.result_id::uuid, $8::text, $9::text, $10::text, $11::boolean, $11::boolean, $12::text,
             $13::text, $14::text, $15::bytea, $16::text, $17::bytea, $7::date, $7::date, $11::boolean
        FROM claimed""");

  /**
   * True when the report was stored; false when the idempotency key existed (committed) already.
   * {@code claim} holds the idempotency record's parameters ({@link Idempotency#parameters}).
   */
  Future<Boolean> insertReportOnce(SqlClient client, Tuple claim, Submission s) {
    NewReport r = s.report();
    Tuple t =
        Tuple.tuple(
            java.util.Arrays.asList(
                s.reference(),
                r.categoryId(),
                s.destination(),
                r.immediateDanger(),
                r.area(),
                r.happenedWhen(),
                s.description().keyId(),
                buf(s.description().bytes()),
                s.receipt().pepperId(),
                buf(s.receipt().hash())));
    for (int i = 0; i < t.size(); i++) {
      claim.addValue(t.getValue(i));
    }
    return client
        .preparedQuery(INSERT_REPORT_ONCE)
        .execute(claim)
        .map(rows -> rows.iterator().next().getLong("inserted") == 1);
  }

  // ---- reports -----------------------------------------------------------------------------

  private static final String REPORT_COLUMNS =
      """
      r.id, r.seq, r.reference, r.category_id, c.label AS category_label, r.destination, r.urgent,
      r.immediate_danger, r.area_id, a.label AS area_label, r.happened_when, r.status, r.outcome, r.claimed_by,
      r.key_id, r.description_ct, r.created_on, r.updated_on, r.closed_on
      """;

  private static final String REPORT_FROM =
      """
        FROM content.reports r
        JOIN content.report_categories c ON c.id = r.category_id
        LEFT JOIN content.report_areas a ON a.id = r.area_id
      """;

  private static final String REPORT_BY_RECEIPT =
      "SELECT " + REPORT_COLUMNS + REPORT_FROM + " WHERE r.receipt_hash = ANY($1::bytea[])";

  Future<Optional<ReportRow>> reportByReceipt(SqlClient client, List<byte[]> hashes) {
    Buffer[] arr = hashes.stream().map(ReportStore::buf).toArray(Buffer[]::new);
    return one(client, REPORT_BY_RECEIPT, Tuple.of(arr), ReportStore::report);
  }

  private static final String REPORT_BY_ID =
      "SELECT " + REPORT_COLUMNS + REPORT_FROM + " WHERE r.id = $1";

  Future<Optional<ReportRow>> report(SqlClient client, UUID id) {
    return one(client, REPORT_BY_ID, Tuple.of(id), ReportStore::report);
  }

  Future<Optional<ReportRow>> reportForUpdate(SqlClient tx, UUID id) {
    return one(tx, REPORT_BY_ID + " FOR UPDATE OF r", Tuple.of(id), ReportStore::report);
  }

  private static final String UPDATE_REPORT =
      """
      UPDATE content.reports
         SET status = $2, destination = $3, claimed_by = $4, outcome = $5, updated_on = $6, closed_on = $7
       WHERE id = $1
      """;

  Future<Void> updateReport(
      SqlClient tx,
      UUID id,
      String status,
      String destination,
      String claimedBy,
      String outcome,
      LocalDate updatedOn,
      LocalDate closedOn) {
    return execute(
        tx,
        UPDATE_REPORT,
        Tuple.tuple(
            java.util.Arrays.asList(
                id, status, destination, claimedBy, outcome, updatedOn, closedOn)));
  }

  private static final String TOUCH_REPORT =
      "UPDATE content.reports SET updated_on = $2 WHERE id = $1";

  Future<Void> touch(SqlClient tx, UUID id, LocalDate on) {
    return execute(tx, TOUCH_REPORT, Tuple.of(id, on));
  }

  // Keyset over ((NOT urgent), created_on, seq): urgent first, then oldest, first come first
  // served.
  private static final String TRIAGE =
      """
      SELECT r.id, r.seq, r.reference, r.category_id, c.label AS category_label, r.destination, r.urgent,
             r.status, r.created_on, r.updated_on, r.claimed_by,
             (SELECT CASE WHEN f.state <> 'pending' THEN f.state
                          WHEN o.state = 'failed' THEN 'failed'
                          WHEN o.state = 'delivered' THEN 'delivered'
                          WHEN o.last_error IS NOT NULL THEN 'retrying'
                          ELSE 'pending' END
                FROM content.report_forwards f
                LEFT JOIN notifications.outbox o ON o.dedupe_key = f.outbox_key
               WHERE f.report_id = r.id
               ORDER BY f.requested_at DESC LIMIT 1) AS delivery,
             COALESCE((SELECT m.author = 'reporter' FROM content.report_messages m
                        WHERE m.report_id = r.id ORDER BY m.id DESC LIMIT 1), false) AS awaiting_moderator,
             a.label AS area_label,
             (r.status = 'received' AND r.created_on <= $8::date) AS overdue
        FROM content.reports r
        JOIN content.report_categories c ON c.id = r.category_id
        LEFT JOIN content.report_areas a ON a.id = r.area_id
       WHERE (CASE WHEN $1::text IS NULL THEN r.status NOT IN ('closed', 'spam') ELSE r.status = $1 END)
         AND ($2::text IS NULL OR r.destination = $2)
         AND ($3::boolean IS NULL OR r.urgent = $3)
         AND ($4::boolean IS NULL OR ((NOT r.urgent), r.created_on, r.seq) > ($4, $5::date, $6::bigint))
       ORDER BY (NOT r.urgent), r.created_on, r.seq
       LIMIT $7
      """;

  record TriageRow(TriageItem item, long seq) {}

  /**
   * @param overdueUpTo reports still unclaimed that arrived on this day or before are overdue
   */
  Future<List<TriageRow>> triage(
      SqlClient client,
      String status,
      String destination,
      Boolean urgent,
      Boolean afterNotUrgent,
      LocalDate afterCreatedOn,
      Long afterSeq,
      int limit,
      LocalDate overdueUpTo) {
    return list(
        client,
        TRIAGE,
        Tuple.tuple(
            java.util.Arrays.asList(
                status,
                destination,
                urgent,
                afterNotUrgent,
                afterCreatedOn,
                afterSeq,
                limit,
                overdueUpTo)),
        r ->
            new TriageRow(
                new TriageItem(
                    r.getUUID("id").toString(),
                    r.getString("reference"),
                    r.getString("category_id"),
                    r.getString("category_label"),
                    r.getString("destination"),
                    r.getBoolean("urgent"),
                    r.getString("status"),
                    r.getLocalDate("created_on"),
                    r.getLocalDate("updated_on"),
                    r.getString("claimed_by"),
                    r.getString("delivery"),
                    r.getBoolean("awaiting_moderator"),
                    r.getString("area_label"),
                    r.getBoolean("overdue")),
                r.getLong("seq")));
  }

  private static final String QUEUE_SUMMARY =
      """
      SELECT count(*) AS open, count(*) FILTER (WHERE urgent) AS urgent, min(created_on) AS oldest,
             count(*) FILTER (WHERE status = 'received' AND created_on <= $1) AS overdue
        FROM content.reports WHERE status NOT IN ('closed', 'spam')
      """;

  Future<ReportModeration.QueueSummary> queueSummary(SqlClient client, LocalDate overdueUpTo) {
    return client
        .preparedQuery(QUEUE_SUMMARY)
        .execute(Tuple.of(overdueUpTo))
        .map(
            rows -> {
              Row r = rows.iterator().next();
              return new ReportModeration.QueueSummary(
                  r.getLong("open"),
                  r.getLong("urgent"),
                  r.getLocalDate("oldest"),
                  r.getLong("overdue"));
            });
  }

  // ---- messages ----------------------------------------------------------------------------

  private static final String MESSAGES =
      """
      SELECT id, author, staff_id, key_id, body_ct, sent_on FROM content.report_messages
       WHERE report_id = $1 ORDER BY id
      """;

  Future<List<MessageRow>> messages(SqlClient client, UUID reportId) {
    return list(
        client,
        MESSAGES,
        Tuple.of(reportId),
        r ->
            new MessageRow(
                r.getLong("id"),
                r.getString("author"),
                r.getString("staff_id"),
                r.getString("key_id"),
                bytes(r, "body_ct"),
                r.getLocalDate("sent_on")));
  }

  private static final String INSERT_MESSAGE =
      """
      INSERT INTO content.report_messages (report_id, author, staff_id, key_id, body_ct, sent_on)
      VALUES ($1, $2, $3, $4, $5, $6)
      """;

  Future<Void> insertMessage(
      SqlClient tx,
      UUID reportId,
      String author,
      String staffId,
      String keyId,
      byte[] ct,
      LocalDate on) {
    return execute(
        tx,
        INSERT_MESSAGE,
        Tuple.tuple(java.util.Arrays.asList(reportId, author, staffId, keyId, buf(ct), on)));
  }

  // ---- forwards ----------------------------------------------------------------------------

  private static final String FORWARD_COLUMNS =
      """
      f.id, f.report_id, f.destination, f.channel, f.recipient, f.state, f.outbox_key, f.requested_by,
      f.requested_at, f.delivered_at, f.delivered_via, f.external_reference,
      o.state AS outbox_state, COALESCE(o.attempts, 0) AS attempts, o.last_error,
      CASE WHEN o.state = 'pending' THEN o.next_attempt_at END AS next_attempt_at
        FROM content.report_forwards f
        LEFT JOIN notifications.outbox o ON o.dedupe_key = f.outbox_key
      """;

  private static final String FORWARDS =
      "SELECT " + FORWARD_COLUMNS + " WHERE f.report_id = $1 ORDER BY f.requested_at, f.id";

  Future<List<ForwardRow>> forwards(SqlClient client, UUID reportId) {
    return list(client, FORWARDS, Tuple.of(reportId), ReportStore::forward);
  }

  private static final String FORWARD = "SELECT " + FORWARD_COLUMNS + " WHERE f.id = $1";

  Future<Optional<ForwardRow>> forward(SqlClient client, UUID id) {
    return one(client, FORWARD, Tuple.of(id), ReportStore::forward);
  }

  private static final String INSERT_FORWARD =
      """
      INSERT INTO content.report_forwards (id, report_id, destination, channel, recipient, state, outbox_key,
                                           requested_by, requested_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      """;

  /**
   * A forward as first written: {@code recipient} and {@code outboxKey} are null for a manual
   * hand-off.
   */
  record NewForward(
      UUID id,
      UUID reportId,
      String destination,
      String channel,
      String recipient,
      String state,
      String outboxKey,
      String requestedBy,
      Instant at) {}

  Future<Void> insertForward(SqlClient tx, NewForward f) {
    return execute(
        tx,
        INSERT_FORWARD,
        Tuple.tuple(
            java.util.Arrays.asList(
                f.id(),
                f.reportId(),
                f.destination(),
                f.channel(),
                f.recipient(),
                f.state(),
                f.outboxKey(),
                f.requestedBy(),
                utc(f.at()))));
  }

  private static final String FORWARD_FAILED =
      """
      UPDATE content.report_forwards SET state = 'failed' WHERE id = $1 AND state = 'pending'
      RETURNING report_id
      """;

  /** The report of the forward that this call moved to failed (empty: it had moved on already). */
  Future<Optional<UUID>> markForwardFailed(SqlClient tx, UUID id) {
    return one(tx, FORWARD_FAILED, Tuple.of(id), r -> r.getUUID("report_id"));
  }

  private static final String FORWARD_DELIVERED =
      """
      UPDATE content.report_forwards
         SET state = 'delivered', delivered_at = $2, delivered_via = $3,
             external_reference = COALESCE($4, external_reference)
       WHERE id = $1 AND state IN ('pending', 'awaiting_handoff', 'waiting_to_be_sent')
      RETURNING report_id
      """;

  /** True when this call moved the forward to delivered (false: it already was, or it is gone). */
  Future<Boolean> markForwardDelivered(
      SqlClient tx, UUID id, Instant at, String via, String externalReference) {
    return tx.preparedQuery(FORWARD_DELIVERED)
        .execute(Tuple.of(id, utc(at), via, externalReference))
        .map(rows -> rows.size() == 1);
  }

  private static final String FORWARD_WAITING =
      """
      UPDATE content.report_forwards SET state = 'waiting_to_be_sent' WHERE id = $1 AND state = 'pending'
      """;

  /** The e-mail went to the local sink, which is no destination: the referral waits to be sent. */
  Future<Void> markForwardWaiting(SqlClient tx, UUID id) {
    return execute(tx, FORWARD_WAITING, Tuple.of(id));
  }

  private static final String REPORT_BACK_IN_QUEUE =
      """
      UPDATE content.reports SET status = 'in_review', updated_on = $2
       WHERE id = $1 AND status = 'forwarding'
      """;

  /** A forward that failed for good: the report is the moderators' again. */
  Future<Void> markReportBackInQueue(SqlClient tx, UUID reportId, LocalDate on) {
    return execute(tx, REPORT_BACK_IN_QUEUE, Tuple.of(reportId, on));
  }

  private static final String REPORT_FORWARDED =
      """
      UPDATE content.reports SET status = 'forwarded', updated_on = $2
       WHERE id = $1 AND status = 'forwarding'
      """;

  Future<Void> markReportForwarded(SqlClient tx, UUID reportId, LocalDate on) {
    return execute(tx, REPORT_FORWARDED, Tuple.of(reportId, on));
  }

  // ---- audit -------------------------------------------------------------------------------

  private static final String INSERT_AUDIT =
      """
      INSERT INTO content.report_audit (report_id, report_reference, staff_id, action, detail, at)
      VALUES ($1, $2, $3, $4, $5::jsonb, $6)
      """;

  Future<Void> audit(
      SqlClient client,
      UUID reportId,
      String reference,
      String staffId,
      String action,
      JsonObject detail,
      Instant at) {
    return execute(
        client,
        INSERT_AUDIT,
        Tuple.of(
            reportId,
            reference,
            staffId,
            action,
            detail == null ? new JsonObject() : detail,
            utc(at)));
  }

  private static final String AUDIT =
      "SELECT action, staff_id, at, detail FROM content.report_audit WHERE report_id = $1 ORDER BY id";

  Future<List<TriageReport.AuditEntry>> auditTrail(SqlClient client, UUID reportId) {
    return list(
        client,
        AUDIT,
        Tuple.of(reportId),
        r ->
            new TriageReport.AuditEntry(
                r.getString("action"),
                r.getString("staff_id"),
                instant(r, "at"),
                r.getJsonObject("detail")));
  }

  private static final String AUDIT_BY_STAFF =
      """
      SELECT report_id, report_reference, action, at FROM content.report_audit
       WHERE staff_id = $1 ORDER BY at DESC, id DESC LIMIT $2""";

  Future<List<ReportModeration.StaffAction>> auditByStaff(
      SqlClient client, String staffId, int limit) {
    return list(
        client,
        AUDIT_BY_STAFF,
        Tuple.of(staffId, limit),
        r ->
            new ReportModeration.StaffAction(
                r.getUUID("report_id").toString(),
                r.getString("report_reference"),
                r.getString("action"),
                instant(r, "at")));
  }

  // ---- duty alerts -------------------------------------------------------------------------

  private static final String CATEGORY_GROUP =
      "SELECT category_group FROM content.report_categories WHERE id = $1";

  Future<String> categoryGroup(SqlClient client, String categoryId) {
    return one(client, CATEGORY_GROUP, Tuple.of(categoryId), r -> r.getString("category_group"))
        .map(found -> found.orElse("safeguarding"));
  }

  private static final long ALERT_LOCK = 0x7953_4455_5459_414cL; // "ySDUTYAL"

  // transaction-scoped: released at commit or rollback, so an instance that dies never keeps it
  private static final String TRY_ALERT_LOCK =
      "SELECT pg_try_advisory_xact_lock(" + ALERT_LOCK + ") AS locked";

  Future<Boolean> tryAlertLock(SqlClient tx) {
    return tx.query(TRY_ALERT_LOCK)
        .execute()
        .map(rows -> rows.iterator().next().getBoolean("locked"));
  }

  private static final String LAST_DIGEST =
      "SELECT last_digest_at FROM content.report_alert_state FOR UPDATE";

  /** When the last digest went out (null: never). */
  Future<Instant> lastDigestForUpdate(SqlClient tx) {
    return tx.query(LAST_DIGEST)
        .execute()
        .map(rows -> instant(rows.iterator().next(), "last_digest_at"));
  }

  private static final String DIGEST_SENT =
      "UPDATE content.report_alert_state SET last_digest_at = $1";

  Future<Void> digestSent(SqlClient tx, Instant at) {
    return execute(tx, DIGEST_SENT, Tuple.of(utc(at)));
  }

  private static final String ANNOUNCE_WAITING =
      """
      WITH told AS (UPDATE content.reports SET announced = true WHERE NOT announced RETURNING category_id)
      SELECT c.category_group, count(*) AS n
        FROM told JOIN content.report_categories c ON c.id = told.category_id
       GROUP BY c.category_group ORDER BY c.category_group
      """;

  /**
   * Marks every report not yet in a digest as told; answers how many there were per category group.
   */
  Future<Map<String, Long>> announceWaiting(SqlClient tx) {
    return groupCounts(tx, ANNOUNCE_WAITING, Tuple.tuple());
  }

  /** A query's (category_group, n) rows, by group. */
  private static Future<Map<String, Long>> groupCounts(SqlClient tx, String sql, Tuple args) {
    return list(tx, sql, args, r -> Map.entry(r.getString("category_group"), r.getLong("n")))
        .map(
            entries -> {
              Map<String, Long> out = new java.util.TreeMap<>();
              entries.forEach(e -> out.put(e.getKey(), e.getValue()));
              return out;
            });
  }

  private static final String LAST_OVERDUE_DIGEST =
      "SELECT last_overdue_digest_on FROM content.report_alert_state FOR UPDATE";

  /** The day the last overdue count went out (null: never). */
  Future<LocalDate> lastOverdueDigestForUpdate(SqlClient tx) {
    return tx.query(LAST_OVERDUE_DIGEST)
        .execute()
        .map(rows -> rows.iterator().next().getLocalDate("last_overdue_digest_on"));
  }

  private static final String OVERDUE_DIGEST_SENT =
      "UPDATE content.report_alert_state SET last_overdue_digest_on = $1";

  Future<Void> overdueDigestSent(SqlClient tx, LocalDate on) {
    return execute(tx, OVERDUE_DIGEST_SENT, Tuple.of(on));
  }

  // "overdue": nobody has claimed it (still 'received') and it arrived on or before the given day
  private static final String OVERDUE_BY_GROUP =
      """
      SELECT c.category_group, count(*) AS n
        FROM content.reports r JOIN content.report_categories c ON c.id = r.category_id
       WHERE r.status = 'received' AND r.created_on <= $1
       GROUP BY c.category_group ORDER BY c.category_group
      """;

  /**
   * How many reports per category group are overdue: waiting unclaimed since {@code upTo} or
   * before.
   */
  Future<Map<String, Long>> overdueByGroup(SqlClient tx, LocalDate upTo) {
    return groupCounts(tx, OVERDUE_BY_GROUP, Tuple.of(upTo));
  }

  // ---- moderators' duty devices -------------------------------------------------------------

  private static final String DUTY_DEVICE =
      "SELECT staff_id, fcm_token, on_duty FROM content.staff_duty_devices WHERE staff_id = $1";

  Future<Optional<DutyDevice>> dutyDevice(SqlClient client, String staffId) {
    return one(client, DUTY_DEVICE, Tuple.of(staffId), ReportStore::dutyDevice);
  }

  private static final String SAVE_DUTY_DEVICE =
      """
      INSERT INTO content.staff_duty_devices (staff_id, fcm_token, on_duty, updated_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (staff_id) DO UPDATE SET fcm_token = excluded.fcm_token, on_duty = excluded.on_duty,
                                           updated_at = excluded.updated_at
      """;

  Future<Void> saveDutyDevice(SqlClient client, DutyDevice device, Instant at) {
    return execute(
        client,
        SAVE_DUTY_DEVICE,
        Tuple.of(device.staffId(), device.fcmToken(), device.onDuty(), utc(at)));
  }

  private static final String REMOVE_DUTY_DEVICES =
      "DELETE FROM content.staff_duty_devices WHERE staff_id = ANY ($1)";

  /** Answers how many went. */
  Future<Integer> removeDutyDevices(SqlClient client, List<String> staffIds) {
    return staffIds.isEmpty()
        ? Future.succeededFuture(0)
        : client
            .preparedQuery(REMOVE_DUTY_DEVICES)
            .execute(Tuple.tuple().addArrayOfString(staffIds.toArray(String[]::new)))
            .map(rows -> rows.rowCount());
  }

  // on duty, still a moderator, not disabled, and not yet reached by this alert
  private static final String DUTY_DEVICES_TO_REACH =
      """
      SELECT d.staff_id, d.fcm_token, d.on_duty
        FROM content.staff_duty_devices d JOIN content.staff s ON s.id = d.staff_id
       WHERE d.on_duty AND NOT s.disabled AND 'moderator' = ANY (s.roles)
         AND NOT EXISTS (SELECT 1 FROM content.duty_pushes_sent p WHERE p.outbox_id = $1 AND p.staff_id = d.staff_id)
       ORDER BY d.staff_id
       LIMIT $2
      """;

  /** At most {@code limit} (one FCM batch) of the phones this alert has not reached yet. */
  Future<List<DutyDevice>> dutyDevicesToReach(SqlClient client, long outboxId, int limit) {
    return list(client, DUTY_DEVICES_TO_REACH, Tuple.of(outboxId, limit), ReportStore::dutyDevice);
  }

  private static final String ANYONE_ON_DUTY =
      "SELECT EXISTS (SELECT 1 FROM content.staff_duty_devices WHERE on_duty) AS anyone";

  Future<Boolean> anyoneOnDuty(SqlClient client) {
    return client
        .query(ANYONE_ON_DUTY)
        .execute()
        .map(rows -> rows.iterator().next().getBoolean("anyone"));
  }

  private static final String DUTY_PUSHES_SENT =
      """
      INSERT INTO content.duty_pushes_sent (outbox_id, staff_id) SELECT $1, unnest($2::text[])
      ON CONFLICT DO NOTHING
      """;

  Future<Void> dutyPushesSent(SqlClient client, long outboxId, List<String> staffIds) {
    return staffIds.isEmpty()
        ? Future.succeededFuture()
        : client
            .preparedQuery(DUTY_PUSHES_SENT)
            .execute(
                Tuple.tuple().addLong(outboxId).addArrayOfString(staffIds.toArray(String[]::new)))
            .mapEmpty();
  }

  private static final String PURGE_DUTY_PUSHES_SENT =
      """
      DELETE FROM content.duty_pushes_sent p
       WHERE NOT EXISTS (SELECT 1 FROM notifications.outbox o WHERE o.id = p.outbox_id AND o.state = 'pending')
      """;

  /** Forgets whom finished alerts reached. */
  static Future<Integer> purgeDutyPushesSent(SqlClient client) {
    return client.query(PURGE_DUTY_PUSHES_SENT).execute().map(rows -> rows.rowCount());
  }

  private static DutyDevice dutyDevice(Row r) {
    return new DutyDevice(
        r.getString("staff_id"), r.getString("fcm_token"), r.getBoolean("on_duty"));
  }

  private static final String START_ESCALATION =
      "INSERT INTO content.report_escalations (report_id, due_at) VALUES ($1, $2) ON CONFLICT DO NOTHING";

  Future<Void> startEscalation(SqlClient tx, UUID reportId, Instant dueAt) {
    return execute(tx, START_ESCALATION, Tuple.of(reportId, utc(dueAt)));
  }

  private static final String STOP_ESCALATION =
      "DELETE FROM content.report_escalations WHERE report_id = $1";

  Future<Void> stopEscalation(SqlClient tx, UUID reportId) {
    return execute(tx, STOP_ESCALATION, Tuple.of(reportId));
  }

  // belt and braces: a report claimed or closed by any path stops escalating
  private static final String STOP_SETTLED_ESCALATIONS =
      """
      DELETE FROM content.report_escalations e USING content.reports r
       WHERE r.id = e.report_id AND (r.claimed_by IS NOT NULL OR r.status IN ('closed', 'spam'))
      """;

  private static final String ESCALATE_DUE =
      """
      UPDATE content.report_escalations e
         SET due_at = $1::timestamptz + $2::bigint * interval '1 millisecond', escalations = e.escalations + 1
        FROM content.reports r JOIN content.report_categories c ON c.id = r.category_id
       WHERE r.id = e.report_id AND e.due_at <= $1 AND r.claimed_by IS NULL AND r.status NOT IN ('closed', 'spam')
      RETURNING c.category_group, e.escalations
      """;

  /**
   * One escalation due at {@code now}: its category group and how many times it has now been
   * escalated.
   */
  record DueEscalation(String categoryGroup, int escalations) {}

  /**
   * Moves every due escalation on by {@code every} and answers them; settled ones are dropped
   * first.
   */
  Future<List<DueEscalation>> escalateDue(SqlClient tx, Instant now, java.time.Duration every) {
    return tx.query(STOP_SETTLED_ESCALATIONS)
        .execute()
        .compose(
            v ->
                list(
                    tx,
                    ESCALATE_DUE,
                    Tuple.of(utc(now), every.toMillis()),
                    r ->
                        new DueEscalation(
                            r.getString("category_group"), r.getInteger("escalations"))));
  }

  // ---- statistics --------------------------------------------------------------------------

  private static final String COUNT_CLOSED =
      """
      INSERT INTO content.report_statistics (month, category_group, destination, area, outcome, reports)
      SELECT date_trunc('month', r.created_on)::date, c.category_group, r.destination,
             COALESCE(r.area_id, 'not_given'), $2, 1
        FROM content.reports r JOIN content.report_categories c ON c.id = r.category_id
       WHERE r.id = $1
      ON CONFLICT (month, category_group, destination, area, outcome)
      DO UPDATE SET reports = content.report_statistics.reports + 1
      """;

  /** Counts a report that is being closed, in the closing transaction. */
  Future<Void> countClosed(SqlClient tx, UUID reportId, String outcome) {
    return execute(tx, COUNT_CLOSED, Tuple.of(reportId, outcome));
  }

  private static final String STATISTICS =
      """
      SELECT month, category_group, destination, area, outcome, reports FROM content.report_statistics
       WHERE month BETWEEN $1 AND $2 ORDER BY month
      """;

  /** One stored cell: a month's count of reports with these four values. */
  record StatisticsRow(
      LocalDate month,
      String categoryGroup,
      String destination,
      String area,
      String outcome,
      int reports) {}

  Future<List<StatisticsRow>> statistics(SqlClient client, LocalDate from, LocalDate to) {
    return list(
        client,
        STATISTICS,
        Tuple.of(from, to),
        r ->
            new StatisticsRow(
                r.getLocalDate("month"),
                r.getString("category_group"),
                r.getString("destination"),
                r.getString("area"),
                r.getString("outcome"),
                r.getInteger("reports")));
  }

  // a referral e-mail read from the local sink is a read of its report
  private static final String AUDIT_MAIL_READS =
      """
      INSERT INTO content.report_audit (report_id, report_reference, staff_id, action, detail, at)
      SELECT f.report_id, r.reference, $2, 'view', jsonb_build_object('mail', f.outbox_key), $3
        FROM content.report_forwards f JOIN content.reports r ON r.id = f.report_id
       WHERE f.outbox_key = ANY ($1::text[])
       ORDER BY f.report_id
      """;

  Future<Void> auditMailReads(
      SqlClient client, List<String> outboxKeys, String staffId, Instant at) {
    if (outboxKeys.isEmpty()) {
      return Future.succeededFuture();
    }
    return execute(
        client, AUDIT_MAIL_READS, Tuple.of(outboxKeys.toArray(String[]::new), staffId, utc(at)));
  }

  private static final String VERIFY_AUDIT = "SELECT * FROM content.verify_report_audit()";

  Future<AuditVerification> verifyAudit(SqlClient client) {
    return client
        .query(VERIFY_AUDIT)
        .execute()
        .map(
            rows -> {
              Row r = rows.iterator().next();
              return new AuditVerification(
                  r.getBoolean("intact"),
                  r.getLong("rows_checked"),
                  r.getLong("broken_at_seq"),
                  r.getLong("broken_at_id"),
                  r.getString("problem"));
            });
  }

  // ---- retention ---------------------------------------------------------------------------

  // a report's idempotency record (its sealed receipt) never outlives the report
  private static final String PURGE_CLOSED =
      """
      WITH gone AS (DELETE FROM content.reports WHERE status = $1 AND closed_on < $2 RETURNING id),
      keys AS (DELETE FROM content.idempotency_keys k USING gone
                WHERE k.scope = 'submitReport' AND k.result_id = gone.id::text)
      SELECT count(*) FROM gone
      """;

  Future<Integer> purgeClosed(SqlClient client, String status, LocalDate before) {
    return client
        .preparedQuery(PURGE_CLOSED)
        .execute(Tuple.of(status, before))
        .map(rows -> rows.iterator().next().getLong(0).intValue());
  }

  // the owner's function: the service's role may not delete audit rows itself
  private static final String PURGE_AUDIT = "SELECT content.purge_report_audit($1)";

  Future<Integer> purgeAudit(SqlClient client, Instant before) {
    return client
        .preparedQuery(PURGE_AUDIT)
        .execute(Tuple.of(utc(before)))
        .map(rows -> (int) rows.iterator().next().getLong(0).longValue());
  }

  // ---- mapping -----------------------------------------------------------------------------

  private static ReportCategory category(Row r) {
    Object contacts = r.getValue("contacts");
    return new ReportCategory(
        r.getString("id"),
        r.getString("label"),
        r.getString("description"),
        r.getString("destination"),
        r.getString("guidance"),
        contacts instanceof JsonArray a ? a : new JsonArray(),
        r.getInteger("sort_order"),
        r.getBoolean("active"));
  }

  private static Destination destination(Row r) {
    return new Destination(
        r.getString("id"),
        r.getString("name"),
        r.getString("short_name"),
        r.getString("phone"),
        r.getString("email"),
        r.getString("website"),
        r.getString("handoff_instructions"),
        r.getString("channel"),
        r.getString("guidance"),
        r.getBoolean("active"),
        r.getBoolean("built_in"));
  }

  private static ReportRow report(Row r) {
    return new ReportRow(
        r.getUUID("id"),
        r.getLong("seq"),
        r.getString("reference"),
        r.getString("category_id"),
        r.getString("category_label"),
        r.getString("destination"),
        r.getBoolean("urgent"),
        r.getBoolean("immediate_danger"),
        r.getString("area_id"),
        r.getString("area_label"),
        r.getString("happened_when"),
        r.getString("status"),
        r.getString("outcome"),
        r.getString("claimed_by"),
        r.getString("key_id"),
        bytes(r, "description_ct"),
        r.getLocalDate("created_on"),
        r.getLocalDate("updated_on"),
        r.getLocalDate("closed_on"));
  }

  private static ForwardRow forward(Row r) {
    return new ForwardRow(
        r.getUUID("id"),
        r.getUUID("report_id"),
        r.getString("destination"),
        r.getString("channel"),
        r.getString("recipient"),
        r.getString("state"),
        r.getString("outbox_key"),
        r.getString("requested_by"),
        instant(r, "requested_at"),
        instant(r, "delivered_at"),
        r.getString("delivered_via"),
        r.getString("external_reference"),
        r.getString("outbox_state"),
        r.getInteger("attempts"),
        r.getString("last_error"),
        instant(r, "next_attempt_at"));
  }

  private static Future<Void> execute(SqlClient client, String sql, Tuple args) {
    return client.preparedQuery(sql).execute(args).mapEmpty();
  }

  /** True when the statement changed one row (false: it found none, or a conflict stopped it). */
  private static Future<Boolean> changedOne(SqlClient client, String sql, Tuple args) {
    return client.preparedQuery(sql).execute(args).map(rows -> rows.rowCount() == 1);
  }

  private static <T> Future<List<T>> list(
      SqlClient client, String sql, Tuple args, Function<Row, T> map) {
    return client
        .preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              List<T> out = new ArrayList<>(rows.size());
              rows.forEach(r -> out.add(map.apply(r)));
              return out;
            });
  }

  private static <T> Future<Optional<T>> one(
      SqlClient client, String sql, Tuple args, Function<Row, T> map) {
    return client
        .preparedQuery(sql)
        .execute(args)
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(map.apply(rows.iterator().next())));
  }

  static Buffer buf(byte[] bytes) {
    return bytes == null ? null : Buffer.buffer(bytes);
  }

  private static byte[] bytes(Row r, String column) {
    Buffer b = r.getBuffer(column);
    return b == null ? null : b.getBytes();
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }
}
