package uk.gov.islington.youthsafety.api.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Staff tokens are self-contained, so disabling an account or changing its roles would otherwise
 * leave its tokens working until they expire. This is the in-memory list of "tokens of staff X
 * issued before T are refused", checked on every staff token for the price of a map lookup. The
 * staff feature fills it from PostgreSQL at start-up, on LISTEN/NOTIFY and periodically; an entry
 * can be forgotten once every token it refuses has expired anyway.
 */
public final class StaffRevocations {

  private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();

  /** Refuses the staff member's tokens issued before {@code instant} (keeps the later of two). */
  public void revoke(String staffId, Instant instant) {
    notBefore.merge(staffId, instant, (a, b) -> a.isAfter(b) ? a : b);
  }

  public void revokeAll(Map<String, Instant> entries) {
    entries.forEach(this::revoke);
  }

  /**
   * True when a token issued at {@code issuedAt} must be refused. JWT times have whole seconds, so
   * a token from the same second as the revocation is refused too (the safe side).
   */
  public boolean isRevoked(String staffId, Instant issuedAt) {
    Instant cutoff = notBefore.get(staffId);
    if (cutoff == null) {
      return false;
    }
    return issuedAt == null || issuedAt.getEpochSecond() <= cutoff.getEpochSecond();
  }

  /** Drops entries older than {@code now - horizon}: the tokens they refuse have all expired. */
  public void forgetOlderThan(Instant now, Duration horizon) {
    Instant limit = now.minus(horizon);
    notBefore.values().removeIf(i -> i.isBefore(limit));
  }

  public int size() {
    return notBefore.size();
  }
}
