package uk.gov.islington.youthsafety.api.bulletins;

import com.google.firebase.FirebaseApp;
import com.google.firebase.messaging.FirebaseMessaging;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.api.mail.SmtpClients;
import uk.gov.islington.youthsafety.api.reports.ReportsFeature;
import uk.gov.islington.youthsafety.content.bulletins.BulletinEmails;
import uk.gov.islington.youthsafety.content.bulletins.BulletinSubscriptions;
import uk.gov.islington.youthsafety.content.bulletins.Bulletins;
import uk.gov.islington.youthsafety.content.bulletins.EmailSubscriptions;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.content.reports.ReportCrypto;
import uk.gov.islington.youthsafety.notifications.email.EmailChannel;
import uk.gov.islington.youthsafety.notifications.email.EmailTransport;
import uk.gov.islington.youthsafety.notifications.email.LocalSinkTransport;
import uk.gov.islington.youthsafety.notifications.email.NotifyTransport;
import uk.gov.islington.youthsafety.notifications.email.PacedTransport;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;
import uk.gov.islington.youthsafety.notifications.push.FcmRateLimiter;
import uk.gov.islington.youthsafety.notifications.push.FcmSender;
import uk.gov.islington.youthsafety.notifications.push.FcmSettings;
import uk.gov.islington.youthsafety.notifications.push.FirebaseSetup;
import uk.gov.islington.youthsafety.notifications.push.LocalSinkSender;
import uk.gov.islington.youthsafety.notifications.push.PushBatchChannel;
import uk.gov.islington.youthsafety.notifications.push.PushFanout;
import uk.gov.islington.youthsafety.notifications.push.PushSender;
import uk.gov.islington.youthsafety.notifications.push.PushSubscriptions;
import uk.gov.islington.youthsafety.notifications.push.SubscriberKeys;

/**
 * The Youth Safety Bulletin, wired: the services, the push channel and its sender, metrics and
 * retention. The operations are in {@link BulletinRoutes}. Push goes to FCM through the Firebase
 * Admin SDK when {@code FIREBASE_CREDENTIALS} names a service-account file, otherwise to the local
 * sink (the delivery report works either way). Settings: {@link BulletinSettings}.
 */
public final class BulletinsFeature implements Feature {

  private static final Logger LOG = LoggerFactory.getLogger(BulletinsFeature.class);
  static final String FIREBASE_APP = "youth-safety-push";

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
  private final PushSender pushSender;
  private final Duration subscriptionIdle;
  private final Duration batchRetention;
  private final io.vertx.core.Vertx vertx;
  // the FirebaseApp this feature created (from FIREBASE_CREDENTIALS), deleted at stop; null
  // otherwise
  private FirebaseApp ownedFirebase;

