package uk.gov.islington.youthsafety.content.common;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An offline bundle's sync token (Safe Havens, the support directory): this database's epoch and a
 * position in that content's change sequence, base64url-encoded. Opaque to the app; not secret.
 */
public record SyncToken(String epoch, long seq) {

  private static final Pattern FORM = Pattern.compile("^h1\\.([0-9a-z]{1,16})\\.([0-9]{1,18})$");

  /** A catalogue snapshot at its place in its content's change sequence: what a token names. */
  public abstract static class Position {
    private final String epoch;
    private final long seq;

    protected Position(String epoch, long seq) {
      this.epoch = epoch;
      this.seq = seq;
    }

    public final String epoch() {
      return epoch;
    }

    public final long seq() {
      return seq;
    }
  }

  /**
   * {@code current}, or a fresh one from {@code refresh} when {@code seen} (may be null) names a
   * later place in the same epoch: another instance served the caller newer content than this one
   * holds, so this one catches up first rather than answer with older data.
   */
  public static <S extends Position> Future<S> atLeast(
      SyncToken seen, Future<S> current, Supplier<Future<S>> refresh) {
    return current.compose(
        s ->
            seen != null && seen.epoch.equals(s.epoch()) && seen.seq > s.seq()
                ? refresh.get()
                : Future.succeededFuture(s));
  }

  public String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("h1." + epoch + "." + seq).getBytes(StandardCharsets.US_ASCII));
  }

  /** The token in {@code value}; 400 naming {@code field} when it is not one we issued. */
  public static SyncToken decode(String value, String field) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.US_ASCII);
      Matcher m = FORM.matcher(text);
      if (m.matches()) {
        return new SyncToken(m.group(1), Long.parseLong(m.group(2)));
      }
    } catch (IllegalArgumentException e) {
      // falls through to the same answer as any other foreign value
    }
    throw InvalidInput.of(field, "is not a sync token this API issued");
  }
}
