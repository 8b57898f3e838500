package uk.gov.islington.youthsafety.content.consultations;

import java.time.Instant;
import java.util.Locale;

/**
 * Where a consultation stands, computed from the clock: voting is open on the half-open interval
 * {@code [opensAt, closesAt)} — a ballot arriving exactly at {@code opensAt} counts, one arriving
 * exactly at {@code closesAt} does not.
 */
public enum ConsultationState {
  UPCOMING,
  OPEN,
  CLOSED;

  public static ConsultationState at(Instant now, Instant opensAt, Instant closesAt) {
    if (now.isBefore(opensAt)) {
      return UPCOMING;
    }
    return now.isBefore(closesAt) ? OPEN : CLOSED;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ConsultationState fromWire(String s) {
    return s == null ? null : valueOf(s.toUpperCase(Locale.ROOT));
  }
}
