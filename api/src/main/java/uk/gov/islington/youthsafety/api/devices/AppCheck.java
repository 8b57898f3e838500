package uk.gov.islington.youthsafety.api.devices;

import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.math.BigInteger;
import java.net.URI;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Firebase App Check on registerDevice: the app sends an App Check token (header {@code
 * X-Firebase-AppCheck}), which Firebase issues only to a genuine build of our app on a device that
 * passed the platform's attestation (Play Integrity, App Attest / DeviceCheck). The token is
 * verified as App Check documents: RS256, signed by a key of the App Check JWKS, issuer {@code
 * https://firebaseappcheck.googleapis.com/<project number>}, audience containing {@code
 * projects/<project number>}, not expired.
 *
 * <p>The JWKS is fetched over HTTPS and cached (its Cache-Control max-age, within bounds). A token
 * naming an unknown key id triggers a refresh, at most one per {@code minRefresh} however many such
 * tokens arrive, so invented key ids cannot make us hammer the JWKS server.
 *
 * <p>Modes: {@code off} (nothing checked), {@code monitor} (checked and counted, never refused;
 * counts logged at most once per APP_CHECK_LOG_INTERVAL), {@code enforce} (a missing or bad token
 * is a 401).
 */
public final class AppCheck {

  private static final Logger LOG = LoggerFactory.getLogger(AppCheck.class);
  private static final Duration MIN_CACHE = Duration.ofMinutes(5);
  private static final Duration MAX_CACHE = Duration.ofDays(1);
  private static final Duration DEFAULT_CACHE = Duration.ofHours(6);
  private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");

  public enum Mode {
    OFF,
    MONITOR,
    ENFORCE
  }

  /** How a token fared. */
  public enum Outcome {
    VALID,
    MISSING,
    INVALID
  }

  private final Mode mode;
  private final Vertx vertx;
  private final Clock clock;
  private final URI jwksUrl;
  private final String issuer;
  private final String audience;
  private final Duration minRefresh;
  private final HttpClient http;
  private final Map<Outcome, io.micrometer.core.instrument.Counter> counters = new HashMap<>();
  private final Object lock = new Object();
  private Map<String, PublicKey> keys = Map.of();
  private Instant keysExpire = Instant.EPOCH;
  private Instant lastFetch = Instant.EPOCH;
  private Future<Void> fetching;
  private long loggedTotal;

