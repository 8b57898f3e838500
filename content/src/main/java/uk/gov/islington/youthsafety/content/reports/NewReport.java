package uk.gov.islington.youthsafety.content.reports;

/**
 * What a reporter sends (the body of submitReport). Nothing else about them reaches the service.
 *
 * @param area an id from {@code content.report_areas}, or null
 * @param happenedWhen one of {@link #HAPPENED_WHEN}, or null
 */
public record NewReport(
    String categoryId,
    String description,
    boolean immediateDanger,
    String area,
    String happenedWhen) {

  public static final java.util.List<String> HAPPENED_WHEN =
      java.util.List.of(
          "happening_now", "today", "past_week", "past_month", "longer_ago", "ongoing", "not_sure");

  /** The request's identity for idempotency: every field, unambiguously joined. */
  String fingerprint() {
    return String.join(
        "\u0000",
        "v1",
        categoryId,
        description,
        Boolean.toString(immediateDanger),
        area == null ? "\u0001" : area,
        happenedWhen == null ? "\u0001" : happenedWhen);
  }

  /** Never prints the description. */
  @Override
  public String toString() {
    return "NewReport[category=" + categoryId + "]";
  }
}
