package uk.gov.islington.youthsafety.content.staff;

import java.util.Locale;
import java.util.Set;
import uk.gov.islington.youthsafety.content.common.InvalidInput;

/**
 * Which passwords staff may choose: length over composition rules (NIST SP 800-63B), at least 12
 * characters, not built from the username, not one character repeated, not a well-known one.
 */
public final class PasswordPolicy {

  public static final int MIN_LENGTH = 12;
  public static final int MAX_LENGTH = 256;

  // the commonest 12+ character passwords in breach corpora, plus local favourites
  private static final Set<String> COMMON =
      Set.of(
          "password1234",
          "password12345",
          "password123!",
          "123456789012",
          "1234567890123",
          "qwertyuiop12",
          "qwertyuiop123",
          "qwerty123456",
          "iloveyou1234",
          "abcdefghijkl",
          "abc123456789",
          "passwordpassword",
          "changeme1234",
          "welcome12345",
          "letmein12345",
          "islington123",
          "islington1234",
          "youthsafety1",
          "youthsafety123",
          "administrator",
          "administrator1");

  private PasswordPolicy() {}

  /**
   * Adds an error naming {@code field} when {@code password} is not acceptable for {@code
   * username}.
   */
  public static void check(
      InvalidInput.Builder errors, String field, String password, String username) {
    if (password == null) {
      errors.add(field, "is required");
      return;
    }
    int length = password.codePointCount(0, password.length());
    String lower = password.toLowerCase(Locale.ROOT);
    if (length < MIN_LENGTH) {
      errors.add(field, "must be at least " + MIN_LENGTH + " characters");
    } else if (length > MAX_LENGTH) {
      errors.add(field, "must be at most " + MAX_LENGTH + " characters");
    } else if (password.codePoints().distinct().count() == 1) {
      errors.add(field, "must not be one character repeated");
    } else if (COMMON.contains(lower)) {
      errors.add(field, "is too common; choose another");
    } else if (username != null
        && username.length() >= 3
        && lower.contains(username.toLowerCase(Locale.ROOT))) {
      errors.add(field, "must not contain the username");
    }
  }
}
