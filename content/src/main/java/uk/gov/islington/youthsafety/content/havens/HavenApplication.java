package uk.gov.islington.youthsafety.content.havens;

import java.time.Instant;

/**
 * An application from premises to join the scheme.
 *
 * @param status pending, approved, rejected or expired (never decided within the retention period)
 * @param contactName the applicant's contact details: personal data, null once purged
 * @param havenId the haven an approval created
 */
public record HavenApplication(
    String id,
    String status,
    HavenInput.Draft premises,
    String contactName,
    String contactEmail,
    String contactPhone,
    Instant submittedAt,
    Instant decidedAt,
    String decidedBy,
    String decisionReason,
    String havenId,
    Instant contactPurgedAt) {

  public static final String PENDING = "pending";
  public static final String APPROVED = "approved";
  public static final String REJECTED = "rejected";
  public static final String EXPIRED = "expired";
}
