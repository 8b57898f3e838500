package uk.gov.islington.youthsafety.api.devices;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.testing.Waiting;

/**
 * Firebase App Check on registerDevice (APP_CHECK=enforce), against a local JWKS server over HTTPS
 * with keys made here: only a token signed by a published key, with App Check's issuer and
 * audience, unexpired and RS256, gets a device token. With APP_CHECK=monitor every caller is served
 * and only counts are logged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppCheckTest {

  static final String PROJECT = "123456789";
  static final String ISSUER = "https://firebaseappcheck.googleapis.com/" + PROJECT;

  static Vertx vertx;
  static HttpServer jwksServer;
  static final AtomicReference<JsonObject> published = new AtomicReference<>();
  static final AtomicInteger jwksRequests = new AtomicInteger();
  static KeyPair first;
  static SelfSignedCertificate cert;
  static TestApp app;
  static final AtomicInteger NETWORKS = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    first = Jwts.SIG.RS256.keyPair().build();
    published.set(jwks(Map.of("first", first)));
    vertx = Vertx.vertx();
    cert = SelfSignedCertificate.create("localhost");
    jwksServer =
        vertx
            .createHttpServer(
                new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()))
            .requestHandler(
                req -> {
                  jwksRequests.incrementAndGet();
                  req.response()
                      .putHeader("Content-Type", "application/json")
                      .putHeader("Cache-Control", "public, max-age=21600")
                      .end(published.get().encode());
                })
            .listen(0, "127.0.0.1")
            .await(30, TimeUnit.SECONDS);
    app = TestApp.start(appCheck("enforce", "APP_CHECK_JWKS_MIN_REFRESH", "1h"));
  }

  /**
   * The service's settings for App Check in this mode against the local JWKS server, with one
   * setting more. Each call comes from a network of its own (X-Forwarded-For from the test client
   * as a trusted proxy), so that registerDevice's per-network rate limit does not answer instead of
   * App Check.
   */
  private static Map<String, String> appCheck(String mode, String setting, String value) {
    return Map.of(
        "APP_CHECK",
        mode,
        "APP_CHECK_PROJECT_NUMBER",
        PROJECT,
        "TRUSTED_PROXIES",
        "127.0.0.1/32,::1/128",
        "APP_CHECK_JWKS_URL",
        "https://localhost:" + jwksServer.actualPort() + "/v1/jwks",
        "APP_CHECK_JWKS_CA",
        cert.certificatePath(),
        setting,
        value);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static JsonObject jwks(Map<String, KeyPair> keys) {
    JsonArray out = new JsonArray();
    keys.forEach(
        (kid, pair) -> {
          RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
          out.add(
              new JsonObject()
                  .put("kty", "RSA")
                  .put("use", "sig")
                  .put("alg", "RS256")
                  .put("kid", kid)
                  .put("n", b64(pub.getModulus().toByteArray()))
                  .put("e", b64(pub.getPublicExponent().toByteArray())));
        });
    return new JsonObject().put("keys", out);
  }

  static String b64(byte[] bytes) {
    int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0; // unsigned big-endian, as JWK wants it
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
  }

  static io.jsonwebtoken.JwtBuilder token(String kid, String audience, Instant expires) {
    Instant now = app.clock.instant();
    return Jwts.builder()
        .header()
        .keyId(kid)
        .type("JWT")
        .and()
        .issuer(ISSUER)
        .subject("1:" + PROJECT + ":android:0a1b2c3d")
        .audience()
        .add(List.of(audience, "projects/youth-safety"))
        .and()
        .issuedAt(Date.from(now.minusSeconds(10)))
        .expiration(Date.from(expires));
  }

  static String good(String kid, KeyPair pair) {
    return token(kid, "projects/" + PROJECT, app.clock.instant().plus(Duration.ofHours(1)))
        .signWith(pair.getPrivate(), Jwts.SIG.RS256)
        .compact();
  }

  static HttpResponse<Buffer> register(String appCheckToken) {
    return register(app, appCheckToken);
  }

  static HttpResponse<Buffer> register(TestApp app, String appCheckToken) {
    int n = NETWORKS.incrementAndGet();
    var request =
        app.http()
            .post("/v1/devices")
            .putHeader("X-Forwarded-For", "2001:db8:ac:" + Integer.toHexString(n) + "::1");
    if (appCheckToken != null) {
      request.putHeader("X-Firebase-AppCheck", appCheckToken);
    }
    return app.send(request, null, new JsonObject());
  }

  static void assertRefused(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(401);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:youth-safety:problem:app-check-failed");
  }

  @Test
  @Order(1)
  void aGoodTokenGetsADeviceToken() {
    HttpResponse<Buffer> r = register(good("first", first));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    assertThat(r.bodyAsJsonObject().getString("token")).isNotBlank();
  }

  @Test
  @Order(1)
  void missingExpiredWrongAudienceOrWrongIssuerAreRefused() {
    assertRefused(register(null));
    assertRefused(register("not a token"));
    assertRefused(
        register(
            token("first", "projects/" + PROJECT, app.clock.instant().minusSeconds(60))
                .signWith(first.getPrivate(), Jwts.SIG.RS256)
                .compact()));
    assertRefused(
        register(
            token("first", "projects/987654321", app.clock.instant().plusSeconds(3600))
                .signWith(first.getPrivate(), Jwts.SIG.RS256)
                .compact()));
    assertRefused(
        register(
            token("first", "projects/" + PROJECT, app.clock.instant().plusSeconds(3600))
                .issuer("https://firebaseappcheck.googleapis.com/987654321")
                .signWith(first.getPrivate(), Jwts.SIG.RS256)
                .compact()));
  }

  @Test
  @Order(1)
  void algNoneAndHs256WithThePublicKeyAsSecretAreRefused() {
    String claims =
        token("first", "projects/" + PROJECT, app.clock.instant().plusSeconds(3600))
            .signWith(first.getPrivate(), Jwts.SIG.RS256)
            .compact()
            .split("\\.")[1];
    String none =
        b64("{\"alg\":\"none\",\"kid\":\"first\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + claims
            + ".";
    assertRefused(register(none));
    // the classic confusion: HMAC keyed with the bytes of the published RSA key
    String hs256 =
        token("first", "projects/" + PROJECT, app.clock.instant().plusSeconds(3600))
            .signWith(Keys.hmacShaKeyFor(first.getPublic().getEncoded()), Jwts.SIG.HS256)
            .compact();
    assertRefused(register(hs256));
  }

  @Test
  @Order(1)
  void unknownKeyIdsAreRefusedAndRefreshTheKeysAtMostOncePerInterval() {
    app.clock.advance(Duration.ofHours(2)); // past the cache and the refresh interval
    KeyPair stranger = Jwts.SIG.RS256.keyPair().build();
    assertRefused(register(good("stranger", stranger)));
    int before = jwksRequests.get();
    for (int i = 0; i < 20; i++) {
      assertRefused(register(good("invented-" + i, stranger)));
    }
    assertThat(jwksRequests.get() - before).isZero();
    // the published key still works meanwhile
    assertThat(register(good("first", first)).statusCode()).isEqualTo(201);
  }

  @Test
  @Order(3)
  void monitorModeServesEveryoneAndLogsCountsOnly() throws Exception {
    KeyPair monitorKey = Jwts.SIG.RS256.keyPair().build();
    published.set(jwks(Map.of("monitor", monitorKey)));
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    root.addAppender(lines);
    try (TestApp monitor = TestApp.start(appCheck("monitor", "APP_CHECK_LOG_INTERVAL", "200ms"))) {
      String valid = good("monitor", monitorKey);
      String wrongAudience =
          token("monitor", "projects/987654321", app.clock.instant().plusSeconds(3600))
              .signWith(monitorKey.getPrivate(), Jwts.SIG.RS256)
              .compact();
      // every caller is served: monitor only counts
      for (String appCheck : java.util.Arrays.asList(valid, null, "not a token", wrongAudience)) {
        HttpResponse<Buffer> r = register(monitor, appCheck);
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
        assertThat(r.bodyAsJsonObject().getString("token")).isNotBlank();
      }
      Waiting.until(
          "the counts are logged",
          () ->
              logged(lines)
                  .anyMatch(
                      m ->
                          m.equals(
                              "App Check (monitor) on registerDevice since start: 1 valid, 1 missing, 2 invalid")));
      assertThat(monitor.metrics())
          .contains("app_check_tokens_total{outcome=\"valid\"} 1.0")
          .contains("app_check_tokens_total{outcome=\"missing\"} 1.0")
          .contains("app_check_tokens_total{outcome=\"invalid\"} 2.0");
      // nothing of a token, its claims or the caller reaches a log line
      for (String token : List.of(valid, wrongAudience)) {
        for (String part : token.split("\\.")) {
          assertThat(logged(lines)).noneMatch(m -> m.contains(part));
        }
      }
      assertThat(logged(lines))
          .noneMatch(
              m ->
                  m.contains("android:0a1b2c3d")
                      || m.contains("not a token")
                      || m.contains("2001:db8:ac:")
                      || m.contains("projects/987654321"));
    } finally {
      root.detachAppender(lines);
    }
  }

  static java.util.stream.Stream<String> logged(ListAppender<ILoggingEvent> lines) {
    return List.copyOf(lines.list).stream()
        .map(
            e ->
                e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                        ? ""
                        : " " + e.getThrowableProxy().getMessage()));
  }

  @Test
  @Order(2) // after the others on the enforcing app: it retires the first key
  void aRotatedKeyIsFetchedWhenATokenNamesIt() {
    app.clock.advance(Duration.ofHours(2));
    assertThat(register(good("first", first)).statusCode())
        .isEqualTo(201); // keys fresh after the advance
    KeyPair second = Jwts.SIG.RS256.keyPair().build();
    published.set(jwks(Map.of("second", second)));
    int before = jwksRequests.get();
    app.clock.advance(Duration.ofMinutes(61)); // the refresh interval, not yet the cache's max-age
    HttpResponse<Buffer> r = register(good("second", second));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    assertThat(jwksRequests.get() - before).isEqualTo(1);
    // the retired key is gone from the set: its tokens no longer pass
    assertRefused(register(good("first", first)));
  }
}
