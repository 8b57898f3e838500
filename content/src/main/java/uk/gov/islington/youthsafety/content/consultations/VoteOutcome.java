package uk.gov.islington.youthsafety.content.consultations;

/**
 * The answer to a ballot. {@code replayed} is true when this is the retry of a ballot already
 * counted with the same Idempotency-Key: the caller gets the first answer again.
 */
public record VoteOutcome(String consultationId, boolean replayed) {}
