package uk.gov.islington.youthsafety.content.reports;

import java.time.Duration;
import java.util.List;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.notifications.outbox.LocalSink;
import uk.gov.islington.youthsafety.notifications.outbox.Outbox;

/**
 * Retention of anonymous reports (docs/privacy.md, "Anonymous reports"):
 *
 * <ul>
 *   <li>closed reports: deleted {@code closedAfter} after the day they were closed, with their
 *       messages and forwards (cascade);
 *   <li>reports marked spam: after {@code spamAfter};
 *   <li>the audit trail: after {@code auditAfter}, through the owner's purge function, which never
 *       deletes rows younger than a year by the database's clock.
 * </ul>
 *
 * Open reports are never purged: nothing acknowledged is lost; moderators close them.
 */
public final class ReportRetention {

  private static final ReportStore STORE = new ReportStore();

  private ReportRetention() {}

  public static List<Retention> rules(
      Duration closedAfter, Duration spamAfter, Duration auditAfter) {
    return List.of(
        Retention.of(
            "closed-reports",
            (pool, now) ->
                STORE.purgeClosed(
                    pool,
                    ReportStatus.CLOSED,
                    Retention.daysBefore(now, closedAfter, ReportDates.LONDON))),
        Retention.of(
            "spam-reports",
            (pool, now) ->
                STORE.purgeClosed(
                    pool,
                    ReportStatus.SPAM,
                    Retention.daysBefore(now, spamAfter, ReportDates.LONDON))),
        Retention.of("report-audit", (pool, now) -> STORE.purgeAudit(pool, now.minus(auditAfter))));
  }

  /**
   * Sent duty alerts and pushes (their outbox rows, local-sink copies and whom they reached) go at
   * the next round: a sent alert's row would say when a report arrived, so it is not kept for
   * OUTBOX_RETENTION like other messages.
   */
  public static Retention dutyAlertsSent() {
    return Retention.of(
        "duty-alerts",
        (pool, now) ->
            Outbox.purgeFinished(pool, DutyAlerts.CHANNEL, Duration.ZERO)
                .compose(
                    n ->
                        LocalSink.purgeOlderThan(pool, DutyAlerts.CHANNEL, Duration.ZERO)
                            .map(m -> n + m))
                .compose(
                    n ->
                        Outbox.purgeFinished(pool, DutyPushes.CHANNEL, Duration.ZERO)
                            .map(m -> n + m))
                .compose(n -> DutyPushes.purgeReached(pool).map(m -> n + m)));
  }
}
