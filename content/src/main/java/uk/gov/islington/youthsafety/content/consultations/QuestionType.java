package uk.gov.islington.youthsafety.content.consultations;

import java.util.Locale;

/**
 * How a question is answered: one option, up to {@code maxChoices} options, or options in order of
 * preference.
 */
public enum QuestionType {
  SINGLE,
  MULTIPLE,
  RANKING;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static QuestionType fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
