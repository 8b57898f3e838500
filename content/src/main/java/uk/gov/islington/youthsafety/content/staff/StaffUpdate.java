package uk.gov.islington.youthsafety.content.staff;

import java.util.List;

/** What updateStaff may change; null leaves a field as it is. */
public record StaffUpdate(List<String> roles, String password, Boolean disabled) {

  public StaffUpdate {
    roles = roles == null ? null : List.copyOf(roles);
  }
}
