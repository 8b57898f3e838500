package uk.gov.islington.youthsafety.notifications.email;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One e-mail as a feature composed it: a plain-text part, optionally an HTML alternative, and
 * optionally extra header fields (e.g. {@code List-Unsubscribe}). {@code messageId} is stable per
 * outbox message so that a redelivery (delivery is at-least-once) carries the same Message-ID and
 * the recipient's mail system can recognise the duplicate.
 */
public record Email(
    List<String> to,
    String subject,
    String text,
    String html,
    Map<String, String> headers,
    String messageId) {

  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,75}");

  public Email {
    to = List.copyOf(Objects.requireNonNull(to, "to"));
    if (to.isEmpty()) {
      throw new IllegalArgumentException("an e-mail needs a recipient");
    }
    for (String recipient : to) {
      if (CONTROL.matcher(recipient).find()) {
        throw new IllegalArgumentException("a recipient address holds a control character");
      }
    }
    // whatever a feature put in it (a category label, say), the subject header stays one line
    subject = CONTROL.matcher(Objects.requireNonNull(subject, "subject")).replaceAll(" ");
    Objects.requireNonNull(text, "text");
    Map<String, String> checked = new LinkedHashMap<>();
    (headers == null ? Map.<String, String>of() : headers)
        .forEach(
            (name, value) -> {
              // a header value with a line break would start a header (or the body) of the caller's
              // choosing
              if (!HEADER_NAME.matcher(name).matches()
                  || value == null
                  || CONTROL.matcher(value).find()) {
                throw new IllegalArgumentException("header " + name + " is not a single line");
              }
              checked.put(name, value);
            });
    headers = java.util.Collections.unmodifiableMap(checked);
  }

  /** A plain-text e-mail without extra headers. */
  public Email(List<String> to, String subject, String text, String messageId) {
    this(to, subject, text, null, Map.of(), messageId);
  }

  /** Never prints the text: it may hold report content. */
  @Override
  public String toString() {
    return "Email[to=" + to.size() + " recipient(s)]";
  }
}