  /**
   * @param projectNumber the Firebase project number (not its id): the issuer and audience name it
   * @param jwksCa PEM file of CAs to trust for the JWKS server instead of the JVM's (null: the
   *     JVM's)
   * @param logInterval in monitor mode, how often the counts are logged (when they changed)
   */
  public AppCheck(
      Mode mode,
      Vertx vertx,
      Clock clock,
      MeterRegistry metrics,
      String projectNumber,
      URI jwksUrl,
      String jwksCa,
      Duration minRefresh,
      Duration logInterval) {
    this.mode = mode;
    this.vertx = vertx;
    this.clock = clock;
    this.jwksUrl = jwksUrl;
    this.issuer = "https://firebaseappcheck.googleapis.com/" + projectNumber;
    this.audience = "projects/" + projectNumber;
    this.minRefresh = minRefresh;
    for (Outcome o : Outcome.values()) {
      counters.put(
          o,
          io.micrometer.core.instrument.Counter.builder("app_check_tokens")
              .description("App Check tokens on registerDevice, by outcome")
              .tag("outcome", o.name().toLowerCase(Locale.ROOT))
              .register(metrics));
    }
    if (mode == Mode.OFF) {
      this.http = null;
      return;
    }
    if (!"https".equals(jwksUrl.getScheme())) {
      throw new IllegalArgumentException("APP_CHECK_JWKS_URL must be an https:// URL");
    }
    HttpClientOptions options =
        new HttpClientOptions()
            .setSsl(true)
            .setVerifyHost(true)
            .setConnectTimeout(5_000)
            .setIdleTimeout(30);
    if (jwksCa != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(jwksCa));
    }
    this.http = vertx.createHttpClient(options);
    if (mode == Mode.MONITOR) {
      vertx.setPeriodic(logInterval.toMillis(), id -> logCounts());
    }
  }

  public Mode mode() {
    return mode;
  }

  /** Checks a token (null when the header is absent); never fails: the outcome says how it went. */
  public Future<Outcome> check(String token) {
    if (token == null || token.isBlank()) {
      return Future.succeededFuture(count(Outcome.MISSING));
    }
    String kid;
    try {
      kid = keyId(token);
    } catch (RuntimeException e) {
      return Future.succeededFuture(count(Outcome.INVALID));
    }
    return keyFor(kid)
        .map(key -> count(key == null ? Outcome.INVALID : verify(token, key)))
        .otherwise(
            e -> {
              LOG.warn("App Check keys could not be fetched: {}", e.getClass().getSimpleName());
              return count(Outcome.INVALID);
            });
  }

  private Outcome verify(String token, PublicKey key) {
    try {
      var claims =
          Jwts.parser()
              .keyLocator(
                  new LocatorAdapter<Key>() {
                    @Override
                    protected Key locate(JwsHeader header) {
                      if (!"RS256".equals(header.getAlgorithm())) {
                        throw new JwtException("algorithm not accepted");
                      }
                      return key;
                    }
                  })
              .requireIssuer(issuer)
              .requireAudience(audience)
              .clock(() -> Date.from(clock.instant()))
              .build()
              .parseSignedClaims(token)
              .getPayload();
      return claims.getExpiration() == null || claims.getSubject() == null
          ? Outcome.INVALID
          : Outcome.VALID;
    } catch (JwtException | IllegalArgumentException | ClassCastException e) {
      return Outcome.INVALID;
    }
  }

  /** The kid of the token's header, read before the signature is checked only to pick the key. */
  private static String keyId(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0 || token.length() > 8192) {
      throw new IllegalArgumentException("not a JWS");
    }
    JsonObject header =
        new JsonObject(Buffer.buffer(Base64.getUrlDecoder().decode(token.substring(0, dot))));
    String kid = header.getString("kid");
    if (kid == null) {
      throw new IllegalArgumentException("no kid");
    }
    return kid;
  }

  /**
   * The key, refreshing the cache when it has expired or (at most once per minRefresh) when the kid
   * is unknown.
   */
  private Future<PublicKey> keyFor(String kid) {
    Instant now = clock.instant();
    Future<Void> refresh;
    synchronized (lock) {
      PublicKey known = keys.get(kid);
      boolean expired = now.isAfter(keysExpire);
      if (known != null && !expired) {
        return Future.succeededFuture(known);
      }
      if (fetching != null) {
        refresh = fetching;
      } else if (expired || now.isAfter(lastFetch.plus(minRefresh))) {
        lastFetch = now;
        refresh =
            fetching =
                fetch()
                    .onComplete(
                        done -> {
                          synchronized (lock) {
                            fetching = null;
                          }
                        });
      } else {
        return Future.succeededFuture(null);
      }
    }
    return refresh
        .map(
            v -> {
              synchronized (lock) {
                return keys.get(kid);
              }
            })
        .recover(
            e -> {
              synchronized (lock) {
                // a failed refresh keeps the keys we had
                PublicKey stale = keys.get(kid);
                return stale != null ? Future.succeededFuture(stale) : Future.failedFuture(e);
              }
            });
  }

  private Future<Void> fetch() {
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(jwksUrl.toString())
            .setTimeout(10_000);
    return http.request(request)
        .compose(
            r ->
                r.send()
                    .compose(
                        response -> {
                          if (response.statusCode() != 200) {
                            return Future.failedFuture(
                                new IllegalStateException(
                                    "JWKS answered " + response.statusCode()));
                          }
                          Duration ttl = cacheFor(response.getHeader("Cache-Control"));
                          return response
                              .body()
                              .map(
                                  body -> {
                                    Map<String, PublicKey> parsed = parse(body.toJsonObject());
                                    synchronized (lock) {
                                      keys = parsed;
                                      keysExpire = clock.instant().plus(ttl);
                                    }
                                    return null;
                                  });
                        }));
  }

  static Duration cacheFor(String cacheControl) {
    if (cacheControl != null) {
      Matcher m = MAX_AGE.matcher(cacheControl);
      if (m.find()) {
        Duration d = Duration.ofSeconds(Long.parseLong(m.group(1)));
        return d.compareTo(MIN_CACHE) < 0 ? MIN_CACHE : d.compareTo(MAX_CACHE) > 0 ? MAX_CACHE : d;
      }
    }
    return DEFAULT_CACHE;
  }

  static Map<String, PublicKey> parse(JsonObject jwks) {
    Map<String, PublicKey> out = new HashMap<>();
    for (Object k : jwks.getJsonArray("keys", new io.vertx.core.json.JsonArray())) {
      if (!(k instanceof JsonObject jwk)
          || !"RSA".equals(jwk.getString("kty"))
          || jwk.getString("kid") == null) {
        continue;
      }
      if (jwk.getString("alg") != null && !"RS256".equals(jwk.getString("alg"))) {
        continue;
      }
      try {
        BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("n")));
        BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("e")));
        out.put(
            jwk.getString("kid"),
            KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)));
      } catch (Exception ignored) {
        // a key we cannot read verifies nothing
      }
    }
    return Map.copyOf(out);
  }

  private Outcome count(Outcome outcome) {
    counters.get(outcome).increment();
    return outcome;
  }

  private void logCounts() {
    long valid = (long) counters.get(Outcome.VALID).count();
    long missing = (long) counters.get(Outcome.MISSING).count();
    long invalid = (long) counters.get(Outcome.INVALID).count();
    if (valid + missing + invalid != loggedTotal) {
      loggedTotal = valid + missing + invalid;
      LOG.info(
          "App Check (monitor) on registerDevice since start: {} valid, {} missing, {} invalid",
          valid,
          missing,
          invalid);
    }
  }

  public Future<Void> close() {
    return http == null ? Future.succeededFuture() : http.close();
  }
}
