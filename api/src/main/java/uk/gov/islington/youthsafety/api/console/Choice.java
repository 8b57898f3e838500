package uk.gov.islington.youthsafety.api.console;

/**
 * One checkbox or radio of a form: its value, label, whether it is chosen, and an optional hint.
 */
public record Choice(String value, String label, boolean selected, String hint) {

  public Choice(String value, String label, boolean selected) {
    this(value, label, selected, null);
  }
}