  public BulletinsFeature(AppContext app) {
    BulletinSettings settings = BulletinSettings.from(app.config());
    this.pool = app.pool();
    this.vertx = app.vertx();
    BulletinEmailSettings email = BulletinEmailSettings.from(app.config());
    this.emailSubscriptions =
        new EmailSubscriptions(
            pool,
            app.clock(),
            new ReportCrypto(ReportsFeature.keys(app.config())),
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
        new BulletinSubscriptions(pool, subscriberKeys(app.config(), settings), app.clock());
    this.subscriptionIdle = settings.subscriptionIdle();
    this.batchRetention = settings.batchRetention();

    PushSender sender = sender(app, settings);
    this.pushSender = sender;
    if (sender instanceof FcmSender && settings.firebaseCredentials().isPresent()) {
      ownedFirebase = FirebaseApp.getInstance(FIREBASE_APP);
    }
    List<Channel> all = new ArrayList<>(bulletins.channels());
    all.add(new PushBatchChannel(pool, sender, settings.batches()));
    EmailTransport relay = emailTransport(app, email);
    this.warnings =
        warnings(relay instanceof LocalSinkTransport, sender instanceof LocalSinkSender);
    // one pace for everything this feature hands to the relay: sign-up e-mails and bulletins
    this.emailTransport = new PacedTransport(vertx, relay, email.messagesPerSecond());
    all.add(
        new EmailChannel(
            EmailSubscriptions.CONFIRM_CHANNEL,
            emailSubscriptions.confirmations(),
            emailTransport,
            email.retryInitial(),
            email.retryMax()));
    all.add(
        new EmailChannel(
            EmailSubscriptions.BULLETIN_CHANNEL,
            emailSubscriptions.bulletins(),
            emailTransport,
            email.retryInitial(),
            email.retryMax()));
    all.add(
        new EmailChannel(
            EmailSubscriptions.DIGEST_CHANNEL,
            emailSubscriptions.digests(),
            emailTransport,
            email.retryInitial(),
            email.retryMax()));
    this.channels = List.copyOf(all);
  }

  private static List<String> warnings(boolean emailToSink, boolean pushToSink) {
    List<String> out = new ArrayList<>();
    if (emailToSink) {
      out.add(
          "Bulletin e-mail is not configured: sign-up confirmations and bulletin e-mails are kept in the "
              + "local mail sink and no subscriber receives them. Set SMTP_HOST or EMAIL_TRANSPORT (docs/operations.md).");
    }
    if (pushToSink) {
      out.add(
          "Push is not configured: bulletin pushes are kept in the local sink and no phone receives them. "
              + "Set FIREBASE_CREDENTIALS (docs/operations.md).");
    }
    return List.copyOf(out);
  }

  @Override
  public List<String> warnings() {
    return warnings;
  }

  /** FCM when configured, else the local sink: for every push the service sends. */
  public PushSender pushSender() {
    return pushSender;
  }

  /**
   * SMTP when SMTP_HOST is set (or EMAIL_TRANSPORT=smtp), GOV.UK Notify with
   * EMAIL_TRANSPORT=notify, else the local sink.
   */
  private static EmailTransport emailTransport(AppContext app, BulletinEmailSettings settings) {
    String kind =
        settings.transport().orElse(settings.smtp().host().isPresent() ? "smtp" : "local-sink");
    if (kind.equals("notify")) {
      BulletinEmailSettings.Notify notify = settings.notifyApi();
      java.nio.file.Path keyFile =
          notify
              .apiKeyFile()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "EMAIL_TRANSPORT=notify needs NOTIFY_API_KEY_FILE"));
      String template =
          notify
              .templateId()
              .orElseThrow(
                  () ->
                      new IllegalStateException("EMAIL_TRANSPORT=notify needs NOTIFY_TEMPLATE_ID"));
      String key;
      try {
        key = Files.readString(keyFile);
      } catch (IOException e) {
        throw new UncheckedIOException("NOTIFY_API_KEY_FILE could not be read", e);
      }
      try {
        return new NotifyTransport(
            app.vertx(), notify.baseUrl(), key, template, app.clock(), notify.timeout());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("NOTIFY_API_KEY_FILE: " + e.getMessage());
      }
    }
    if (kind.equals("local-sink")) {
      return new LocalSinkTransport(app.pool(), BulletinEmails::sinkPayload);
    }
    if (settings.smtp().host().isEmpty()) {
      throw new IllegalStateException("EMAIL_TRANSPORT=smtp needs SMTP_HOST");
    }
    return SmtpClients.transport(
        app.vertx(), settings.smtp(), settings.from(), settings.connections());
  }

  /**
   * FCM when configured: {@code FIREBASE_CREDENTIALS} (production), or {@code FIREBASE_APP_NAME}, a
   * FirebaseApp the embedding program initialised (tests and the benchmark point the real SDK at a
   * fake FCM server that way). Otherwise the local sink.
   */
  private static PushSender sender(AppContext app, BulletinSettings settings) {
    FcmSettings fcm = settings.fcm();
    FirebaseApp firebase = null;
    if (settings.firebaseCredentials().isPresent()) {
      Path credentials = settings.firebaseCredentials().get();
      firebase =
          FirebaseApp.getApps().stream()
              .filter(a -> a.getName().equals(FIREBASE_APP))
              .findFirst()
              .orElseGet(
                  () -> {
                    try {
                      return FirebaseSetup.fromServiceAccount(
                          FIREBASE_APP,
                          credentials,
                          settings.firebaseProjectId().orElse(null),
                          fcm);
                    } catch (IOException e) {
                      throw new UncheckedIOException("FIREBASE_CREDENTIALS could not be read", e);
                    }
                  });
    } else if (settings.firebaseAppName().isPresent()) {
      String name = settings.firebaseAppName().get();
      firebase =
          FirebaseApp.getApps().stream()
              .filter(a -> a.getName().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "FIREBASE_APP_NAME names no initialised FirebaseApp"));
    }
    if (firebase == null) {
      return new LocalSinkSender(app.pool());
    }
    FcmSender sender =
        new FcmSender(
            app.vertx(),
            FirebaseMessaging.getInstance(firebase),
            new FcmRateLimiter(fcm.messagesPerMinute()),
            fcm,
            app.clock());
    metrics(app.metrics(), sender);
    LOG.info(
        "bulletin pushes go to FCM project {} ({} sender threads, {} messages a minute)",
        firebase.getOptions().getProjectId(),
        fcm.senderThreads(),
        fcm.messagesPerMinute());
    FirebaseSetup.threadPriorityProblem()
        .ifPresent(
            problem ->
                LOG.warn(
                    "{}; start the JVM with {} (docs/operations.md)",
                    problem,
                    FirebaseSetup.PRIORITY_FLAGS));
    return sender;
  }

  private static void metrics(MeterRegistry registry, FcmSender sender) {
    counter(registry, "sent", s -> s.stats().sent(), sender);
    counter(registry, "invalid_token", s -> s.stats().invalidTokens(), sender);
    counter(registry, "failed", s -> s.stats().failed(), sender);
    counter(registry, "retried", s -> s.stats().retried(), sender);
    FunctionCounter.builder("push.fcm.batch.deadlines", sender, s -> s.stats().deadlines())
        .description("FCM batches cancelled at their deadline")
        .register(registry);
  }

  private static void counter(
      MeterRegistry registry, String outcome, ToDoubleFunction<FcmSender> f, FcmSender s) {
    FunctionCounter.builder("push.fcm.messages", s, f)
        .tag("outcome", outcome)
        .description("Messages handed to FCM, by outcome")
        .register(registry);
  }

  /**
   * The secret of the subscription keys: {@code PUSH_SUBSCRIBER_KEY} (a file of at least 32 random
   * bytes), or else derived from the JWT signing key file, which every instance already shares.
   */
  private static SubscriberKeys subscriberKeys(Config config, BulletinSettings settings) {
    Path file =
        settings
            .subscriberKey()
            .orElseGet(
                () ->
                    config
                        .jwtSigningKey()
                        .orElse(config.dataDir().resolve("keys/jwt-signing.pem")));
    try {
      return new SubscriberKeys(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the push subscriber key could not be read from "
              + (settings.subscriberKey().isPresent() ? "PUSH_SUBSCRIBER_KEY" : "JWT_SIGNING_KEY"),
          e);
    }
  }

  /**
   * Checks now and then whether last week's digest is due (queued once, whichever instance gets
   * there first).
   */
  @Override
  public Future<Void> start() {
    // loud on purpose: an editor may believe that a bulletin reached parents
    warnings.forEach(w -> LOG.warn("*** {} ***", w));
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
    return Future.succeededFuture();
  }

  /**
   * Releases the SDK's and the mail client's threads and connections (the dispatcher has stopped
   * sending by now).
   */
  @Override
  public Future<Void> stop() {
    if (digestTimer >= 0) {
      vertx.cancelTimer(digestTimer);
    }
    FirebaseApp firebase = ownedFirebase;
    ownedFirebase = null;
    Future<Void> mail = emailTransport.close().recover(e -> Future.succeededFuture());
    return firebase == null
        ? mail
        : mail.compose(
            v ->
                vertx.executeBlocking(
                    () -> {
                      firebase.delete();
                      return null;
                    }));
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
    BulletinPages pages = new BulletinPages(site, emailSignUp);
    ArchivePages archive = new ArchivePages(site, bulletins, publicBaseUrl);
    routes.pages(
        router -> {
          router.route("/bulletins*").handler(SitePages::headers);
          pages.mount(router); // its fixed paths before the archive's /bulletins/:bulletinId
          archive.mount(router);
          router
              .route("/bulletins*")
              .handler(
                  ctx ->
                      site.message(
                          ctx, 404, "Page not found", "There is nothing at this address.", true));
          router.route("/bulletins*").failureHandler(site::failed);
        });
  }
}
