package uk.gov.islington.youthsafety.content.consultations;

import java.time.Instant;
import java.util.List;

/**
 * Counted results. Option counts are exact; the turnout breakdown by age band is suppressed below
 * {@link Consultations#SUPPRESSION_THRESHOLD} (see {@link Suppression}). {@code asOf} is when the
 * count was taken (live results of an open consultation are recounted at most every few minutes).
 */
public record Results(
    String consultationId,
    boolean published,
    Instant publishedAt,
    ConsultationState state,
    int totalBallots,
    List<QuestionResult> questions,
    List<TurnoutCell> turnoutByAgeBand,
    Instant asOf) {

  /** {@code answered}: ballots that answered this question (a young person may skip a question). */
  public record QuestionResult(
      String questionId,
      String text,
      QuestionType type,
      int answered,
      List<OptionResult> options) {}

  /**
   * {@code count}: ballots that chose (or, for a ranking, ranked) the option. For rankings also
   * {@code firstPreferences} and {@code bordaPoints} (n points for a first place among n options
   * down to 1 for last place; 0 when left unranked); null for other question types.
   */
  public record OptionResult(
      String optionId, String text, int count, Integer firstPreferences, Integer bordaPoints) {}

  /**
   * One turnout cell; {@code ageBand} null means "not stated". {@code count} is null when
   * suppressed.
   */
  public record TurnoutCell(String ageBand, Integer count, boolean suppressed) {}
}
