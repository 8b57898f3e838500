package uk.gov.islington.youthsafety.api.auth;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import java.security.Key;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and verifies our JWTs with JJWT. One algorithm, pinned: ES256. Every token carries {@code
 * kid} and {@code typ} headers and {@code iss}, {@code aud}, {@code sub}, {@code iat}, {@code exp};
 * anything else (another algorithm, an unknown key, a missing expiry) is refused.
 */
public final class Tokens {

  /** The token type in the JOSE header (RFC 9068 access token). */
  public static final String TYPE = "at+jwt";

  private static final String KIND = "kind";
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  public record Issued(String token, Instant expiresAt) {}

  /** The token is not ours, not valid now, or not well-formed; the message is safe to return. */
  public static final class InvalidToken extends RuntimeException {
    InvalidToken(String message) {
      super(message, null, false, false);
    }
  }

  private final KeyRing keys;
  private final String issuer;
  private final String audience;
  private final Duration deviceTtl;
  private final Duration staffTtl;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final StaffRevocations revocations = new StaffRevocations();
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  private record Verified(
      Principal principal, Instant issuedAt, Instant notBefore, Instant expiresAt) {}

  private static final int VERIFIED_MAX = 50_000;

  public Tokens(
      KeyRing keys,
      String issuer,
      String audience,
      Duration deviceTtl,
      Duration staffTtl,
      Clock clock) {
    this.keys = keys;
    this.issuer = issuer;
    this.audience = audience;
    this.deviceTtl = deviceTtl;
    this.staffTtl = staffTtl;
    this.clock = clock;
  }

  /** Staff whose older tokens are refused (filled by the staff feature). */
  public StaffRevocations revocations() {
    return revocations;
  }

  public Duration staffTtl() {
    return staffTtl;
  }

  /** How far token times may be off: a revocation must outlive its last token by this much. */
  public static Duration clockSkew() {
    return CLOCK_SKEW;
  }

  /**
   * A device token: a random subject that identifies nothing but this install, and the age band if
   * given.
   */
  public Issued issueDevice(String ageBand) {
    byte[] subject = new byte[16];
    random.nextBytes(subject);
    String sub = "d." + Base64.getUrlEncoder().withoutPadding().encodeToString(subject);
    var b = builder(sub, deviceTtl).claim(KIND, "device");
    if (ageBand != null) {
      b.claim("ageBand", ageBand);
    }
    return new Issued(b.compact(), clock.instant().plus(deviceTtl));
  }

  public Issued issueStaff(String staffId, Collection<String> roles) {
    var b =
        builder("s." + staffId, staffTtl).claim(KIND, "staff").claim("roles", List.copyOf(roles));
    return new Issued(b.compact(), clock.instant().plus(staffTtl));
  }

  private io.jsonwebtoken.JwtBuilder builder(String subject, Duration ttl) {
    Instant now = clock.instant();
    return Jwts.builder()
        .header()
        .keyId(keys.signingKid())
        .type(TYPE)
        .and()
        .issuer(issuer)
        .audience()
        .add(audience)
        .and()
        .subject(subject)
        .id(UUID.randomUUID().toString())
        .issuedAt(Date.from(now))
        .expiration(Date.from(now.plus(ttl)))
        .signWith(keys.signingKey(), Jwts.SIG.ES256);
  }

  /**
   * The caller a token proves, or {@link InvalidToken}. A token verified once is remembered (by its
   * exact text, signature included) until it expires: an ES256 verification is costly on the Java
   * 17 provider, and an app sends the same token with every request. Expiry, not-before and staff
   * revocation are checked again on every use.
   */
  public Principal verify(String token) {
    Verified known = verified.get(token);
    if (known != null) {
      Instant now = clock.instant();
      if (!now.isBefore(known.expiresAt().plus(CLOCK_SKEW))) {
        verified.remove(token);
        throw new InvalidToken("token expired");
      }
      if (known.notBefore() != null && now.isBefore(known.notBefore().minus(CLOCK_SKEW))) {
        throw new InvalidToken("token not yet valid");
      }
      checkNotRevoked(known.principal(), known.issuedAt());
      return known.principal();
    }
    Claims claims = parse(token);
    Principal principal = principalOf(claims);
    Instant issuedAt = claims.getIssuedAt() == null ? null : claims.getIssuedAt().toInstant();
    checkNotRevoked(principal, issuedAt);
    if (verified.size() >= VERIFIED_MAX) {
      // bounded memory; only tokens that verified get here, so this is rare and merely costs
      // re-verification
      verified.clear();
    }
    verified.put(
        token,
        new Verified(
            principal,
            issuedAt,
            claims.getNotBefore() == null ? null : claims.getNotBefore().toInstant(),
            claims.getExpiration().toInstant()));
    return principal;
  }

  private void checkNotRevoked(Principal principal, Instant issuedAt) {
    if (principal.isStaff() && revocations.isRevoked(principal.subject(), issuedAt)) {
      throw new InvalidToken("token revoked");
    }
  }

  private Claims parse(String token) {
    Claims claims;
    try {
      claims =
          Jwts.parser()
              .keyLocator(
                  new LocatorAdapter<Key>() {
                    @Override
                    protected Key locate(JwsHeader header) {
                      if (!"ES256".equals(header.getAlgorithm())) {
                        throw new InvalidToken("algorithm not accepted");
                      }
                      if (!TYPE.equals(header.getType())) {
                        throw new InvalidToken("token type not accepted");
                      }
                      Key key = keys.verifyKey(header.getKeyId());
                      if (key == null) {
                        throw new InvalidToken("unknown signing key");
                      }
                      return key;
                    }
                  })
              .requireIssuer(issuer)
              .requireAudience(audience)
              .clock(() -> Date.from(clock.instant()))
              .clockSkewSeconds(CLOCK_SKEW.toSeconds())
              .build()
              .parseSignedClaims(token)
              .getPayload();
    } catch (InvalidToken e) {
      throw e;
    } catch (io.jsonwebtoken.ExpiredJwtException e) {
      throw new InvalidToken("token expired");
    } catch (io.jsonwebtoken.PrematureJwtException e) {
      throw new InvalidToken("token not yet valid");
    } catch (JwtException | IllegalArgumentException | ClassCastException e) {
      throw new InvalidToken("token not valid");
    }
    if (claims.getExpiration() == null || claims.getSubject() == null) {
      throw new InvalidToken("token not valid");
    }
    return claims;
  }

  private static Principal principalOf(Claims claims) {
    String kind = claims.get(KIND, String.class);
    if ("device".equals(kind) && claims.getSubject().startsWith("d.")) {
      return Principal.device(claims.getSubject(), claims.get("ageBand", String.class));
    }
    if ("staff".equals(kind) && claims.getSubject().startsWith("s.")) {
      Object roles = claims.get("roles");
      Set<String> granted = new LinkedHashSet<>();
      if (roles instanceof Collection<?> c) {
        c.forEach(
            r -> {
              if (r instanceof String s && Principal.STAFF_ROLES.contains(s)) {
                granted.add(s);
              }
            });
      }
      return Principal.staff(claims.getSubject().substring(2), granted);
    }
    throw new InvalidToken("token not valid");
  }
}
