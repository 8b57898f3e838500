package uk.gov.islington.youthsafety.notifications.outbox;

/**
 * Counters since the dispatcher was created, for a health or metrics endpoint (Micrometer is not a
 * dependency of this module). {@code leasesLost} counts outcomes that could not be recorded because
 * another dispatcher had re-claimed the row: each is a likely duplicate delivery.
 */
public record DispatcherStats(
    long claimed, long delivered, long retried, long failed, long leasesLost) {}
