package uk.gov.islington.youthsafety.api.bulletins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.push.PushSettings;
import uk.gov.islington.youthsafety.notifications.push.FcmSettings;
import uk.gov.islington.youthsafety.notifications.push.PushBatchChannel;
import uk.gov.islington.youthsafety.notifications.push.PushFanout;
import uk.gov.islington.youthsafety.notifications.push.SubscriberKeys;

/**
 * Every setting of the Youth Safety Bulletin's push fan-out, read and checked once at start
 * (docs/operations.md, "Youth Safety Bulletin"); where pushes go is {@link PushSettings}'.
 *
 * @param subscriberKey the secret of subscription keys; derived from the JWT signing key without it
 */
record BulletinSettings(
    int batchSize,
    Duration subscriptionIdle,
    Duration batchRetention,
    PushBatchChannel.Options batches,
    Optional<Path> subscriberKey) {

  static BulletinSettings from(Config config) {
    // a batch is held for as long as the sender may take over it
    FcmSettings fcm = PushSettings.from(config).fcm();
    Duration hold = config.duration("PUSH_BATCH_HOLD", fcm.batchHold());
    if (hold.toMillis() < 100) {
      throw new IllegalArgumentException("PUSH_BATCH_HOLD must be at least 100ms");
    }
    return new BulletinSettings(
        config.integer("PUSH_BATCH_SIZE", PushFanout.MAX_BATCH_SIZE, 1, PushFanout.MAX_BATCH_SIZE),
        config.positiveDuration("PUSH_SUBSCRIPTION_IDLE", Duration.ofDays(270)),
        config.positiveDuration("PUSH_BATCH_RETENTION", Duration.ofDays(30)),
        new PushBatchChannel.Options(
            hold,
            config.integer(
                "PUSH_MAX_SENDS", PushBatchChannel.Options.defaults().maxSends(), 1, 1000)),
        config.optional("PUSH_SUBSCRIBER_KEY").map(Path::of));
  }

  /**
   * The secret of the subscription keys: {@code PUSH_SUBSCRIBER_KEY} (a file of at least 32 random
   * bytes), or else derived from the JWT signing key file, which every instance already shares.
   */
  SubscriberKeys subscriberKeys(Config config) {
    Path file =
        subscriberKey()
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
              + (subscriberKey().isPresent() ? "PUSH_SUBSCRIBER_KEY" : "JWT_SIGNING_KEY"),
          e);
    }
  }
}
