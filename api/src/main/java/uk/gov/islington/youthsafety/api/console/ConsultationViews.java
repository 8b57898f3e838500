package uk.gov.islington.youthsafety.api.console;

import java.util.List;

/** What the Youth Council's consultation pages show. */
public final class ConsultationViews {

  private ConsultationViews() {}

  /** One line of the list: where it leads, its title, and its dates in words. */
  public record Row(String href, String title, String when, int questions) {}

  /** One part of the list: its id on the page, heading, a note (or null), and its consultations. */
  public record Section(String id, String heading, String note, List<Row> rows) {}

  /** One question as the summary shows it; {@code number} counts from 1. */
  public record Question(int number, String text, String type, List<String> options) {}

  /**
   * A consultation (or a draft of one) as a summary list. Null fields are not given yet.
   *
   * @param base where the Change links lead (a draft's or a consultation's pages)
   * @param frozen voting has started: only the description may change
   */
  public record Summary(
      String base,
      String title,
      String description,
      String opens,
      String closes,
      String ageBands,
      List<Question> questions,
      boolean frozen,
      boolean editable) {}

  /** Turnout while open, and after: {@code cells} by age band, a withheld count shown as such. */
  public record Turnout(int total, List<Cell> cells, boolean anyWithheld, String countedAt) {}

  public record Cell(String ageBand, String count) {}

  /** One question's results: the chart (inline SVG), and the same numbers in the table. */
  public record QuestionResult(
      int number,
      String text,
      String type,
      int answered,
      String chartSvg,
      boolean ranking,
      List<OptionRow> options) {}

  public record OptionRow(String text, int count, Integer firstPreferences, Integer bordaPoints) {}

  /** The consultation page: its summary, state, and what voting has produced so far. */
  public record Page(
      String id,
      Summary summary,
      String state,
      String stateTag,
      Turnout turnout,
      List<QuestionResult> results,
      boolean publishable,
      boolean published,
      String publishedAt,
      String banner) {}

  /** The preview: the consultation as the app shows it to a young person. */
  public record Preview(
      String back,
      String title,
      String description,
      String audience,
      String closes,
      List<PreviewQuestion> questions) {}

  public record PreviewQuestion(
      int number, String text, String type, int maxChoices, List<String> options) {}
}
