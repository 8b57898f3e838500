package uk.gov.islington.youthsafety.content.reports;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import uk.gov.islington.youthsafety.notifications.email.Email;
import uk.gov.islington.youthsafety.notifications.email.EmailSource;
import uk.gov.islington.youthsafety.notifications.email.LocalSinkTransport;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * Composes the referral e-mail for a forward when the dispatcher delivers it (the outbox row holds
 * only the forward's id), and records the outcome on the report, never more than happened:
 *
 * <ul>
 *   <li>accepted by an SMTP server: the forward is delivered, the report "forwarded" (the reporter
 *       then sees "passed to CSCT"), and the audit trail says when and how;
 *   <li>put in the local mail sink: the forward is "waiting to be sent" and the report stays
 *       "forwarding" (the reporter sees "being looked at");
 *   <li>refused for good by the SMTP server, or not accepted before the outbox ran out of attempts:
 *       the forward failed, the report is back with the moderators ("in review"), and the audit
 *       trail says so.
 * </ul>
 */
public final class ReferralEmails implements EmailSource {

  private static final String LOCAL_SINK = "local-sink";

  private final Pool pool;
  private final Clock clock;
  private final ReportCrypto crypto;
  private final ReportStore store;
  private final ReportModeration moderation;

  public ReferralEmails(
      Pool pool, Clock clock, ReportCrypto crypto, ForwardRoutes routes, DutyAlerts alerts) {
    this.pool = pool;
    this.clock = clock;
    this.crypto = crypto;
    this.store = new ReportStore();
    this.moderation = new ReportModeration(pool, clock, crypto, routes, alerts);
  }

  @Override
  public Future<Email> compose(OutboxMessage message) {
    UUID forwardId;
    try {
      forwardId = UUID.fromString(message.payload().getString("forwardId"));
    } catch (RuntimeException e) {
      return Future.failedFuture(new NothingToSend("the message names no forward"));
    }
    return store
        .forward(pool, forwardId)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.failedFuture(new NothingToSend("the report no longer exists"));
              }
              ReportStore.ForwardRow f = found.get();
              if ("delivered".equals(f.state()) || "waiting_to_be_sent".equals(f.state())) {
                return Future.failedFuture(new AlreadySent());
              }
              if (!"pending".equals(f.state())) {
                return Future.failedFuture(new NothingToSend("the forward was withdrawn"));
              }
              return Future.all(
                      store.report(pool, f.reportId()),
                      store.messages(pool, f.reportId()),
                      store.destinations(pool))
                  .map(
                      all -> {
                        java.util.Optional<ReportStore.ReportRow> report = all.resultAt(0);
                        if (report.isEmpty()) {
                          throw new NothingToSend("the report no longer exists");
                        }
                        List<ReportStore.MessageRow> messages = all.resultAt(1);
                        java.util.Map<String, Destination> destinations = all.resultAt(2);
                        Referrals.Content content = moderation.content(report.get(), messages);
                        Destination d = destinations.get(f.destination());
                        return new Email(
                            List.of(f.recipient()),
                            Referrals.subject(content),
                            Referrals.email(content, d == null ? f.destination() : d.name()),
                            "<report-forward-" + f.id() + "@youth-safety.islington.gov.uk>");
                      });
            });
  }

  @Override
  public Future<Void> sent(OutboxMessage message, String transport) {
    UUID forwardId = UUID.fromString(message.payload().getString("forwardId"));
    if (LOCAL_SINK.equals(transport)) {
      return pool.withTransaction(tx -> store.markForwardWaiting(tx, forwardId));
    }
    return pool.withTransaction(
        tx ->
            store
                .markForwardDelivered(tx, forwardId, clock.instant(), transport, null)
                .compose(
                    moved ->
                        !moved
                            ? Future.<Void>succeededFuture()
                            : store
                                .forward(tx, forwardId)
                                .compose(
                                    f -> {
                                      ReportStore.ForwardRow row = f.orElseThrow();
                                      return store
                                          .report(tx, row.reportId())
                                          .compose(
                                              r ->
                                                  store
                                                      .markReportForwarded(
                                                          tx,
                                                          row.reportId(),
                                                          ReportDates.today(clock))
                                                      .compose(
                                                          v ->
                                                              store.audit(
                                                                  tx,
                                                                  row.reportId(),
                                                                  r.map(
                                                                          ReportStore.ReportRow
                                                                              ::reference)
                                                                      .orElse("?"),
                                                                  "system",
                                                                  "delivered",
                                                                  new JsonObject()
                                                                      .put(
                                                                          "forwardId",
                                                                          forwardId.toString())
                                                                      .put("via", transport),
                                                                  clock.instant())));
                                    })));
  }

  @Override
  public Future<Void> gaveUp(OutboxMessage message, String reason) {
    return refused(message, reason);
  }

  @Override
  public Future<Void> refused(OutboxMessage message, String reason) {
    UUID forwardId = UUID.fromString(message.payload().getString("forwardId"));
    return pool.withTransaction(
        tx ->
            store
                .markForwardFailed(tx, forwardId)
                .compose(
                    moved ->
                        moved.isEmpty()
                            ? Future.<Void>succeededFuture()
                            : store
                                .report(tx, moved.get())
                                .compose(
                                    r ->
                                        store
                                            .markReportBackInQueue(
                                                tx, moved.get(), ReportDates.today(clock))
                                            .compose(
                                                v ->
                                                    store.audit(
                                                        tx,
                                                        moved.get(),
                                                        r.map(ReportStore.ReportRow::reference)
                                                            .orElse("?"),
                                                        "system",
                                                        "delivery_failed",
                                                        new JsonObject()
                                                            .put("forwardId", forwardId.toString())
                                                            .put("reason", reason),
                                                        clock.instant())))));
  }

  /**
   * What the local sink stores for a report e-mail: the addressing in clear, the text sealed with
   * the report key (bound to the outbox message), so the sink holds no report text in clear.
   */
  public JsonObject sinkPayload(LocalSinkTransport.EmailAndMessage m) {
    ReportCrypto.Sealed sealed =
        crypto.seal(m.email().text(), ReportModeration.sinkAad(m.message().dedupeKey()));
    return new JsonObject()
        .put("to", new JsonArray(m.email().to()))
        .put("subject", m.email().subject())
        .put("messageId", m.email().messageId())
        .put("keyId", sealed.keyId())
        .put("sealedText", Base64.getEncoder().encodeToString(sealed.bytes()));
  }
}
