package uk.gov.islington.youthsafety.api.console;

import uk.gov.islington.youthsafety.content.reports.ReportModeration;

/**
 * The home page: each role's work. {@code queue} is null for someone who does not triage.
 *
 * @param oldestWaiting how long the oldest open report has waited, in words
 */
public record HomeView(
    ReportModeration.QueueSummary queue,
    String oldestWaiting,
    boolean admin,
    boolean council,
    boolean otherRoles) {}
