package uk.gov.islington.youthsafety.api.push;

import java.nio.file.Path;
import java.util.Optional;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.notifications.push.FcmSettings;

/**
 * Where the service's pushes go and how fast, read and checked once at start (docs/operations.md,
 * "Push to phones").
 *
 * @param firebaseCredentials a service-account file: push goes to FCM (production)
 * @param firebaseProjectId an override of the credentials' project
 * @param firebaseAppName a FirebaseApp the embedding program initialised (tests, the benchmark)
 */
public record PushSettings(
    FcmSettings fcm,
    Optional<Path> firebaseCredentials,
    Optional<String> firebaseProjectId,
    Optional<String> firebaseAppName) {

  public static PushSettings from(Config config) {
    FcmSettings d = FcmSettings.defaults();
    return new PushSettings(
        new FcmSettings(
            config.positiveDuration("FCM_CONNECT_TIMEOUT", d.connectTimeout()),
            config.positiveDuration("FCM_READ_TIMEOUT", d.readTimeout()),
            config.integer("FCM_SENDER_THREADS", d.senderThreads(), 1, 2000),
            config.integer(
                "FCM_MESSAGES_PER_MINUTE",
                FcmSettings.PROJECT_QUOTA_PER_MINUTE,
                1,
                Integer.MAX_VALUE),
            config.positiveDuration("FCM_BATCH_DEADLINE", d.batchDeadline()),
            config.positiveDuration("FCM_MAX_LIMITER_WAIT", d.maxLimiterWait())),
        config.optional("FIREBASE_CREDENTIALS").map(Path::of),
        config.optional("FIREBASE_PROJECT_ID"),
        config.optional("FIREBASE_APP_NAME"));
  }
}
