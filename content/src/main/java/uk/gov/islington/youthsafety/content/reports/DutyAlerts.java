package uk.gov.islington.youthsafety.content.reports;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import uk.gov.islington.youthsafety.notifications.outbox.Outbox;

/**
 * Tells the duty inbox that reports are waiting. An urgent report alerts at once, by e-mail and by
 * push to the moderators on duty ({@link DutyPushes}): its alerts are enqueued in the transaction
 * that stores the report, so there is exactly one of each, committed with it. Other reports are
 * counted into a digest, at most one every {@code digestInterval}, by a job that any number of
 * instances may run (an advisory lock and the state row's lock make one do it). The same job
 * escalates an urgent report that nobody has claimed, every {@code escalateAfter} until someone
 * does; its timer is a row committed with the report, so it survives restarts. Once a working day,
 * from {@code overdueDigestAt}, the job also tells the duty inbox how many reports have waited past
 * the triage target ({@code triageTargetDays} working days) without anyone claiming them.
 *
 * <p>An alert names no report: only how urgent, the category group and the console link. Its outbox
 * row holds nothing more, so neither the row nor the e-mail can be matched to a report.
 */
public final class DutyAlerts {

  /** The outbox channel duty alerts go through. */
  public static final String CHANNEL = "report-duty-alert";

  /**
   * @param dutyEmail where alerts go; empty: nobody is alerted (the start-up log says so)
   * @param digestInterval the shortest time between two digests of non-urgent reports
   * @param consoleUrl the triage queue's address, the only link an alert carries
   * @param escalationEmail where an urgent report nobody claims is escalated; empty: it is not
   * @param escalateAfter how long an urgent report may wait unclaimed, and then between escalations
   * @param triageTargetDays working days within which a report should be claimed
   * @param overdueDigestAt from when (London time) on a working day the overdue reports are counted
   */
  public record Settings(
      Optional<String> dutyEmail,
      Duration digestInterval,
      String consoleUrl,
      Optional<String> escalationEmail,
      Duration escalateAfter,
      int triageTargetDays,
      LocalTime overdueDigestAt) {
    public Settings {
      Objects.requireNonNull(overdueDigestAt, "overdueDigestAt");
      Objects.requireNonNull(dutyEmail, "dutyEmail");
      Objects.requireNonNull(digestInterval, "digestInterval");
      Objects.requireNonNull(consoleUrl, "consoleUrl");
      Objects.requireNonNull(escalationEmail, "escalationEmail");
      Objects.requireNonNull(escalateAfter, "escalateAfter");
    }
  }

  private final Pool pool;
  private final Clock clock;
  private final Settings settings;
  private final WorkingDays workingDays;
  private final ReportStore store = new ReportStore();

