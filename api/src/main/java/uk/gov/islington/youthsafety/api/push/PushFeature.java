package uk.gov.islington.youthsafety.api.push;

import com.google.firebase.FirebaseApp;
import com.google.firebase.messaging.FirebaseMessaging;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.notifications.push.FcmRateLimiter;
import uk.gov.islington.youthsafety.notifications.push.FcmSender;
import uk.gov.islington.youthsafety.notifications.push.FcmSettings;
import uk.gov.islington.youthsafety.notifications.push.FirebaseSetup;
import uk.gov.islington.youthsafety.notifications.push.LocalSinkSender;
import uk.gov.islington.youthsafety.notifications.push.PushSender;

/**
 * The one push sender of the service, lent to every feature that pushes (the bulletin, duty
 * alerts): FCM through the Firebase Admin SDK when {@code FIREBASE_CREDENTIALS} names a
 * service-account file, or {@code FIREBASE_APP_NAME} a FirebaseApp the embedding program
 * initialised (tests and the benchmark point the real SDK at a fake FCM server that way); otherwise
 * the local sink, with a warning. One sender means one rate limit for the project's FCM quota.
 */
public final class PushFeature implements Feature {

  private static final Logger LOG = LoggerFactory.getLogger(PushFeature.class);
  static final String FIREBASE_APP = "youth-safety-push";

  private final Vertx vertx;
  private final PushSender sender;
  private final List<String> warnings;
  // the FirebaseApp made here from FIREBASE_CREDENTIALS, deleted at stop; null otherwise
  private FirebaseApp ownedFirebase;

  public PushFeature(AppContext app) {
    PushSettings settings = PushSettings.from(app.config());
    this.vertx = app.vertx();
    FirebaseApp firebase = firebase(settings);
    if (firebase == null) {
      this.sender = new LocalSinkSender(app.pool());
      this.warnings =
          List.of(
              "Push is not configured: bulletins and duty alerts to phones are kept in the local sink "
                  + "and no phone receives them. Set FIREBASE_CREDENTIALS (docs/operations.md).");
      return;
    }
    if (settings.firebaseCredentials().isPresent()) {
      ownedFirebase = firebase;
    }
    FcmSettings fcm = settings.fcm();
    FcmSender fcmSender =
        new FcmSender(
            app.vertx(),
            FirebaseMessaging.getInstance(firebase),
            new FcmRateLimiter(fcm.messagesPerMinute()),
            fcm,
            app.clock());
    metrics(app.metrics(), fcmSender);
    LOG.info(
        "pushes go to FCM project {} ({} sender threads, {} messages a minute)",
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
    this.sender = fcmSender;
    this.warnings = List.of();
  }

  /** FCM when configured, else the local sink: for every push the service sends. */
  public PushSender sender() {
    return sender;
  }

  /** The FirebaseApp to send through, or null for the local sink. */
  private static FirebaseApp firebase(PushSettings settings) {
    if (settings.firebaseCredentials().isPresent()) {
      return named(FIREBASE_APP)
          .orElseGet(
              () -> {
                try {
                  return FirebaseSetup.fromServiceAccount(
                      FIREBASE_APP,
                      settings.firebaseCredentials().get(),
                      settings.firebaseProjectId().orElse(null),
                      settings.fcm());
                } catch (IOException e) {
                  throw new UncheckedIOException("FIREBASE_CREDENTIALS could not be read", e);
                }
              });
    }
    return settings
        .firebaseAppName()
        .map(
            name ->
                named(name)
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                "FIREBASE_APP_NAME names no initialised FirebaseApp")))
        .orElse(null);
  }

  private static java.util.Optional<FirebaseApp> named(String name) {
    return FirebaseApp.getApps().stream().filter(a -> a.getName().equals(name)).findFirst();
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

  @Override
  public void routes(Routes routes) {
    // no operations of its own
  }

  @Override
  public List<String> warnings() {
    return warnings;
  }

  /**
   * Releases the SDK's threads and connections; stopped after the features that push (the
   * dispatcher has stopped sending by now).
   */
  @Override
  public Future<Void> stop() {
    FirebaseApp firebase = ownedFirebase;
    ownedFirebase = null;
    return firebase == null
        ? Future.succeededFuture()
        : vertx.executeBlocking(
            () -> {
              firebase.delete();
              return null;
            });
  }
}
