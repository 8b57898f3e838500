package uk.gov.islington.youthsafety.content.reports;

import java.time.LocalDate;

/**
 * One line of the moderators' queue. No report text: that is read (and audited) one report at a
 * time.
 *
 * @param delivery state of the latest forward, or null: pending, retrying, awaiting_handoff,
 *     delivered, failed
 * @param awaitingModerator the last message is the reporter's
 * @param areaLabel the coarse area the reporter chose, or null
 * @param overdue nobody has claimed it within the triage target (working days)
 */
public record TriageItem(
    String id,
    String reference,
    String categoryId,
    String categoryLabel,
    String destination,
    boolean urgent,
    String status,
    LocalDate createdOn,
    LocalDate updatedOn,
    String claimedBy,
    String delivery,
    boolean awaitingModerator,
    String areaLabel,
    boolean overdue) {}
