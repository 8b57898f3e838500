package uk.gov.islington.youthsafety.api.reports;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.http.RateLimits;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.content.reports.DutyAlertEmails;
import uk.gov.islington.youthsafety.content.reports.DutyAlerts;
import uk.gov.islington.youthsafety.content.reports.DutyPushes;
import uk.gov.islington.youthsafety.content.reports.ForwardRoutes;
import uk.gov.islington.youthsafety.content.reports.ReferralEmails;
import uk.gov.islington.youthsafety.content.reports.ReportCrypto;
import uk.gov.islington.youthsafety.content.reports.ReportDates;
import uk.gov.islington.youthsafety.content.reports.ReportModeration;
import uk.gov.islington.youthsafety.content.reports.ReportRetention;
import uk.gov.islington.youthsafety.content.reports.ReportService;
import uk.gov.islington.youthsafety.content.reports.ReportStatistics;
import uk.gov.islington.youthsafety.notifications.email.EmailChannel;
import uk.gov.islington.youthsafety.notifications.email.EmailTransport;
import uk.gov.islington.youthsafety.notifications.email.LocalSinkTransport;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;
import uk.gov.islington.youthsafety.notifications.push.PushSender;

/**
 * Anonymous concern reports, wired: the keys that seal report text, the services, the e-mail
 * channel that forwards reports (SMTP, or the local sink), the rate limits and the retention rules.
 * The operations themselves — the reporter's (public, no token, no access log line, no address or
 * time stored), the moderators' and the editors' — are in {@link ReportRoutes}; settings in {@link
 * ReportSettings}.
 */
public final class ReportsFeature implements Feature {

  private static final Logger LOG = LoggerFactory.getLogger(ReportsFeature.class);

  private final ReportRoutes routes;
  private final ReportModeration moderation;
  private final ReportService reports;
  private final EmailChannel emailChannel;
  private final EmailChannel alertChannel;
  private final DutyAlerts alerts;
  private final DutyPushes dutyPushes;
  private final Duration alertCheckInterval;
  private final io.vertx.core.Vertx vertx;
  private final List<Retention> retention;
  private final List<String> warnings;
  private long alertTimer = -1;

  /**
   * @param push the service's one push sender (FCM when configured, else the local sink)
   */
  public ReportsFeature(AppContext app, PushSender push) {
    ReportSettings settings = ReportSettings.from(app.config());
    ReportCrypto crypto = new ReportCrypto(ReportKeyFiles.load(app.config(), settings));
    ForwardRoutes forwarding = settings.routes();
    this.vertx = app.vertx();
    this.alerts =
        new DutyAlerts(app.pool(), app.clock(), settings.alerts(), settings.workingDays());
    this.alertCheckInterval = settings.alertCheckInterval();
    this.dutyPushes = new DutyPushes(app.pool(), app.clock(), push, settings.alerts().consoleUrl());
    this.reports =
        new ReportService(
            app.vertx(), app.pool(), app.clock(), crypto, settings.routingCacheTtl(), alerts);
    this.moderation = new ReportModeration(app.pool(), app.clock(), crypto, forwarding, alerts);
    ReferralEmails referrals =
        new ReferralEmails(app.pool(), app.clock(), crypto, forwarding, alerts);
    boolean emailUsed =
        settings.alerts().dutyEmail().isPresent()
            || settings.alerts().escalationEmail().isPresent()
            || forwarding.byDestination().values().stream()
                .anyMatch(r -> "email".equals(r.channel()));
    // referrals and alerts share one SMTP client; on the local sink each keeps its own copies
    Optional<EmailTransport> smtp = ReportEmailTransport.smtp(app, settings, emailUsed);
    this.emailChannel =
        new EmailChannel(
            ForwardRoutes.EMAIL_CHANNEL,
            referrals,
            smtp.orElseGet(() -> new LocalSinkTransport(app.pool(), referrals::sinkPayload)),
            settings.emailRetryInitial(),
            settings.emailRetryMax());
    this.warnings =
        ReportWarnings.of(
            smtp.isEmpty(),
            emailUsed,
            settings.alerts(),
            settings.workingDays().knownUntil().isBefore(ReportDates.today(app.clock()))
                ? settings.workingDays()
                : null);
    this.alertChannel =
        new EmailChannel(
            DutyAlerts.CHANNEL,
            new DutyAlertEmails(settings.alerts()),
            smtp.orElseGet(() -> new LocalSinkTransport(app.pool(), DutyAlertEmails::sinkPayload)),
            settings.emailRetryInitial(),
            settings.emailRetryMax());
    RateLimits limits = app.rateLimits();
    this.routes =
        new ReportRoutes(
            reports,
            moderation,
            new ReportStatistics(app.pool(), app.clock()),
            dutyPushes,
            limits.limit(
                "reports:submit", settings.submitCapacity(), settings.submitsPerHour() / 60.0),
            limits.limit(
                "reports:wrong-receipt-code",
                settings.wrongCodeCapacity(),
                settings.wrongCodesPerHour() / 60.0),
            limits.limit(
                "reports:code-lookups-network",
                settings.lookupsPerNetworkCapacity(),
                settings.lookupsPerNetworkPerHour() / 60.0),
            limits.limit(
                "reports:code-lookups-code",
                settings.lookupsPerCodeCapacity(),
                settings.lookupsPerCodePerHour() / 60.0));
    List<Retention> rules =
        new ArrayList<>(
            ReportRetention.rules(
                settings.retention(), settings.spamRetention(), settings.auditRetention()));
    rules.add(ReportRetention.dutyAlertsSent());
    this.retention = List.copyOf(rules);
  }

  @Override
  public List<String> warnings() {
    return warnings;
  }

  /**
   * Digests of non-urgent reports and escalations of unclaimed urgent ones every
   * REPORT_ALERT_CHECK_INTERVAL, on whichever instance gets there first.
   */
  @Override
  public Future<Void> start() {
    DutyAlerts.Settings s = alerts.settings();
    if (s.dutyEmail().isPresent() || s.escalationEmail().isPresent()) {
      alertTimer =
          vertx.setPeriodic(
              alertCheckInterval.toMillis(),
              id ->
                  alerts
                      .runOnce()
                      .onFailure(
                          e ->
                              LOG.warn(
                                  "duty alerts not checked this round: {}",
                                  e.getClass().getSimpleName())));
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    if (alertTimer >= 0) {
      vertx.cancelTimer(alertTimer);
    }
    return Future.succeededFuture();
  }

  /** The duty alerts (the job's round, for tests and the console). */
  public DutyAlerts alerts() {
    return alerts;
  }

  /** The reporters' side and its categories, for the console's category pages. */
  public ReportService reports() {
    return reports;
  }

  /** The moderators' side, for the console's triage pages. */
  public ReportModeration moderation() {
    return moderation;
  }

  @Override
  public List<Channel> channels() {
    return List.of(emailChannel, alertChannel, dutyPushes);
  }

  @Override
  public List<Retention> retention() {
    return retention;
  }

  @Override
  public void routes(Routes routes) {
    this.routes.addTo(routes);
  }
}
