package uk.gov.islington.youthsafety.content.common;

import java.util.regex.Pattern;

/** The one check of a free-text field in an editor's body: type, control characters, length. */
public final class TextInput {

  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
  private static final Pattern CONTROL_EXCEPT_NEWLINE = Pattern.compile("[\\p{Cntrl}&&[^\\n]]");

  private TextInput() {}

  /**
   * The stripped text of {@code v}, the value at {@code field} (in the body or an object nested in
   * it), or null when it is absent or wrong; a wrong value is reported once under {@code field}
   * (callers do not check a value that is already wrong).
   *
   * @param multiline whether line breaks are allowed (descriptions, notes); nothing else is
   */
  public static String read(
      Object v,
      String field,
      int min,
      int max,
      boolean required,
      boolean multiline,
      InvalidInput.Builder errors) {
    if (v == null) {
      if (required) {
        errors.add(field, "is required");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      errors.add(field, "must be a string");
      return null;
    }
    String t = s.strip();
    if ((multiline ? CONTROL_EXCEPT_NEWLINE : CONTROL).matcher(t).find()) {
      errors.add(field, "must not contain control characters");
    } else if (t.length() < min) {
      errors.add(field, min <= 1 ? "must not be blank" : "must be at least " + min + " characters");
    } else if (t.length() > max) {
      errors.add(field, "must be at most " + max + " characters");
    } else {
      return t;
    }
    return null;
  }
}
