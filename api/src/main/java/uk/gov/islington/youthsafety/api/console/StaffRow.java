package uk.gov.islington.youthsafety.api.console;

/** One line of the admins' staff list. */
public record StaffRow(String id, String username, String roles, boolean disabled, boolean enrolled, boolean self) {}
