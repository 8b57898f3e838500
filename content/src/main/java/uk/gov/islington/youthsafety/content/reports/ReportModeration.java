package uk.gov.islington.youthsafety.content.reports;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import uk.gov.islington.youthsafety.content.common.Cursor;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.Page;
import uk.gov.islington.youthsafety.notifications.outbox.LocalSink;
import uk.gov.islington.youthsafety.notifications.outbox.Outbox;

/**
 * The moderators' side: the triage queue (urgent first, then oldest), one report decrypted, and the
 * actions on it. Every action and every reading of a report's text is written to the append-only
 * audit trail in the same transaction as its effect.
 *
 * <p>Forwarding never loses a report: an e-mail forward inserts the forward and its outbox row in
 * the transaction that changes the report, so the message exists exactly when the change is
 * committed; the outbox payload is only the forward's id, and the text is read and decrypted when
 * the dispatcher delivers it. A manual forward (Crimestoppers' form) waits, shown to moderators
 * with the text to paste, until a moderator confirms the hand-off.
 */
public final class ReportModeration {

  private final DutyAlerts alerts;
  private final Pool pool;
  private final Clock clock;
  private final ReportCrypto crypto;
  private final ForwardRoutes routes;
  private final ReportStore store;

  public ReportModeration(
      Pool pool, Clock clock, ReportCrypto crypto, ForwardRoutes routes, DutyAlerts alerts) {
    this.alerts = alerts;
    this.pool = pool;
    this.clock = clock;
    this.crypto = crypto;
    this.routes = routes;
    this.store = new ReportStore();
  }

  // ---- the queue ---------------------------------------------------------------------------

  /** Open reports (or those with {@code status}), urgent first, then oldest; keyset-paged. */
  public Future<Page<TriageItem>> list(
      String status, String destination, Boolean urgent, int limit, String cursor) {
    JsonObject after = Cursor.decode(cursor);
    Boolean afterNotUrgent = null;
    LocalDate afterDay = null;
    Long afterSeq = null;
    if (after != null) {
      afterNotUrgent = Cursor.intAt(after, "u") == 1;
      try {
        afterDay = LocalDate.parse(Cursor.stringAt(after, "d"));
      } catch (java.time.format.DateTimeParseException e) {
        throw InvalidInput.of("cursor", "is not a cursor this API issued");
      }
      afterSeq = (long) Cursor.intAt(after, "s");
    }
    return store
        .triage(
            pool,
            status,
            destination,
            urgent,
            afterNotUrgent,
            afterDay,
            afterSeq,
            limit + 1,
            alerts.overdueUpTo())
        .map(rows -> Page.of(rows, limit, ReportModeration::position))
        .map(page -> page.map(ReportStore.TriageRow::item));
  }

  /** Where a page of the queue ends, in its order: urgent first, then oldest, then first in. */
  private static JsonObject position(ReportStore.TriageRow last) {
    return new JsonObject()
        .put("u", last.item().urgent() ? 0 : 1)
        .put("d", last.item().createdOn().toString())
        .put("s", last.seq());
  }

  /**
   * What the queue holds now: how many open reports, how many urgent, the oldest one's day, and how
   * many have waited past the triage target unclaimed.
   */
  public record QueueSummary(long open, long urgent, LocalDate oldest, long overdue) {}

  public Future<QueueSummary> summary() {
    return store.queueSummary(pool, alerts.overdueUpTo());
  }

  /** Every destination, built-in first: where a moderator may send a report (the active ones). */
  public Future<List<Destination>> destinations() {
    return store.destinationList(pool);
  }

  /**
   * One report without its text, conversation or hand-off text: nothing is decrypted, nothing
   * audited.
   */
  public Future<TriageReport> outline(String reportId) {
    return detail(parseId(reportId), false);
  }

