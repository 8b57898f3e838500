package uk.gov.islington.youthsafety.content.reports;

/**
 * Where reports are passed on: a row editors manage. {@code channel} is {@code email} (to {@code
 * email}) or {@code manual} (a moderator hands it over, following {@code handoffInstructions});
 * {@code guidance} is what the young person is told. CSCT and Crimestoppers are built in: the app
 * knows their ids, and they cannot be deactivated.
 */
public record Destination(
    String id,
    String name,
    String shortName,
    String phone,
    String email,
    String website,
    String handoffInstructions,
    String channel,
    String guidance,
    boolean active,
    boolean builtIn) {

  public static final String CSCT = "CSCT";
  public static final String CRIMESTOPPERS = "CRIMESTOPPERS";
}
