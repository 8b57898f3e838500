package uk.gov.islington.youthsafety.content.staff;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.reports.ReportCrypto;

/**
 * The staff's second factor, the same for the console and for issueStaffToken: a TOTP secret
 * (sealed with the service's at-rest keys) and ten recovery codes (hashes). Every code is accepted
 * once: a TOTP code's time step is recorded and only a later one passes next time; a recovery code
 * is marked used. An admin may reset another account's factor, never their own.
 */
public final class SecondFactors {

  private static final Logger LOG = LoggerFactory.getLogger(SecondFactors.class);
  private static final String ISSUER = "Islington Youth Safety";

  private final Pool pool;
  private final Clock clock;
  private final ReportCrypto crypto;
  private final StaffStore store = new StaffStore();

  public SecondFactors(Pool pool, Clock clock, ReportCrypto crypto) {
    this.pool = Objects.requireNonNull(pool);
    this.clock = Objects.requireNonNull(clock);
    this.crypto = Objects.requireNonNull(crypto);
  }

  /** A secret offered for enrolment, sealed for the sign-in session that shows it. */
  public record Offer(byte[] secret, String keyId, byte[] sealed) {
    public String uri(String username) {
      return Totp.uri(ISSUER, username, secret);
    }

    public String key() {
      return Totp.base32(secret);
    }
  }

  public Future<Boolean> enrolled(String staffId) {
    return store.totp(pool, staffId).map(java.util.Optional::isPresent);
  }

  public Offer offer(String staffId) {
    byte[] secret = Totp.newSecret();
    ReportCrypto.Sealed sealed =
        crypto.seal(Base64.getEncoder().encodeToString(secret), offerAad(staffId));
    return new Offer(secret, sealed.keyId(), sealed.bytes());
  }

  /** Opens an offer stored with a sign-in session. */
  public Offer reopen(String staffId, String keyId, byte[] sealed) {
    byte[] secret = Base64.getDecoder().decode(crypto.open(keyId, sealed, offerAad(staffId)));
    return new Offer(secret, keyId, sealed);
  }

  /**
   * Enrols the account with the offered secret once {@code code} proves the app has it; answers the
   * ten recovery codes to show once. Empty when the code is wrong; a conflict when the account was
   * enrolled meanwhile (another tab).
   */
  public Future<java.util.Optional<List<String>>> enrol(String staffId, Offer offer, String code) {
    Instant now = clock.instant();
    long step = Totp.matchingStep(offer.secret(), code, now);
    if (step < 0) {
      return Future.succeededFuture(java.util.Optional.empty());
    }
    List<String> codes = RecoveryCodes.generate();
    ReportCrypto.Sealed sealed =
        crypto.seal(Base64.getEncoder().encodeToString(offer.secret()), secretAad(staffId));
    return pool.withTransaction(
            tx ->
                store.enrol(
                    tx,
                    staffId,
                    sealed.keyId(),
                    sealed.bytes(),
                    step,
                    codes.stream().map(RecoveryCodes::hash).toList(),
                    now))
        .compose(
            done ->
                done
                    ? Future.succeededFuture(java.util.Optional.of(codes))
                    : Future.failedFuture(
                        new DomainException.Conflict("This account has a second factor already.")))
        .onSuccess(c -> LOG.info("staff account {} enrolled a second factor", staffId));
  }

  /**
   * True when {@code code} is the account's current TOTP code (not used before) or one of its
   * unused recovery codes, which is then used up. False for anything else, including an account
   * without a second factor.
   */
  public Future<Boolean> verify(String staffId, String code) {
    if (code == null) {
      return Future.succeededFuture(false);
    }
    String trimmed = code.strip();
    Instant now = clock.instant();
    if (RecoveryCodes.looksLikeOne(trimmed)) {
      return store
          .useRecoveryCode(pool, staffId, RecoveryCodes.hash(trimmed), now)
          .onSuccess(
              used -> {
                if (used) {
                  LOG.info("staff account {} used a recovery code", staffId);
                }
              });
    }
    String digits = trimmed.replace(" ", "");
    return store
        .totp(pool, staffId)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.succeededFuture(false);
              }
              StaffStore.TotpRow row = found.get();
              byte[] secret =
                  Base64.getDecoder()
                      .decode(crypto.open(row.keyId(), row.secretCt(), secretAad(staffId)));
              long step = Totp.matchingStep(secret, digits, now);
              return step < 0 ? Future.succeededFuture(false) : store.useStep(pool, staffId, step);
            });
  }

  /**
   * Removes another account's second factor; it enrols again at its next sign-in. Ends its sessions
   * and tokens.
   */
  public Future<java.time.Instant> reset(String actorId, String staffId) {
    if (Objects.equals(actorId, staffId)) {
      return Future.failedFuture(
          new DomainException.Forbidden(
              "You cannot reset your own second factor: another admin can, or sign in with a recovery code."));
    }
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    return pool.withTransaction(tx -> store.resetSecondFactor(tx, actorId, staffId, now))
        .compose(
            done ->
                done
                    ? Future.succeededFuture(now)
                    : Future.failedFuture(StaffService.noSuchAccount()))
        .onSuccess(
            v -> LOG.info("second factor of staff account {} reset by {}", staffId, actorId));
  }

  /** Usernames and enrolment of these accounts, by id (unknown ids are left out). */
  public Future<Map<String, Badge>> badges(List<String> staffIds) {
    return store
        .badges(pool, staffIds)
        .map(
            m ->
                m.entrySet().stream()
                    .collect(
                        java.util.stream.Collectors.toMap(
                            Map.Entry::getKey,
                            e -> new Badge(e.getValue().username(), e.getValue().enrolled()))));
  }

  public record Badge(String username, boolean enrolled) {}

  private static String secretAad(String staffId) {
    return "staff:" + staffId + ":totp";
  }

  private static String offerAad(String staffId) {
    return "staff:" + staffId + ":totp-offer";
  }
}
