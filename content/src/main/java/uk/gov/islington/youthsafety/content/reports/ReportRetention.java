package uk.gov.islington.youthsafety.content.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import uk.gov.islington.youthsafety.content.common.Retention;

/**
 * Retention of anonymous reports (docs/privacy/reports.md):
 * <ul>
 *   <li>closed reports: deleted {@code closedAfter} after the day they were closed, with their
 *       messages, forwards and idempotency record (cascade);</li>
 *   <li>reports marked spam: after {@code spamAfter};</li>
 *   <li>idempotency records (they hold the first answer, receipt code included, encrypted):
 *       after {@code idempotencyAfter};</li>
 *   <li>the audit trail: after {@code auditAfter}, through the one path its trigger allows.</li>
 * </ul>
 * Open reports are never purged: nothing acknowledged is lost; moderators close them.
 */
public final class ReportRetention {

  private ReportRetention() {}

  public static List<Retention> rules(Duration closedAfter, Duration spamAfter, Duration idempotencyAfter,
      Duration auditAfter) {
    return List.of(
        Retention.of("closed-reports", (pool, now) -> new ReportStore(pool).purgeClosed(pool, ReportStatus.CLOSED,
            daysBefore(now, closedAfter))),
        Retention.of("spam-reports", (pool, now) -> new ReportStore(pool).purgeClosed(pool, ReportStatus.SPAM,
            daysBefore(now, spamAfter))),
        Retention.of("report-idempotency", (pool, now) -> new ReportStore(pool).purgeSubmissions(pool,
            daysBefore(now, idempotencyAfter))),
        Retention.of("report-audit", (pool, now) -> pool.withTransaction(tx -> new ReportStore(tx).purgeAudit(tx,
            now.minus(auditAfter)))));
  }

  /**
   * Rows dated before the returned day are older than {@code keep}. A row dated D is kept while
   * D + keep (in whole days, rounded up) has not passed: with dates only, a period is honoured to
   * the day, never cut short.
   */
  static LocalDate daysBefore(Instant now, Duration keep) {
    long days = (keep.toSeconds() + 86_399) / 86_400;
    return LocalDate.ofInstant(now, ReportDates.LONDON).minusDays(days);
  }

}
