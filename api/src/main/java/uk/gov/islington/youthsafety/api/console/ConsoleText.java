package uk.gov.islington.youthsafety.api.console;

/** Small text helpers the templates share. */
public final class ConsoleText {

  private ConsoleText() {}

  /**
   * The aria-describedby of a field: its hint and its error message, when shown; null when neither
   * is.
   */
  public static String describedBy(String id, boolean hint, boolean error) {
    String v =
        (hint ? id + "-hint" : "") + (hint && error ? " " : "") + (error ? id + "-error" : "");
    return v.isEmpty() ? null : v;
  }
}
