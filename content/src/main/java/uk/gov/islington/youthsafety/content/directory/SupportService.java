package uk.gov.islington.youthsafety.content.directory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/**
 * One entry of the directory of support. Public information only.
 *
 * @param fields what editors write (name, contacts, hours per channel ...)
 * @param published false once retired: then it is in no public answer, but stays in history
 * @param sortOrder the directory's order (emergency and reporting numbers first, then the seed's
 *     order)
 * @param changeSeq the position of its last change in the directory's change sequence (version and
 *     delta sync)
 */
public record SupportService(
    String id,
    SupportServiceInput.Draft fields,
    boolean published,
    String retiredReason,
    int sortOrder,
    long changeSeq,
    Instant createdAt,
    Instant updatedAt) {

  /** Contact channels that can have opening hours, by their name in the contract. */
  public enum Channel {
    PHONE("phone"),
    TEXT("text"),
    IN_PERSON("inPerson");

    private final String wire;

    Channel(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    /** Whether someone answers on it: a phone call or a text, not a visit. */
    public boolean remote() {
      return this != IN_PERSON;
    }
  }

  /**
   * When a channel is staffed, and what the hours cannot say (e.g. "closed on public holidays").
   */
  public record ChannelHours(OpeningHours hours, String note) {}

  /** A channel's state at an instant. */
  public record ChannelState(Channel channel, OpeningHours.Status status) {}

  /**
   * Whether the service can be reached at an instant.
   *
   * @param openNow true when a channel with hours is open, false when all are closed, null when no
   *     channel has stated hours
   * @param nextOpens when closed, the soonest a channel opens (null when none will or none is
   *     known)
   * @param nextChange the first instant at which any of this may differ (null: not within the
   *     horizon)
   * @param alwaysOpen a phone or text line open now with no close ahead: a 24/7 helpline
   */
  public record Availability(
      Boolean openNow,
      Instant nextOpens,
      Instant nextChange,
      boolean alwaysOpen,
      List<ChannelState> channels) {}

  public String name() {
    return fields.name();
  }

  /** The main category: the first one. */
  public String category() {
    return fields.categories().get(0);
  }

  public Availability at(Instant now) {
    Map<Channel, ChannelHours> hours = fields.hours();
    if (hours.isEmpty()) {
      return new Availability(null, null, null, false, List.of());
    }
    List<ChannelState> states = new ArrayList<>(hours.size());
    boolean open = false;
    boolean always = false;
    Instant nextOpens = null;
    Instant nextChange = null;
    for (Channel c : Channel.values()) {
      ChannelHours h = hours.get(c);
      if (h == null) {
        continue;
      }
      OpeningHours.Status s = h.hours().at(now);
      states.add(new ChannelState(c, s));
      Instant change = s.open() ? s.closesAt() : s.opensAt();
      if (change != null && (nextChange == null || change.isBefore(nextChange))) {
        nextChange = change;
      }
      if (s.open()) {
        open = true;
        always |= c.remote() && s.closesAt() == null;
      } else if (s.opensAt() != null && (nextOpens == null || s.opensAt().isBefore(nextOpens))) {
        nextOpens = s.opensAt();
      }
    }
    return new Availability(open, open ? null : nextOpens, nextChange, always, List.copyOf(states));
  }
}
