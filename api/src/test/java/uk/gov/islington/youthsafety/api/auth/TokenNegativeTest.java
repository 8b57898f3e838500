package uk.gov.islington.youthsafety.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * Every way a token can be wrong gives 401 (and a valid token of the wrong kind 403). The forged
 * tokens are built with the service's own signing key where the attack needs it, so each case fails
 * for exactly the reason it names: the baseline built the same way is accepted.
 */
@WithTestApp
class TokenNegativeTest {

  static final String STAFF_OP = "/v1/staff";
  static final String ISSUER = "youth-safety-api";
  static final String AUDIENCE = "youth-safety-app";

  static TestApp app;
  static KeyRing keys;
  static PublicKey publicKey;

  @BeforeAll
  static void start() throws Exception {
    keys = KeyRing.load(app.dataDir().resolve("keys/jwt-signing.pem"), List.of());
    publicKey = keys.verifyKey(keys.signingKid());
  }

  /** A staff admin token signed with our key; {@code change} alters the claims before signing. */
  static String forge(UnaryOperator<JwtBuilder> change) {
    return forge(keys.signingKey(), keys.signingKid(), change);
  }

  static String forge(PrivateKey key, String kid, UnaryOperator<JwtBuilder> change) {
    Instant now = app.clock.instant();
    JwtBuilder b =
        Jwts.builder()
            .header()
            .keyId(kid)
            .type(Tokens.TYPE)
            .and()
            .issuer(ISSUER)
            .audience()
            .add(AUDIENCE)
            .and()
            .subject("s." + UUID.randomUUID())
            .issuedAt(Date.from(now))
            .expiration(Date.from(now.plus(Duration.ofMinutes(5))))
            .claim("kind", "staff")
            .claim("roles", List.of("admin"));
    return change.apply(b).signWith(key, Jwts.SIG.ES256).compact();
  }

  static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static JsonObject claims() {
    Instant now = app.clock.instant();
    return new JsonObject()
        .put("iss", ISSUER)
        .put("aud", AUDIENCE)
        .put("sub", "s." + UUID.randomUUID())
        .put("iat", now.getEpochSecond())
        .put("exp", now.plusSeconds(300).getEpochSecond())
        .put("kind", "staff")
        .put("roles", new JsonArray().add("admin"));
  }

  /** A token header of ours (type and key id), encoded, with this algorithm. */
  static String header(String alg) {
    return b64(
        new JsonObject()
            .put("alg", alg)
            .put("typ", Tokens.TYPE)
            .put("kid", keys.signingKid())
            .encode());
  }

  static String hs256(byte[] secret) throws Exception {
    String signingInput = header("HS256") + "." + b64(claims().encode());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    return signingInput
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }

  static HttpResponse<Buffer> callWith(String authorization) {
    var request = app.http().get(STAFF_OP);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return app.send(request, null, null);
  }

  static void assert401(String token) {
    assert401Header("Bearer " + token);
  }