  /** One report's audit trail (no report text in it). */
  public Future<List<TriageReport.AuditEntry>> auditTrail(String reportId) {
    UUID id = parseId(reportId);
    return store
        .report(pool, id)
        .compose(
            found ->
                found.isPresent() ? store.auditTrail(pool, id) : Future.failedFuture(notFound()));
  }

  /** What a member of staff did to a report, from the audit trail: never the report's text. */
  public record StaffAction(String reportId, String reference, String action, Instant at) {}

  /** The newest entries of the audit trail made by one member of staff, across every report. */
  public Future<List<StaffAction>> auditByStaff(String staffId, int limit) {
    return store.auditByStaff(pool, staffId, limit);
  }

  /** One report, decrypted; the reading is audited. */
  public Future<TriageReport> get(String reportId, String staffId) {
    UUID id = parseId(reportId);
    return store
        .report(pool, id)
        .compose(
            found -> {
              ReportStore.ReportRow r = found.orElseThrow(ReportModeration::notFound);
              return store
                  .audit(pool, r.id(), r.reference(), staffId, "view", null, clock.instant())
                  .compose(v -> detail(r.id()));
            });
  }

  // ---- actions -----------------------------------------------------------------------------

  public Future<TriageReport> act(String reportId, String staffId, ModeratorAction action) {
    UUID id = parseId(reportId);
    validate(action);
    Instant now = clock.instant();
    LocalDate today = ReportDates.today(clock);
    return pool.withTransaction(
            tx ->
                store
                    .reportForUpdate(tx, id)
                    .compose(
                        found -> {
                          ReportStore.ReportRow r = found.orElseThrow(ReportModeration::notFound);
                          if (ReportStatus.isClosed(r.status())) {
                            return Future.failedFuture(
                                new DomainException.Conflict(
                                    "This report is closed; it cannot be changed."));
                          }
                          return Future.all(store.forwards(tx, id), store.destinations(tx))
                              .compose(
                                  all ->
                                      apply(
                                          tx,
                                          r,
                                          all.resultAt(0),
                                          all.resultAt(1),
                                          staffId,
                                          action,
                                          now,
                                          today));
                        }))
        .compose(v -> detail(id));
  }

