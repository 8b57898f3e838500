package uk.gov.islington.youthsafety.content.reports;

/**
 * A coarse place a reporter may name: an Islington ward, "online", "outside Islington", "not sure".
 */
public record ReportArea(String id, String label, int sortOrder) {}
