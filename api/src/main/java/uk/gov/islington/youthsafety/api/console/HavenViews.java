package uk.gov.islington.youthsafety.api.console;

import java.util.List;

/** What the editors' Safe Haven and application pages show. */
public final class HavenViews {

  private HavenViews() {}

  /** One line of a list of havens. */
  public record Row(
      String id,
      String name,
      String postcode,
      String category,
      boolean published,
      boolean openNow,
      String lastVerified,
      String verifiedAgo) {}

  /** One option of a select; {@code selected} marks the current one. */
  public record Option(String value, String label, boolean selected) {}

  /** The list's filters as chosen, and the options they offer. */
  public record Filters(
      String q,
      List<Option> categories,
      List<Option> statuses,
      boolean openNow,
      List<Option> verified) {}

  /**
   * A page of havens: {@code nextUrl} the next page, {@code firstUrl} back to the first (null on
   * the first).
   */
  public record ListPage(
      List<Row> rows, Filters filters, String nextUrl, String firstUrl, String summary) {}

  /** One line of a summary list. */
  public record Line(String key, String value) {}

  /** A haven's page. */
  public record Haven(
      String id,
      String name,
      boolean published,
      String suspendedReason,
      boolean openNow,
      String state,
      List<Line> premises,
      List<String> weekly,
      List<String> exceptions,
      String closure,
      String banner) {}

  /** One line of the applications queue. */
  public record ApplicationRow(
      String id, String name, String postcode, String category, String submitted, String status) {}

  /** An application's page. */
  public record Application(
      String id,
      String name,
      String status,
      boolean pending,
      List<Line> premises,
      List<String> weekly,
      List<Line> contact,
      String contactGone,
      String retention,
      List<Line> decision,
      String havenId,
      String banner) {}
}
