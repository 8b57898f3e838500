package uk.gov.islington.youthsafety.api.bulletins;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.notifications.push.FcmSettings;
import uk.gov.islington.youthsafety.notifications.push.PushBatchChannel;
import uk.gov.islington.youthsafety.notifications.push.PushFanout;

/**
 * Every setting of the Youth Safety Bulletin and its push delivery, read and checked once at start
 * (docs/operations.md, "Youth Safety Bulletin").
 *
 * @param firebaseCredentials a service-account file: push goes to FCM (production)
 * @param firebaseAppName a FirebaseApp the embedding program initialised (tests, the benchmark)
 * @param subscriberKey the secret of subscription keys; derived from the JWT signing key without it
 */
record BulletinSettings(
    int batchSize,
    Duration subscriptionIdle,
    Duration batchRetention,
    FcmSettings fcm,
    PushBatchChannel.Options batches,
    Optional<Path> firebaseCredentials,
    Optional<String> firebaseProjectId,
    Optional<String> firebaseAppName,
    Optional<Path> subscriberKey) {

  static BulletinSettings from(Config config) {
    FcmSettings d = FcmSettings.defaults();
    FcmSettings fcm =
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
            config.positiveDuration("FCM_MAX_LIMITER_WAIT", d.maxLimiterWait()));
    Duration hold = config.duration("PUSH_BATCH_HOLD", fcm.batchHold());
    if (hold.toMillis() < 100) {
      throw new IllegalArgumentException("PUSH_BATCH_HOLD must be at least 100ms");
    }
    return new BulletinSettings(
        config.integer("PUSH_BATCH_SIZE", PushFanout.MAX_BATCH_SIZE, 1, PushFanout.MAX_BATCH_SIZE),
        config.positiveDuration("PUSH_SUBSCRIPTION_IDLE", Duration.ofDays(270)),
        config.positiveDuration("PUSH_BATCH_RETENTION", Duration.ofDays(30)),
        fcm,
        new PushBatchChannel.Options(
            hold,
            config.integer(
                "PUSH_MAX_SENDS", PushBatchChannel.Options.defaults().maxSends(), 1, 1000)),
        config.optional("FIREBASE_CREDENTIALS").map(Path::of),
        config.optional("FIREBASE_PROJECT_ID"),
        config.optional("FIREBASE_APP_NAME"),
        config.optional("PUSH_SUBSCRIBER_KEY").map(Path::of));
  }
}
