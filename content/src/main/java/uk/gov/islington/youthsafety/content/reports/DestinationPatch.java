package uk.gov.islington.youthsafety.content.reports;

/** An editor's change to a destination: null fields stay as they are. */
public record DestinationPatch(
    String name,
    String shortName,
    String phone,
    String email,
    String website,
    String handoffInstructions,
    String channel,
    String guidance,
    Boolean active) {

  /**
   * A new destination under {@code id} with these fields: active unless the patch says otherwise,
   * and never built in (only the ones the app knows are).
   */
  public Destination newDestination(String id) {
    return applyTo(
        new Destination(id, null, null, null, null, null, null, null, null, true, false));
  }

  Destination applyTo(Destination d) {
    return new Destination(
        d.id(),
        or(name, d.name()),
        or(shortName, d.shortName()),
        or(phone, d.phone()),
        or(email, d.email()),
        or(website, d.website()),
        or(handoffInstructions, d.handoffInstructions()),
        or(channel, d.channel()),
        or(guidance, d.guidance()),
        active == null ? d.active() : active,
        d.builtIn());
  }

  private static String or(String given, String current) {
    return given == null ? current : given;
  }
}
