package uk.gov.islington.youthsafety.api.bulletins;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.api.reports.ReportKeyFiles;
import uk.gov.islington.youthsafety.content.bulletins.BulletinSubscriptions;
import uk.gov.islington.youthsafety.content.bulletins.Bulletins;
import uk.gov.islington.youthsafety.content.bulletins.EmailSubscriptions;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.content.reports.ReportCrypto;
import uk.gov.islington.youthsafety.notifications.email.EmailChannel;
import uk.gov.islington.youthsafety.notifications.email.EmailPace;
import uk.gov.islington.youthsafety.notifications.email.EmailTransport;
import uk.gov.islington.youthsafety.notifications.email.LocalSinkTransport;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;
import uk.gov.islington.youthsafety.notifications.push.PushBatchChannel;
import uk.gov.islington.youthsafety.notifications.push.PushFanout;
import uk.gov.islington.youthsafety.notifications.push.PushSender;
import uk.gov.islington.youthsafety.notifications.push.PushSubscriptions;

/**
 * The Youth Safety Bulletin, wired: the services, the push and e-mail channels, the weekly digest's
 * timer and retention. The operations are in {@link BulletinRoutes}, the public pages in {@link
 * BulletinPages} and {@link ArchivePages}. Pushes go through the service's one sender ({@link
 * uk.gov.islington.youthsafety.api.push.PushFeature}). Settings: {@link BulletinSettings}, {@link
 * BulletinEmailSettings}.
 */
public final class BulletinsFeature implements Feature {

  private static final Logger LOG = LoggerFactory.getLogger(BulletinsFeature.class);

  private final Pool pool;
  private final Bulletins bulletins;
  private final EmailSubscriptions emailSubscriptions;
  private final EmailSignUp emailSignUp;
  private final EmailTransport emailTransport;
  private final Duration emailsKept;
  private final String publicBaseUrl;
  private final Duration digestCheck;
  private long digestTimer = -1;
  private final BulletinSubscriptions subscriptions;
  private final List<Channel> channels;
  private final List<String> warnings;
  private final Duration subscriptionIdle;
  private final Duration batchRetention;
  private final io.vertx.core.Vertx vertx;

  public BulletinsFeature(AppContext app, PushSender pushSender) {
    BulletinSettings settings = BulletinSettings.from(app.config());
    this.pool = app.pool();
    this.vertx = app.vertx();
    BulletinEmailSettings email = BulletinEmailSettings.from(app.config());
    this.emailSubscriptions =
        new EmailSubscriptions(
            pool,
            app.clock(),
            new ReportCrypto(ReportKeyFiles.load(app.config())),
            email.publicBaseUrl());
    this.emailSignUp =
        new EmailSignUp(
            emailSubscriptions,
            app.rateLimits()
                .limit(
                    "bulletins:email-sign-ups",
                    email.signUpsPerNetworkCapacity(),
                    email.signUpsPerNetworkPerHour() / 60.0));
    this.emailsKept = email.keepFinished();
    this.publicBaseUrl = email.publicBaseUrl();
    this.digestCheck = email.digestCheck();
    this.bulletins = new Bulletins(pool, app.clock(), settings.batchSize(), emailSubscriptions);
    this.subscriptions =
        new BulletinSubscriptions(pool, settings.subscriberKeys(app.config()), app.clock());
    this.subscriptionIdle = settings.subscriptionIdle();
    this.batchRetention = settings.batchRetention();

    List<Channel> all = new ArrayList<>(bulletins.channels());
    all.add(new PushBatchChannel(pool, pushSender, settings.batches()));
    this.emailTransport = BulletinEmailTransport.of(app, email);
    this.warnings =
        emailTransport instanceof LocalSinkTransport
            ? List.of(
                "Bulletin e-mail is not configured: sign-up confirmations and bulletin e-mails are kept in the "
                    + "local mail sink and no subscriber receives them. Set SMTP_HOST or EMAIL_TRANSPORT (docs/operations.md).")
            : List.of();
    // one pace for everything this feature hands to the relay: sign-up e-mails and bulletins
    EmailPace pace = EmailPace.perSecond(vertx, email.messagesPerSecond());
    Map.of(
            EmailSubscriptions.CONFIRM_CHANNEL, emailSubscriptions.confirmations(),
            EmailSubscriptions.BULLETIN_CHANNEL, emailSubscriptions.bulletins(),
            EmailSubscriptions.DIGEST_CHANNEL, emailSubscriptions.digests())
        .forEach(
            (name, source) ->
                all.add(
                    new EmailChannel(
                        name,
                        source,
                        emailTransport,
                        pace,
                        email.retryInitial(),
                        email.retryMax())));
    this.channels = List.copyOf(all);
  }

  @Override
  public List<String> warnings() {
    return warnings;
  }

  /** The bulletins' service, for the console's editors' pages. */
  public Bulletins bulletins() {
    return bulletins;
  }

  /**
   * Brings stored addresses up to date with the current report pepper and text key (after a
   * rotation: see docs/operations.md), then checks now and then whether last week's digest is due
   * (queued once, whichever instance gets there first).
   */
  @Override
  public Future<Void> start() {
    return emailSubscriptions.rekeyStoredAtStart().onComplete(v -> startDigestTimer());
  }

  private void startDigestTimer() {
    digestTimer =
        vertx.setPeriodic(
            digestCheck.toMillis(),
            id ->
                emailSubscriptions
                    .queueWeeklyDigest()
                    .onSuccess(
                        n -> {
                          if (n > 0) {
                            LOG.info("weekly bulletin digest queued for {} subscribers", n);
                          }
                        })
                    .onFailure(
                        e ->
                            LOG.warn(
                                "weekly bulletin digest not queued: {}",
                                e.getClass().getSimpleName())));
  }

  /** Releases the mail client's connections (the dispatcher has stopped sending by now). */
  @Override
  public Future<Void> stop() {
    if (digestTimer >= 0) {
      vertx.cancelTimer(digestTimer);
    }
    return emailTransport.close().recover(e -> Future.succeededFuture());
  }

  @Override
  public List<Channel> channels() {
    return channels;
  }

  @Override
  public List<Retention> retention() {
    List<Retention> rules =
        new ArrayList<>(
            List.of(
                Retention.of(
                    "push-subscriptions-idle",
                    (p, now) -> PushSubscriptions.purgeIdle(p, now.minus(subscriptionIdle))),
                Retention.of(
                    "push-batches-finished",
                    (p, now) -> PushFanout.purgeFinishedBatches(p, batchRetention))));
    rules.addAll(emailSubscriptions.retention(emailsKept));
    return rules;
  }

  @Override
  public void routes(Routes routes) {
    new BulletinRoutes(bulletins, subscriptions, emailSignUp).addTo(routes);
    SitePages site = new SitePages();
    routes.pages(
        router ->
            site.mount(
                router,
                new BulletinPages(site, emailSignUp),
                new ArchivePages(site, bulletins, publicBaseUrl)));
  }
}
