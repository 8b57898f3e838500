package uk.gov.islington.youthsafety.api.outbox;

import java.time.Duration;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.notifications.outbox.DispatcherOptions;

/**
 * Every setting of the outbox and its dispatcher, read and checked once at start
 * (docs/operations.md, "Outbox, jobs and demo content").
 *
 * @param dispatcher false on instances that should only serve HTTP
 * @param retention how long delivered or failed messages and local-sink copies are kept
 */
public record OutboxSettings(boolean dispatcher, DispatcherOptions options, Duration retention) {

  public static OutboxSettings from(Config config) {
    DispatcherOptions d = DispatcherOptions.defaults();
    return new OutboxSettings(
        config.bool("OUTBOX_DISPATCHER", true),
        d.withBatchSize(config.integer("OUTBOX_BATCH_SIZE", d.batchSize(), 1, 10_000))
            .withPollInterval(config.positiveDuration("OUTBOX_POLL_INTERVAL", d.pollInterval()))
            .withMaxAttempts(config.integer("OUTBOX_MAX_ATTEMPTS", d.maxAttempts(), 1, 1_000))
            .withLease(config.positiveDuration("OUTBOX_LEASE", d.lease())),
        config.positiveDuration("OUTBOX_RETENTION", Duration.ofDays(30)));
  }
}