  public DutyAlerts(Pool pool, Clock clock, Settings settings, WorkingDays workingDays) {
    this.pool = pool;
    this.clock = clock;
    this.settings = settings;
    this.workingDays = Objects.requireNonNull(workingDays, "workingDays");
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Reports still waiting for a first look that arrived on this day or before are overdue today.
   */
  LocalDate overdueUpTo() {
    return workingDays.overdueUpTo(ReportDates.today(clock), settings.triageTargetDays());
  }

  /**
   * Inside the transaction that stores an urgent report: its alert and its escalation timer,
   * committed with it.
   */
  Future<Void> urgentReport(SqlClient tx, UUID reportId, String categoryId) {
    return armEscalation(tx, reportId)
        .compose(v -> store.categoryGroup(tx, categoryId))
        .compose(
            group -> {
              JsonObject alert = new JsonObject().put("kind", "urgent").put("group", group);
              // queued when someone is on duty now; whom it reaches is read when it goes
              Future<Void> push =
                  store
                      .anyoneOnDuty(tx)
                      .compose(
                          anyone ->
                              anyone
                                  ? Outbox.enqueue(tx, DutyPushes.CHANNEL, null, alert.copy())
                                      .mapEmpty()
                                  : Future.succeededFuture());
              return settings.dutyEmail().isEmpty()
                  ? push
                  : push.compose(v -> Outbox.enqueue(tx, CHANNEL, null, alert).<Void>mapEmpty());
            })
        .mapEmpty();
  }

  /**
   * Starts an urgent report's escalation timer, in the transaction that leaves it unclaimed: at
   * arrival, and when a moderator hands it back, so that nobody's hand-back leaves it unseen.
   */
  Future<Void> armEscalation(SqlClient tx, UUID reportId) {
    return settings.escalationEmail().isEmpty()
        ? Future.succeededFuture()
        : store.startEscalation(tx, reportId, clock.instant().plus(settings.escalateAfter()));
  }

  /**
   * The job's round: a digest if one is due, the day's overdue count, then the escalations that are
   * due.
   */
  public Future<Void> runOnce() {
    return sendDigest().compose(v -> sendOverdueDigest()).compose(v -> escalate()).mapEmpty();
  }

  /**
   * Escalates every urgent report that has waited unclaimed past its due time, and sets its next
   * due time {@code escalateAfter} from now (not from the last one: after an outage, one
   * escalation, then the normal rhythm). Answers how many were escalated (0 also when another
   * instance holds the job this round).
   */
  public Future<Integer> escalate() {
    if (settings.escalationEmail().isEmpty()) {
      return Future.succeededFuture(0);
    }
    Instant now = clock.instant();
    return withAlertLock(
        0,
        tx ->
            store
                .escalateDue(tx, now, settings.escalateAfter())
                .compose(
                    due -> {
                      Future<Void> all = Future.succeededFuture();
                      for (ReportStore.DueEscalation e : due) {
                        long waited = settings.escalateAfter().toMinutes() * e.escalations();
                        all =
                            all.compose(
                                v ->
                                    Outbox.enqueue(
                                            tx,
                                            CHANNEL,
                                            null,
                                            new JsonObject()
                                                .put("kind", "escalation")
                                                .put("group", e.categoryGroup())
                                                .put("waitedMinutes", waited))
                                        .mapEmpty());
                      }
                      return all.map(due.size());
                    }));
  }

  /**
   * Runs {@code job} in a transaction that holds the alert lock; answers {@code busy} when another
   * instance holds it this round.
   */
  private <T> Future<T> withAlertLock(T busy, Function<SqlConnection, Future<T>> job) {
    return pool.withTransaction(
        tx ->
            store
                .tryAlertLock(tx)
                .compose(locked -> locked ? job.apply(tx) : Future.succeededFuture(busy)));
  }

  /**
   * One round of the job: a digest of the non-urgent reports that arrived since the last one, if
   * there are any and the last digest is at least {@code digestInterval} old. Answers whether a
   * digest was enqueued (false also when another instance holds the job this round).
   */
  public Future<Boolean> sendDigest() {
    if (settings.dutyEmail().isEmpty()) {
      return Future.succeededFuture(false);
    }
    Instant now = clock.instant();
    return withAlertLock(
        false,
        tx ->
            store
                .lastDigestForUpdate(tx)
                .compose(
                    last -> {
                      if (last != null && last.plus(settings.digestInterval()).isAfter(now)) {
                        return Future.succeededFuture(false);
                      }
                      return store
                          .announceWaiting(tx)
                          .compose(
                              groups ->
                                  groups.isEmpty()
                                      ? Future.succeededFuture(false)
                                      : store
                                          .digestSent(tx, now)
                                          .compose(
                                              v ->
                                                  Outbox.enqueue(
                                                      tx, CHANNEL, null, payload("digest", groups)))
                                          .map(true));
                    }));
  }

  /**
   * Once a working day, from {@code overdueDigestAt}: how many reports per category group have
   * waited past the triage target unclaimed, if any. Answers whether one was enqueued (false also
   * when it went earlier today, or another instance holds the job this round).
   */
  public Future<Boolean> sendOverdueDigest() {
    if (settings.dutyEmail().isEmpty()) {
      return Future.succeededFuture(false);
    }
    java.time.ZonedDateTime now = clock.instant().atZone(ReportDates.LONDON);
    LocalDate today = now.toLocalDate();
    if (!workingDays.isWorkingDay(today)
        || now.toLocalTime().isBefore(settings.overdueDigestAt())) {
      return Future.succeededFuture(false);
    }
    LocalDate upTo = overdueUpTo();
    return withAlertLock(
        false,
        tx ->
            store
                .lastOverdueDigestForUpdate(tx)
                .compose(
                    last ->
                        last != null && !last.isBefore(today)
                            ? Future.succeededFuture(false)
                            : store
                                .overdueDigestSent(tx, today)
                                .compose(v -> store.overdueByGroup(tx, upTo))
                                .compose(
                                    groups ->
                                        groups.isEmpty()
                                            ? Future.succeededFuture(false)
                                            : Outbox.enqueue(
                                                    tx,
                                                    CHANNEL,
                                                    null,
                                                    payload("overdue", groups)
                                                        .put(
                                                            "targetDays",
                                                            settings.triageTargetDays()))
                                                .map(true))));
  }

  private static JsonObject payload(String kind, Map<String, Long> groups) {
    JsonObject counts = new JsonObject();
    groups.forEach(counts::put);
    return new JsonObject().put("kind", kind).put("groups", counts);
  }
}