  private Future<Void> apply(
      SqlClient tx,
      ReportStore.ReportRow r,
      List<ReportStore.ForwardRow> forwards,
      Map<String, Destination> destinations,
      String staffId,
      ModeratorAction a,
      Instant now,
      LocalDate today) {
    String claimedBy = r.claimedBy() == null ? staffId : r.claimedBy();
    String status = ReportStatus.RECEIVED.equals(r.status()) ? ReportStatus.IN_REVIEW : r.status();
    Optional<ReportStore.ForwardRow> live =
        forwards.stream()
            .filter(f -> !"failed".equals(f.effectiveState()))
            .reduce((first, second) -> second);
    JsonObject detail = new JsonObject();
    Future<Void> effect = Future.succeededFuture();
    String destination = r.destination();
    String outcome = r.outcome();
    LocalDate closedOn = null;
    switch (a.action()) {
      case "claim" -> {
        if (r.claimedBy() != null && !r.claimedBy().equals(staffId)) {
          detail.put("tookOverFrom", r.claimedBy());
        }
        claimedBy = staffId;
      }
      case "unclaim" -> {
        if (r.claimedBy() != null && !r.claimedBy().equals(staffId)) {
          detail.put("from", r.claimedBy());
        }
        claimedBy = null;
      }
      case "route" -> {
        if (live.isPresent()) {
          return Future.failedFuture(forwardedAlready(live.get(), "it cannot be re-routed."));
        }
        Destination to = destinations.get(a.destination());
        if (to == null || !to.active()) {
          throw InvalidInput.of(
              "destination", "is not an active destination; see listReportDestinations");
        }
        detail
            .put("from", r.destination())
            .put("to", a.destination())
            .put("reason", a.reason().strip());
        destination = a.destination();
        if (ReportStatus.FORWARDING.equals(status)) {
          status = ReportStatus.IN_REVIEW; // its forward failed: it is back with the moderators
        }
      }
      case "ask" -> {
        ReportCrypto.Sealed sealed =
            crypto.seal(a.message().strip(), ReportService.messageAad(r.id()));
        effect =
            store.insertMessage(
                tx, r.id(), "moderator", staffId, sealed.keyId(), sealed.bytes(), today);
      }
      case "forward" -> {
        if (live.isPresent()) {
          return Future.failedFuture(
              forwardedAlready(
                  live.get(), "a new forward is possible only after a failed delivery."));
        }
        effect = forward(tx, r, destinations.get(r.destination()), forwards, staffId, now, detail);
        status = ReportStatus.FORWARDING;
      }
      case "confirm_handoff" -> {
        // a referral stuck in the local mail sink may be handed over by hand, like a manual one
        Optional<ReportStore.ForwardRow> waiting =
            forwards.stream()
                .filter(
                    f ->
                        "awaiting_handoff".equals(f.state())
                            || "waiting_to_be_sent".equals(f.state()))
                .findFirst();
        if (waiting.isEmpty()) {
          return Future.failedFuture(
              new DomainException.Conflict("No hand-off is waiting for this report."));
        }
        detail.put("forwardId", waiting.get().id().toString());
        if (a.externalReference() != null) {
          detail.put("externalReference", a.externalReference());
        }
        effect =
            store
                .markForwardDelivered(tx, waiting.get().id(), now, "manual", a.externalReference())
                .mapEmpty();
        status = ReportStatus.FORWARDED;
      }
      case "close" -> {
        status = ReportStatus.CLOSED;
        outcome = a.outcome().strip();
        closedOn = today;
      }
      case "spam" -> {
        status = ReportStatus.SPAM;
        outcome =
            a.outcome() == null || a.outcome().isBlank()
                ? "We could not act on this report."
                : a.outcome().strip();
        closedOn = today;
      }
      default -> throw InvalidInput.of("action", "is not a known action");
    }
    String finalStatus = status;
    String finalDestination = destination;
    String finalClaimedBy = claimedBy;
    String finalOutcome = outcome;
    LocalDate finalClosedOn = closedOn;
    // someone has it (or it is closed): its escalation timer, the report's only time, goes now
    Future<Void> settled =
        finalClaimedBy != null || finalClosedOn != null
            ? store.stopEscalation(tx, r.id())
            : Future.succeededFuture();
    // counted at close, so that the monthly figures outlive the report
    Future<Void> counted =
        finalClosedOn == null
            ? Future.succeededFuture()
            : store.countClosed(
                tx,
                r.id(),
                ReportStatus.SPAM.equals(finalStatus)
                    ? "spam"
                    : forwards.stream().anyMatch(f -> "delivered".equals(f.state()))
                        ? "passed_on"
                        : "closed");
    return effect
        .compose(v -> settled)
        .compose(v -> counted)
        .compose(
            v ->
                store.updateReport(
                    tx,
                    r.id(),
                    finalStatus,
                    finalDestination,
                    finalClaimedBy,
                    finalOutcome,
                    today,
                    finalClosedOn))
        // an urgent report handed back is unclaimed again: its escalation starts over
        .compose(
            v ->
                "unclaim".equals(a.action()) && r.urgent() && finalClosedOn == null
                    ? alerts.armEscalation(tx, r.id())
                    : Future.<Void>succeededFuture())
        .compose(v -> store.audit(tx, r.id(), r.reference(), staffId, a.action(), detail, now));
  }

