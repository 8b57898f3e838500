package uk.gov.islington.youthsafety.content.reports;

/**
 * What walking the audit trail's hash chain found: intact, or the first place it breaks (the chain
 * position, the row where it shows, null when the newest rows are gone, and why).
 */
public record AuditVerification(
    boolean intact, long rowsChecked, Long brokenAtSeq, Long brokenAtId, String problem) {}
