package uk.gov.islington.youthsafety.content.reports;

/** Where reports are passed on: CSCT or Crimestoppers, with what a moderator needs for a hand-off. */
public record Destination(String id, String name, String shortName, String phone, String email, String website,
    String handoffInstructions) {

  public static final String CSCT = "CSCT";
  public static final String CRIMESTOPPERS = "CRIMESTOPPERS";
}