  static void assert401Header(String authorization) {
    var r = callWith(authorization);
    assertThat(r.statusCode()).as(authorization).isEqualTo(401);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(r.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(r.bodyAsString()).doesNotContain("Exception").doesNotContain("io.jsonwebtoken");
  }

  @Test
  void theForgingHelperMakesTokensTheServiceAccepts() {
    // the baseline every negative case below departs from in one respect only
    assertThat(callWith("Bearer " + forge(b -> b)).statusCode()).isEqualTo(200);
  }

  @Test
  void algNoneIs401() {
    String header = header("none");
    assert401(header + "." + b64(claims().encode()) + ".");
    assert401(header + "." + b64(claims().encode()));
  }

  @Test
  void hs256SignedWithThePublicKeyIs401() throws Exception {
    assert401(hs256(publicKey.getEncoded()));
    assert401(
        hs256(
            KeyRing.pem("PUBLIC KEY", publicKey.getEncoded()).getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void expiredIs401() {
    Instant now = app.clock.instant();
    assert401(
        forge(
            b ->
                b.issuedAt(Date.from(now.minus(Duration.ofMinutes(20))))
                    .expiration(Date.from(now.minus(Duration.ofMinutes(5))))));
  }

  @Test
  void aTokenExpiresWhenTheClockPassesItsExpiry() {
    String token = app.staffToken("admin");
    assertThat(callWith("Bearer " + token).statusCode()).isEqualTo(200);
    app.clock.advance(Duration.ofMinutes(16));
    try {
      assert401(token);
    } finally {
      app.clock.advance(Duration.ofMinutes(-16));
    }
  }

  @Test
  void notYetValidIs401() {
    assert401(forge(b -> b.notBefore(Date.from(app.clock.instant().plus(Duration.ofMinutes(5))))));
  }

  @Test
  void wrongIssuerIs401() {
    assert401(forge(b -> b.issuer("someone-else")));
  }

  @Test
  void wrongAudienceIs401() {
    assert401(forge(b -> b.audience().single("another-app")));
  }

  @Test
  void missingExpiryIs401() {
    assert401(forge(b -> b.expiration(null)));
  }

  @Test
  void tamperedPayloadIs401() {
    String editor = forge(b -> b.claim("roles", List.of("editor")));
    String[] parts = editor.split("\\.");
    JsonObject payload =
        new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    payload.put("roles", new JsonArray().add("admin"));
    assert401(parts[0] + "." + b64(payload.encode()) + "." + parts[2]);
  }

  @Test
  void unknownKeyIdIs401() throws Exception {
    KeyPair other = newKeyPair();
    assert401(forge(other.getPrivate(), KeyRing.kid(other.getPublic()), b -> b));
    // our kid on a token signed by another key
    assert401(forge(other.getPrivate(), keys.signingKid(), b -> b));
    // no kid at all
    assert401(forge(b -> b.header().keyId(null).and()));
  }

  @Test
  void wrongTokenTypeIs401() {
    assert401(forge(b -> b.header().type("JWT").and()));
  }

  @Test
  void garbageIs401() {
    assert401("garbage");
    assert401("a.b.c");
    assert401("...");
    assert401("eyJhbGciOiJFUzI1NiJ9.e30.");
    assert401("x".repeat(9000));
    assert401Header("Bearer ");
    assert401Header(
        "Basic "
            + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)));
    assert401Header(forge(b -> b));
  }

  @Test
  void aDeviceTokenOnAStaffOperationIs403() {
    var r = callWith("Bearer " + app.deviceToken("18-25"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    // nor do claims make a device staff: the kind and subject decide, not a roles claim
    String device =
        forge(b -> b.subject("d.abc").claim("kind", "device").claim("roles", List.of("admin")));
    assertThat(callWith("Bearer " + device).statusCode()).isEqualTo(403);
    // and roles we do not know grant nothing
    assertThat(
            callWith("Bearer " + forge(b -> b.claim("roles", List.of("root", "Admin"))))
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void rotationKeepsThePreviousKeyValidOnlyWhileItIsListed() throws Exception {
    Path dir = Files.createTempDirectory("rotation");
    Path newKey = dir.resolve("jwt-signing-2.pem");
    KeyRing.generateIfMissing(newKey);
    Path previousPublic = dir.resolve("jwt-previous.pub.pem");
    Files.writeString(previousPublic, KeyRing.pem("PUBLIC KEY", publicKey.getEncoded()));
    String oldToken = app.staffToken("admin");

    TestApp rotated =
        TestApp.start(
            Map.of("JWT_SIGNING_KEY", newKey.toString(), "JWT_VERIFY_KEYS", previousPublic + ", "));
    try {
      // tokens of the previous key still work on the rotated service, and so do its own
      assertThat(rotated.get(STAFF_OP, oldToken).statusCode()).isEqualTo(200);
      String newToken = rotated.staffToken("admin");
      assertThat(rotated.get(STAFF_OP, newToken).statusCode()).isEqualTo(200);
      // a service that does not list a key refuses its tokens
      assertThat(app.get(STAFF_OP, newToken).statusCode()).isEqualTo(401);
    } finally {
      rotated.close();
    }
    Tokens withoutPrevious =
        new Tokens(
            KeyRing.load(newKey, List.of()),
            ISSUER,
            AUDIENCE,
            Duration.ofDays(1),
            Duration.ofMinutes(15),
            app.clock);
    assertThatThrownBy(() -> withoutPrevious.verify(oldToken))
        .isInstanceOf(Tokens.InvalidToken.class)
        .hasMessage("unknown signing key");
  }

  @Test
  void aVerifyKeyFileWithoutAPublicKeyStopsTheStart() throws Exception {
    Path notAKey = Files.createTempFile("not-a-key", ".pem");
    Files.writeString(notAKey, "hello");
    assertThatThrownBy(
            () -> KeyRing.load(app.dataDir().resolve("keys/jwt-signing.pem"), List.of(notAKey)))
        .hasMessageContaining("no PUBLIC KEY");
  }

  static KeyPair newKeyPair() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    return gen.generateKeyPair();
  }
}
