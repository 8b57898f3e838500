package uk.gov.islington.youthsafety.content.staff;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** A staff account as the rest of the service sees it: never with its password hash. */
public record StaffMember(
    String id,
    String username,
    List<String> roles,
    boolean disabled,
    Instant createdAt,
    Instant updatedAt) {

  public static final String ADMIN = "admin";

  /** The staff roles, as named in the contract's Role schema and in tokens. */
  public static final Set<String> ROLES = Set.of("moderator", "youth_council", "editor", ADMIN);

  public StaffMember {
    roles = List.copyOf(roles);
  }

  public boolean isActiveAdmin() {
    return !disabled && roles.contains(ADMIN);
  }
}