  private Future<Void> forward(
      SqlClient tx,
      ReportStore.ReportRow r,
      Destination to,
      List<ReportStore.ForwardRow> forwards,
      String staffId,
      Instant now,
      JsonObject detail) {
    ForwardRoutes.Route route = routes.of(to);
    UUID forwardId = UUID.randomUUID();
    detail
        .put("forwardId", forwardId.toString())
        .put("destination", r.destination())
        .put("channel", route.channel());
    // a previous forward whose delivery failed for good is closed off first
    Future<Void> retire = Future.succeededFuture();
    for (ReportStore.ForwardRow f : forwards) {
      if ("pending".equals(f.state()) && "failed".equals(f.effectiveState())) {
        retire = retire.compose(v -> store.markForwardFailed(tx, f.id()).mapEmpty());
      }
    }
    // a manual hand-off waits for a moderator; an e-mail goes through the outbox
    boolean manual = "manual".equals(route.channel());
    String outboxKey = manual ? null : "report-forward:" + forwardId;
    Future<Void> written =
        retire.compose(
            v ->
                store.insertForward(
                    tx,
                    new ReportStore.NewForward(
                        forwardId,
                        r.id(),
                        r.destination(),
                        manual ? "manual" : "email",
                        manual ? null : route.recipient(),
                        manual ? "awaiting_handoff" : "pending",
                        outboxKey,
                        staffId,
                        now)));
    if (manual) {
      return written;
    }
    return written
        // the payload names the forward only: no report text ever sits in the outbox
        .compose(
            v ->
                Outbox.enqueue(
                    tx,
                    ForwardRoutes.EMAIL_CHANNEL,
                    outboxKey,
                    new JsonObject().put("forwardId", forwardId.toString())))
        .mapEmpty();
  }

  private static void validate(ModeratorAction a) {
    InvalidInput.Builder errors = InvalidInput.builder();
    if (a.action() == null || !ModeratorAction.ACTIONS.contains(a.action())) {
      errors.add("action", "must be one of " + String.join(", ", ModeratorAction.ACTIONS));
      errors.throwIfAny();
    }
    switch (a.action()) {
      case "route" ->
          errors
              .check(
                  a.destination() != null && !a.destination().isBlank(),
                  "destination",
                  "is required: the id of an active destination")
              .check(
                  a.reason() != null && !a.reason().isBlank(),
                  "reason",
                  "is required: why it goes elsewhere (kept in the audit trail)");
      case "ask" ->
          errors.check(
              a.message() != null && !a.message().isBlank(),
              "message",
              "is required: the question the reporter will see");
      case "close" ->
          errors.check(
              a.outcome() != null && !a.outcome().isBlank(),
              "outcome",
              "is required: a short outcome the reporter will see");
      default -> {}
    }
    errors.throwIfAny();
  }

  // ---- reading -----------------------------------------------------------------------------

  private Future<TriageReport> detail(UUID id) {
    return detail(id, true);
  }

  private Future<TriageReport> detail(UUID id, boolean withText) {
    return Future.all(
            store.report(pool, id),
            store.messages(pool, id),
            store.forwards(pool, id),
            store.auditTrail(pool, id),
            store.destinations(pool))
        .map(
            all -> {
              Optional<ReportStore.ReportRow> found = all.resultAt(0);
              ReportStore.ReportRow r = found.orElseThrow(ReportModeration::notFound);
              List<ReportStore.MessageRow> messageRows = all.resultAt(1);
              List<ReportStore.ForwardRow> forwardRows = all.resultAt(2);
              List<TriageReport.AuditEntry> history = all.resultAt(3);
              Map<String, Destination> destinations = all.resultAt(4);
              Referrals.Content content =
                  withText ? content(r, messageRows) : new Referrals.Content(r, null, List.of());
              List<TriageReport.Forward> forwards = new ArrayList<>();
              for (ReportStore.ForwardRow f : forwardRows) {
                TriageReport.Handoff handoff = null;
                if (("awaiting_handoff".equals(f.state()) || "waiting_to_be_sent".equals(f.state()))
                    && withText) {
                  Destination d = destinations.get(f.destination());
                  handoff =
                      new TriageReport.Handoff(
                          d == null ? null : d.handoffInstructions(),
                          Referrals.handoff(content),
                          d == null ? null : d.phone(),
                          d == null ? null : d.website());
                }
                forwards.add(
                    new TriageReport.Forward(
                        f.id().toString(),
                        f.destination(),
                        f.channel(),
                        f.recipient(),
                        f.effectiveState(),
                        f.requestedBy(),
                        f.requestedAt(),
                        f.deliveredAt(),
                        f.deliveredVia(),
                        f.externalReference(),
                        f.attempts(),
                        f.lastError(),
                        f.nextAttemptAt(),
                        handoff));
              }
              return new TriageReport(
                  r.id().toString(),
                  r.reference(),
                  r.categoryId(),
                  r.categoryLabel(),
                  r.destination(),
                  r.urgent(),
                  r.immediateDanger(),
                  r.areaId(),
                  r.areaLabel(),
                  r.happenedWhen(),
                  content.description(),
                  r.status(),
                  ReportStatus.forReporter(r.status(), r.destination()),
                  r.outcome(),
                  r.createdOn(),
                  r.updatedOn(),
                  r.closedOn(),
                  r.claimedBy(),
                  content.messages(),
                  List.copyOf(forwards),
                  history);
            });
  }

