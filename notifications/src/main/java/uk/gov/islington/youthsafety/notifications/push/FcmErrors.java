package uk.gov.islington.youthsafety.notifications.push;

import com.google.firebase.ErrorCode;
import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.MessagingErrorCode;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http2.H2StreamResetException;

/**
 * What an FCM error means for us (https://firebase.google.com/docs/cloud-messaging/send/v1-api and
 * the HTTP v1 error codes):
 *
 * <ul>
 *   <li>{@code UNREGISTERED} (404): the app was uninstalled or the token expired: remove it;
 *   <li>{@code INVALID_ARGUMENT} (400) about the token (a {@code message.token} field violation, or
 *       the "not a valid FCM registration token" message): remove it; about anything else (the
 *       payload): the message failed, the token stays;
 *   <li>{@code SENDER_ID_MISMATCH} (403): failed, token kept: a wrongly configured project would
 *       otherwise wipe every subscription;
 *   <li>{@code QUOTA_EXCEEDED} (429), {@code UNAVAILABLE} (503), {@code INTERNAL} (500), APNs/web
 *       push auth trouble, our credentials being refused, time-outs and I/O errors: retry, not
 *       before the response's Retry-After (429 without one: 60 s, as FCM asks).
 * </ul>
 *
 * Reasons never contain the token or the payload.
 */
final class FcmErrors {

  static final Duration QUOTA_DEFAULT_WAIT = Duration.ofSeconds(60);

  private FcmErrors() {}

  static PushSender.Outcome classify(Throwable error, Clock clock) {
    if (!(error instanceof FirebaseMessagingException e)) {
      return new PushSender.Outcome.Retry(null, "send failed: " + error.getClass().getSimpleName());
    }
    MessagingErrorCode fcm = e.getMessagingErrorCode();
    ErrorCode platform = e.getErrorCode();
    int status = e.getHttpResponse() == null ? 0 : e.getHttpResponse().getStatusCode();
    String label =
        (fcm != null
                ? fcm.name()
                : timedOut(e) ? ErrorCode.DEADLINE_EXCEEDED.name() : platform.name())
            + (status > 0 ? " (HTTP " + status + ")" : "");
    if (fcm == MessagingErrorCode.UNREGISTERED) {
      return new PushSender.Outcome.InvalidToken(label);
    }
    if (fcm == MessagingErrorCode.INVALID_ARGUMENT
        || (fcm == null && platform == ErrorCode.INVALID_ARGUMENT)) {
      return aboutToken(e)
          ? new PushSender.Outcome.InvalidToken(label + ": invalid registration token")
          : new PushSender.Outcome.Failed(label + ": message rejected");
    }
    if (fcm == MessagingErrorCode.SENDER_ID_MISMATCH) {
      return new PushSender.Outcome.Failed(label);
    }
    Duration after = retryAfter(e.getHttpResponse(), clock);
    if (fcm == MessagingErrorCode.QUOTA_EXCEEDED || platform == ErrorCode.RESOURCE_EXHAUSTED) {
      return new PushSender.Outcome.Retry(after == null ? QUOTA_DEFAULT_WAIT : after, label);
    }
    return new PushSender.Outcome.Retry(after, label);
  }

  /**
   * True for a connect or read time-out. The SDK says DEADLINE_EXCEEDED only when the transport
   * throws {@link SocketTimeoutException} itself (NetHttpTransport); its HTTP/2 transport
   * (firebase-admin 9.7.0, Apache HttpClient 5.3) wraps the time-out in a plain IOException, which
   * the SDK reports as UNKNOWN: a read time-out there is the stream reset "Timeout due to
   * inactivity (…)", a connect time-out a {@code ConnectTimeoutException}. Either way it is
   * retried; this only names it the same on both transports.
   */
  static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SocketTimeoutException
          || t instanceof ConnectTimeoutException
          || (t instanceof H2StreamResetException
              && t.getMessage() != null
              && t.getMessage().startsWith("Timeout"))) {
        return true;
      }
    }
    return false;
  }

  /** True when the 400 is about the registration token rather than the message. */
  static boolean aboutToken(FirebaseMessagingException e) {
    JsonObject body = body(e.getHttpResponse());
    JsonObject error =
        body == null ? null : body.getValue("error") instanceof JsonObject o ? o : null;
    if (error != null && error.getValue("details") instanceof JsonArray details) {
      for (Object detail : details) {
        if (detail instanceof JsonObject d
            && d.getValue("fieldViolations") instanceof JsonArray violations) {
          for (Object v : violations) {
            if (v instanceof JsonObject violation
                && "message.token".equals(violation.getString("field"))) {
              return true;
            }
          }
        }
      }
    }
    String message =
        error != null && error.getValue("message") instanceof String s ? s : e.getMessage();
    return message != null && message.toLowerCase(Locale.ROOT).contains("registration token");
  }

  /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(IncomingHttpResponse response, Clock clock) {
    if (response == null || response.getHeaders() == null) {
      return null;
    }
    Object value = null;
    for (Map.Entry<String, Object> h : response.getHeaders().entrySet()) {
      if ("retry-after".equalsIgnoreCase(h.getKey())) {
        value = h.getValue();
      }
    }
    if (value instanceof List<?> list) {
      value = list.isEmpty() ? null : list.get(0);
    }
    if (value == null) {
      return null;
    }
    String text = value.toString().trim();
    try {
      long seconds = Long.parseLong(text);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static JsonObject body(IncomingHttpResponse response) {
    if (response == null || response.getContent() == null || response.getContent().isBlank()) {
      return null;
    }
    try {
      return new JsonObject(response.getContent());
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }
}
