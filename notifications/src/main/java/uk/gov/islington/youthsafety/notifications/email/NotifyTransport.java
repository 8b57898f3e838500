package uk.gov.islington.youthsafety.notifications.email;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/**
 * Sends through GOV.UK Notify's REST API ({@code POST /v2/notifications/email}), as UK councils do.
 *
 * <ul>
 *   <li>Each request carries a fresh JWT (HS256, {@code iss} = the service id, {@code iat} = now),
 *       signed with the secret half of the API key, as Notify's API documentation specifies; Notify
 *       refuses tokens older than 30 seconds.
 *   <li>Notify composes e-mails from templates, referenced by id. Ours holds {@code ((subject))}
 *       and {@code ((body))}: the feature's subject and plain text go in as personalisation (Notify
 *       renders its own HTML from the text). The List-Unsubscribe URL goes as {@code
 *       one_click_unsubscribe_url}, from which Notify sets RFC 8058's headers.
 *   <li>201: sent. 400 naming {@code email_address}: the address is refused for good ({@link
 *       Rejected}). Any other 400 (our template or request), 403 (our key), 429 (rate or daily
 *       limit), 5xx or no answer: retried with back-off; nothing is held against the address.
 *       Notify's error text is not passed on: it may quote the address.
 * </ul>
 */
public final class NotifyTransport implements EmailTransport {

  /** Notify API keys end with the service id and the secret, both UUIDs. */
  private static final Pattern KEY =
      Pattern.compile(
          ".*-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

  private final HttpClient http;
  private final String endpoint;
  private final String serviceId;
  private final SecretKey secret;
  private final String templateId;
  private final Clock clock;
  private final long timeoutMillis;

  /**
   * @param baseUrl Notify's API, e.g. {@code https://api.notifications.service.gov.uk}
   * @param apiKey the whole key as Notify gives it ({@code name-serviceId-secret}); never logged
   */
  public NotifyTransport(
      Vertx vertx,
      String baseUrl,
      String apiKey,
      String templateId,
      Clock clock,
      Duration timeout) {
    Matcher m = KEY.matcher(Objects.requireNonNull(apiKey, "apiKey").strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a GOV.UK Notify API key (name-serviceId-secret)");
    }
    this.serviceId = m.group(1);
    this.secret = Keys.hmacShaKeyFor(m.group(2).getBytes(StandardCharsets.UTF_8));
    this.endpoint = baseUrl.replaceAll("/+$", "") + "/v2/notifications/email";
    this.templateId = Objects.requireNonNull(templateId, "templateId");
    this.clock = clock;
    this.timeoutMillis = timeout.toMillis();
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout((int) timeout.toMillis()).setKeepAlive(true));
  }

  @Override
  public String name() {
    return "notify";
  }

  /** The token of one request: Notify wants a new one at least every 30 seconds. */
  String token() {
    return Jwts.builder()
        .header()
        .type("JWT")
        .and()
        .issuer(serviceId)
        .issuedAt(new Date(clock.millis()))
        .signWith(secret, Jwts.SIG.HS256)
        .compact();
  }

  @Override
  public Future<Void> send(OutboxMessage message, Email email) {
    JsonObject body =
        new JsonObject()
            .put("email_address", email.to().get(0))
            .put("template_id", templateId)
            .put(
                "personalisation",
                new JsonObject().put("subject", email.subject()).put("body", email.text()))
            // Notify keeps it with the notification: our outbox id, nothing personal
            .put("reference", "outbox-" + message.id());
    String unsubscribe = email.headers().get("List-Unsubscribe");
    if (unsubscribe != null) {
      body.put("one_click_unsubscribe_url", unsubscribe.replaceAll("^<|>$", ""));
    }
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(endpoint)
            .setTimeout(timeoutMillis)
            .putHeader("Authorization", "Bearer " + token())
            .putHeader("Content-Type", "application/json")
            .putHeader("User-Agent", "youth-safety-api");
    return http.request(request)
        .compose(req -> req.send(body.toBuffer()))
        .compose(resp -> resp.body().compose(answer -> outcome(resp.statusCode(), answer)));
  }

  private static Future<Void> outcome(int status, Buffer answer) {
    if (status == 201) {
      return Future.succeededFuture();
    }
    if (status == 400 && aboutTheAddress(answer)) {
      return Future.failedFuture(new Rejected("Notify refused the address (400)"));
    }
    return Future.failedFuture(
        new IllegalStateException("Notify answered " + status + " (" + errorType(answer) + ")"));
  }

  private static boolean aboutTheAddress(Buffer answer) {
    JsonArray errors = errors(answer);
    for (int i = 0; i < errors.size(); i++) {
      String text = errors.getJsonObject(i).getString("message", "");
      if (text.startsWith("email_address") || text.contains("Not a valid email address")) {
        return true;
      }
    }
    return false;
  }

  private static String errorType(Buffer answer) {
    JsonArray errors = errors(answer);
    return errors.isEmpty() ? "no error" : errors.getJsonObject(0).getString("error", "error");
  }

  private static JsonArray errors(Buffer answer) {
    try {
      JsonArray errors = new JsonObject(answer).getJsonArray("errors");
      return errors == null ? new JsonArray() : errors;
    } catch (RuntimeException e) {
      return new JsonArray();
    }
  }

  @Override
  public Future<Void> close() {
    return http.close();
  }
}
