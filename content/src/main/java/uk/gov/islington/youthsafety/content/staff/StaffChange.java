package uk.gov.islington.youthsafety.content.staff;

import java.time.Instant;

/**
 * The outcome of an update: the account as it now is, and the instant before which its tokens stop
 * being accepted (null when nothing that matters for tokens changed).
 */
public record StaffChange(StaffMember member, Instant tokensNotBefore) {}
