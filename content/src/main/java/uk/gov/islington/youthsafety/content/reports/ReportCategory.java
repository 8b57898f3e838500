package uk.gov.islington.youthsafety.content.reports;

import io.vertx.core.json.JsonArray;

/**
 * What a young person picks when they report, and where it goes. {@code contacts} is a list of
 * {@code {name, phone?, email?, url?, note?}} objects shown with the guidance.
 */
public record ReportCategory(
    String id,
    String label,
    String description,
    String destination,
    String guidance,
    JsonArray contacts,
    int sortOrder,
    boolean active) {}
