package uk.gov.islington.youthsafety.content.bulletins;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the bulletin takes as an e-mail address: one plain {@code local@domain} mailbox of at most
 * 254 characters (RFC 5321's limit), a dot-atom local part and a domain of letters, digits and
 * hyphens with at least one dot. Nothing else: no display name, no comments, no quoted local part,
 * no space or control character — so an address can never carry a second recipient or a header
 * (CR/LF) into an e-mail.
 */
final class EmailAddresses {

  private static final Pattern ADDRESS =
      Pattern.compile(
          "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
              + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");

  private EmailAddresses() {}

  /** The address as given without surrounding spaces, or null when it is not one we take. */
  static String valid(String value) {
    if (value == null) {
      return null;
    }
    String a = value.strip();
    if (a.length() > 254 || a.indexOf('@') > 64 || !ADDRESS.matcher(a).matches()) {
      return null;
    }
    return a;
  }

  /** The form that is hashed for look-up: case does not make a second subscription. */
  static String normalised(String valid) {
    return valid.toLowerCase(Locale.ROOT);
  }
}
