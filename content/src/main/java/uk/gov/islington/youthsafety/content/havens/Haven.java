package uk.gov.islington.youthsafety.content.havens;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/**
 * A Safe Haven: premises where a young person who feels unsafe can go in and get help. Public
 * information only (business name, address, phone); no personal data.
 *
 * @param hours weekly ranges, dated exceptions and any temporary closure (Europe/London wall clock)
 * @param published false once suspended: then it is in no public answer
 * @param sample true for the clearly marked demo havens of the embedded default
 * @param changeSeq the position of its last change in the havens' change sequence (delta sync)
 */
public record Haven(
    String id,
    String name,
    String address,
    String postcode,
    double lat,
    double lon,
    String category,
    List<String> facilities,
    String phone,
    String notes,
    OpeningHours hours,
    LocalDate lastVerifiedOn,
    boolean published,
    String suspendedReason,
    boolean sample,
    long changeSeq,
    Instant createdAt,
    Instant updatedAt) {

  /** Kinds of premises. */
  public static final List<String> CATEGORIES =
      List.of(
          "shop",
          "cafe",
          "restaurant",
          "pharmacy",
          "library",
          "community_centre",
          "youth_centre",
          "leisure_centre",
          "place_of_worship",
          "council_building",
          "transport",
          "health",
          "other");

  /** What a young person may find there. */
  public static final List<String> FACILITIES =
      List.of(
          "bleed_kit",
          "defibrillator",
          "first_aid",
          "step_free",
          "toilet",
          "phone_charging",
          "wifi",
          "drinking_water",
          "quiet_space");

  /** The premises as an application or an edit describes them. */
  public HavenInput.Draft premises() {
    return new HavenInput.Draft(
        name,
        address,
        postcode,
        lat,
        lon,
        category,
        facilities,
        phone,
        notes,
        hours,
        lastVerifiedOn);
  }

  public OpeningHours.Status statusAt(Instant now) {
    return hours.at(now);
  }
}
