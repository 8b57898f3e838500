package uk.gov.islington.youthsafety.testing;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A local stand-in for GOV.UK Notify's {@code POST /v2/notifications/email}, checking what Notify
 * checks: a Bearer JWT signed HS256 with the key's secret, {@code iss} = the service id and an
 * {@code iat} within 30 seconds (else 403 AuthError); a known template id and its personalisation
 * (else 400 BadRequestError); and answering as Notify does: 201 with the notification, 400
 * ValidationError for an address it will not take, 429 RateLimitError, as the test scripts per
 * address.
 */
public final class FakeNotify implements AutoCloseable {

  public final String serviceId = UUID.randomUUID().toString();
  private volatile String secret = UUID.randomUUID().toString();
  public final String templateId = UUID.randomUUID().toString();
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<JsonObject> accepted =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final Map<String, AtomicInteger> requestsByAddress = new ConcurrentHashMap<>();
  private final AtomicInteger refusedTokens = new AtomicInteger();
  private volatile Function<String, Integer> status = address -> 201;

  public FakeNotify() throws Exception {
    server =
        vertx
            .createHttpServer()
            .requestHandler(this::handle)
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
  }

  public int port() {
    return server.actualPort();
  }

  /** The API key as Notify shows it: {@code name-serviceId-secret}. */
  public String apiKey() {
    return "youth_safety_test-" + serviceId + "-" + secret;
  }

  /** Notify revoked the key (or it was never ours): every request is a 403 from now on. */
  public void revokeKey() {
    secret = UUID.randomUUID().toString();
  }

  public void restoreKey(String key) {
    secret = key.substring(key.length() - 36);
  }

  /** The status to answer for an address (201, 400 or 429); 201 unless told otherwise. */
  public void answering(Function<String, Integer> statusByAddress) {
    this.status = statusByAddress;
  }

  /** Request bodies answered 201. */
  public List<JsonObject> accepted() {
    synchronized (accepted) {
      return List.copyOf(accepted);
    }
  }

  public List<JsonObject> acceptedFor(String address) {
    return accepted().stream().filter(b -> address.equals(b.getString("email_address"))).toList();
  }

  public int requests(String address) {
    AtomicInteger n = requestsByAddress.get(address);
    return n == null ? 0 : n.get();
  }

  public int refusedTokens() {
    return refusedTokens.get();
  }

  private void handle(HttpServerRequest req) {
    req.body()
        .onSuccess(
            buffer -> {
              if (req.method() != io.vertx.core.http.HttpMethod.POST
                  || !req.path().equals("/v2/notifications/email")) {
                answer(req, 404, error("NotFoundError", "Not found"));
                return;
              }
              String auth = req.getHeader("Authorization");
              if (auth == null || !auth.startsWith("Bearer ") || !validToken(auth.substring(7))) {
                refusedTokens.incrementAndGet();
                answer(
                    req, 403, error("AuthError", "Invalid token: signature, api token not found"));
                return;
              }
              JsonObject body;
              try {
                body = buffer.toJsonObject();
              } catch (RuntimeException e) {
                answer(req, 400, error("BadRequestError", "Invalid JSON"));
                return;
              }
              String address = body.getString("email_address");
              JsonObject personalisation = body.getJsonObject("personalisation");
              if (!templateId.equals(body.getString("template_id"))) {
                answer(req, 400, error("BadRequestError", "Template not found"));
                return;
              }
              if (personalisation == null
                  || personalisation.getString("subject") == null
                  || personalisation.getString("body") == null) {
                answer(
                    req, 400, error("BadRequestError", "Missing personalisation: subject, body"));
                return;
              }
              requestsByAddress
                  .computeIfAbsent(String.valueOf(address), k -> new AtomicInteger())
                  .incrementAndGet();
              int s = status.apply(String.valueOf(address));
              if (s == 400) {
                answer(
                    req, 400, error("ValidationError", "email_address Not a valid email address"));
              } else if (s == 429) {
                answer(
                    req,
                    429,
                    error(
                        "RateLimitError",
                        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"));
              } else {
                accepted.add(body);
                answer(
                    req,
                    201,
                    new JsonObject()
                        .put("id", UUID.randomUUID().toString())
                        .put("reference", body.getString("reference"))
                        .put(
                            "content",
                            new JsonObject()
                                .put("subject", personalisation.getString("subject"))
                                .put("body", personalisation.getString("body"))
                                .put("from_email", "youth.safety@notifications.service.gov.uk"))
                        .put("uri", "https://api.notifications.service.gov.uk/v2/notifications/x")
                        .put("template", new JsonObject().put("id", templateId).put("version", 1)));
              }
            });
  }

  private boolean validToken(String token) {
    try {
      Claims claims =
          Jwts.parser()
              .verifyWith(Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8)))
              .build()
              .parseSignedClaims(token)
              .getPayload();
      long iat = claims.getIssuedAt().getTime();
      return serviceId.equals(claims.getIssuer())
          && Math.abs(System.currentTimeMillis() - iat) <= 30_000;
    } catch (JwtException | IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  private static JsonObject error(String type, String message) {
    return new JsonObject()
        .put(
            "errors",
            new JsonArray().add(new JsonObject().put("error", type).put("message", message)));
  }

  private static void answer(HttpServerRequest req, int status, JsonObject body) {
    body.put("status_code", status);
    req.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
