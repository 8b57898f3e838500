package uk.gov.islington.youthsafety.api.auth;

import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Who is calling, as proven by a verified token. A device is an app install with a random subject
 * and, if the young person chose to say, an age band; a staff member has roles.
 */
public record Principal(String subject, Kind kind, Set<String> roles, String ageBand) {

  public enum Kind {
    DEVICE,
    STAFF
  }

  public static final String DEVICE_ROLE = "device";
  public static final Set<String> STAFF_ROLES =
      Set.of("moderator", "youth_council", "editor", "admin");

  private static final String KEY = "principal";

  public static Principal device(String subject, String ageBand) {
    return new Principal(subject, Kind.DEVICE, Set.of(DEVICE_ROLE), ageBand);
  }

  public static Principal staff(String subject, Set<String> roles) {
    return new Principal(subject, Kind.STAFF, Set.copyOf(roles), null);
  }

  public boolean has(String role) {
    return roles.contains(role);
  }

  public boolean isStaff() {
    return kind == Kind.STAFF;
  }

  public void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /** The caller of this request, or null on a public operation called without a token. */
  public static Principal of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** The caller of an operation that requires a token (the auth handler has already insisted). */
  public static Principal required(RoutingContext ctx) {
    Principal p = ctx.get(KEY);
    if (p == null) {
      throw new IllegalStateException("operation " + ctx.currentRoute().getName() + " has no auth");
    }
    return p;
  }
}