  Referrals.Content content(ReportStore.ReportRow r, List<ReportStore.MessageRow> messageRows) {
    List<TriageReport.Message> messages = new ArrayList<>(messageRows.size());
    for (ReportStore.MessageRow m : messageRows) {
      messages.add(
          new TriageReport.Message(
              m.author(),
              m.staffId(),
              crypto.open(m.keyId(), m.bodyCt(), ReportService.messageAad(r.id())),
              m.sentOn()));
    }
    return new Referrals.Content(
        r,
        crypto.open(r.keyId(), r.descriptionCt(), ReportService.descriptionAad(r.id())),
        List.copyOf(messages));
  }

  // ---- the local mail sink (embedded default) ----------------------------------------------

  /** An e-mail the embedded default "sent" to the local sink, decrypted for a moderator. */
  public record SinkMail(long id, List<String> to, String subject, String text, Instant storedAt) {}

  /** The newest report e-mails in the local sink (empty in production, where SMTP is used). */
  /** Walks the audit trail's hash chain (content.verify_report_audit). */
  public Future<AuditVerification> verifyAudit() {
    return store.verifyAudit(pool);
  }

  /**
   * The local sink's referral e-mails, decrypted; like reading the report, each read is audited
   * first.
   */
  public Future<List<SinkMail>> mailSink(int limit, String staffId) {
    return LocalSink.list(pool, ForwardRoutes.EMAIL_CHANNEL, limit)
        .compose(
            entries ->
                store
                    .auditMailReads(
                        pool,
                        entries.stream()
                            .map(LocalSink.Entry::dedupeKey)
                            .filter(Objects::nonNull)
                            .toList(),
                        staffId,
                        clock.instant())
                    .map(entries))
        .map(
            entries -> {
              List<SinkMail> out = new ArrayList<>(entries.size());
              for (LocalSink.Entry e : entries) {
                JsonObject p = e.payload();
                List<String> to =
                    p.getJsonArray("to", new io.vertx.core.json.JsonArray()).stream()
                        .map(String::valueOf)
                        .toList();
                String text =
                    crypto.open(
                        p.getString("keyId"),
                        Base64.getDecoder().decode(p.getString("sealedText", "")),
                        sinkAad(e.dedupeKey()));
                out.add(new SinkMail(e.id(), to, p.getString("subject"), text, e.deliveredAt()));
              }
              return out;
            });
  }

  static String sinkAad(String dedupeKey) {
    return "mail:" + dedupeKey;
  }

  private static UUID parseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw notFound();
    }
  }

  private static DomainException.NotFound notFound() {
    return new DomainException.NotFound("There is no such report.");
  }

  private static DomainException.Conflict forwardedAlready(
      ReportStore.ForwardRow live, String what) {
    return new DomainException.Conflict(
        "This report has been forwarded already (" + live.effectiveState() + "); " + what);
  }
}
