package uk.gov.islington.youthsafety.content.havens;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import uk.gov.islington.youthsafety.content.common.DemoContent;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/**
 * About 300 sample havens for the embedded default: fictional premises, every name starting with
 * {@value #MARK}, on real Islington streets at coordinates inside the borough, with the variety
 * real havens have (late-night and 24-hour shops, split hours, closed Sundays, bank-holiday
 * exceptions, a few temporary closures). Deterministic, and loaded only into an empty table.
 */
public final class SampleHavens implements DemoContent {

  private final HavenStore store = new HavenStore();

  public static final String MARK = "[Sample] ";
  public static final int COUNT = 300;

  private static final String[] STREETS = {
    "Holloway Road",
    "Upper Street",
    "Essex Road",
    "Caledonian Road",
    "Seven Sisters Road",
    "Blackstock Road",
    "St John Street",
    "Pentonville Road",
    "Junction Road",
    "Fonthill Road",
    "Liverpool Road",
    "Highbury Park",
    "Newington Green Road",
    "City Road",
    "Goswell Road",
    "Amwell Street",
    "Hornsey Road",
    "Tollington Road",
    "Camden Road",
    "York Way",
    "Balls Pond Road",
    "Southgate Road",
    "Canonbury Road",
    "Exmouth Market",
    "Chapel Market",
    "Archway Road",
    "Hornsey Rise",
    "Stroud Green Road",
    "Parkhurst Road",
    "Brecknock Road",
    "Old Street",
    "Rosebery Avenue",
    "Highbury Grove",
    "Cross Street",
    "Copenhagen Street",
    "Roman Way",
    "Mildmay Park",
    "Drayton Park",
    "Whitehall Park",
    "Dartmouth Park Hill"
  };
  private static final String[] AREAS = {
    "Archway",
    "Highgate Hill",
    "Tufnell Park",
    "Holloway",
    "Upper Holloway",
    "Finsbury Park",
    "Stroud Green",
    "Highbury",
    "Canonbury",
    "Barnsbury",
    "Angel",
    "Clerkenwell",
    "Finsbury",
    "Pentonville",
    "Caledonian",
    "Mildmay",
    "St Luke's",
    "Hillrise",
    "Junction",
    "Tollington",
    "Bunhill",
    "Newington Green"
  };
  private static final String[] SURNAMES = {
    "Adeyemi",
    "Brennan",
    "Costa",
    "Demir",
    "Evans",
    "Farah",
    "Gallagher",
    "Hussain",
    "Ibrahim",
    "Jones",
    "Kowalski",
    "Lambert",
    "Mensah",
    "Nguyen",
    "O'Connor",
    "Patel",
    "Quinn",
    "Rahman",
    "Santos",
    "Thompson",
    "Uddin",
    "Vasquez",
    "Walsh",
    "Yilmaz",
    "Zhang"
  };
  private static final String[] WORDS = {
    "Green",
    "Corner",
    "Oak",
    "Maple",
    "Lantern",
    "Harbour",
    "Willow",
    "Bluebell",
    "Copper",
    "Kestrel",
    "Orchard",
    "Beacon",
    "Sparrow",
    "Juniper",
    "Meadow",
    "Cedar"
  };
  private static final String INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";
  private static final DayOfWeek[] WEEK = DayOfWeek.values();

  @Override
  public String name() {
    return "sample-havens";
  }

  @Override
  public Future<Void> load(Pool pool, Clock clock) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), OpeningHours.LONDON);
    List<HavenInput.Draft> drafts = generate(COUNT, ServiceArea.islington(), 3L, today);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      ids.add(String.format("hvn_sample%06d", i + 1));
    }
    return pool.withTransaction(
        tx ->
            tx.query("SELECT pg_advisory_xact_lock(7302)")
                .execute()
                .compose(v -> store.count(tx))
                .compose(
                    n ->
                        n > 0
                            ? Future.succeededFuture()
                            : store.insertAll(tx, ids, drafts, clock.instant())));
  }

  /**
   * {@code count} sample havens at points inside {@code area} (or its bounding box when {@code
   * area} is null and the box is given), reproducible from {@code seed}.
   */
  public static List<HavenInput.Draft> generate(
      int count, ServiceArea area, long seed, LocalDate today) {
    Random r = new Random(seed);
    List<HavenInput.Draft> out = new ArrayList<>(count);
    Set<String> names = new java.util.HashSet<>();
    while (out.size() < count) {
      double lat = area.minLat() + r.nextDouble() * (area.maxLat() - area.minLat());
      double lon = area.minLon() + r.nextDouble() * (area.maxLon() - area.minLon());
      if (!area.contains(lat, lon)) {
        continue;
      }
      HavenInput.Draft d = one(r, Math.round(lat * 1e6) / 1e6, Math.round(lon * 1e6) / 1e6, today);
      String name = d.name();
      if (!names.add(name)) {
        // two fictional premises with one name: tell them apart by street, as people do
        String street =
            d.address().substring(d.address().indexOf(' ') + 1, d.address().indexOf(','));
        name = d.name() + ", " + street;
        for (int n = 2; !names.add(name); n++) {
          name = d.name() + ", " + street + " " + n;
        }
        d =
            new HavenInput.Draft(
                name,
                d.address(),
                d.postcode(),
                d.lat(),
                d.lon(),
                d.category(),
                d.facilities(),
                d.phone(),
                d.notes(),
                d.hours(),
                d.lastVerifiedOn());
      }
      out.add(d);
    }
    return out;
  }

  private static HavenInput.Draft one(Random r, double lat, double lon, LocalDate today) {
    String category = pickCategory(r);
    String street = STREETS[r.nextInt(STREETS.length)];
    String area = AREAS[r.nextInt(AREAS.length)];
    String name = MARK + name(r, category, street, area);
    String address = (1 + r.nextInt(399)) + " " + street + ", London";
    OpeningHours hours = hours(r, category, today);
    return new HavenInput.Draft(
        name,
        address,
        postcode(r, lat, lon),
        lat,
        lon,
        category,
        facilities(r, category),
        String.format("020 7946 0%03d", r.nextInt(1000)),
        "[Sample] Demonstration data: not a real Safe Haven.",
        hours,
        today.minusDays(r.nextInt(180)));
  }

  private static String pickCategory(Random r) {
    int n = r.nextInt(100);
    if (n < 30) {
      return "shop";
    }
    if (n < 45) {
      return "cafe";
    }
    if (n < 55) {
      return "pharmacy";
    }
    if (n < 62) {
      return "restaurant";
    }
    if (n < 68) {
      return "library";
    }
    if (n < 75) {
      return "community_centre";
    }
    if (n < 80) {
      return "youth_centre";
    }
    if (n < 84) {
      return "leisure_centre";
    }
    if (n < 88) {
      return "place_of_worship";
    }
    if (n < 92) {
      return "health";
    }
    if (n < 95) {
      return "council_building";
    }
    if (n < 98) {
      return "transport";
    }
    return "other";
  }

  private static String name(Random r, String category, String street, String area) {
    String word = WORDS[r.nextInt(WORDS.length)];
    String surname = SURNAMES[r.nextInt(SURNAMES.length)];
    return switch (category) {
      case "shop" ->
          switch (r.nextInt(3)) {
            case 0 -> word + " Convenience Store";
            case 1 -> surname + "'s Newsagent";
            default -> word + " Mini Market";
          };
      case "cafe" -> r.nextBoolean() ? "The " + word + " Café" : word + " Coffee House";
      case "pharmacy" ->
          r.nextBoolean() ? surname + " Pharmacy" : street.split(" ")[0] + " Chemist";
      case "restaurant" -> surname + "'s Kitchen";
      case "library" -> area + " Community Library";
      case "community_centre" -> area + " Community Hub";
      case "youth_centre" -> area + " Youth Space";
      case "leisure_centre" -> area + " Sports Centre";
      case "place_of_worship" -> word + " Hall";
      case "health" -> area + " Health Centre";
      case "council_building" -> area + " Council Access Point";
      case "transport" -> street.split(" ")[0] + " Station Kiosk";
      default -> word + " Launderette";
    };
  }

  private static String postcode(Random r, double lat, double lon) {
    String district;
    if (lat > 51.560) {
      district = lon > -0.115 ? "N4" : "N19";
    } else if (lat > 51.545) {
      district = lon > -0.108 ? "N5" : "N7";
    } else if (lat > 51.528) {
      district = "N1";
    } else {
      district = lon > -0.100 ? "EC1V" : "EC1R";
    }
    return district
        + " "
        + r.nextInt(10)
        + INWARD_LETTERS.charAt(r.nextInt(INWARD_LETTERS.length()))
        + INWARD_LETTERS.charAt(r.nextInt(INWARD_LETTERS.length()));
  }

  private static List<String> facilities(Random r, String category) {
    Set<String> f = new TreeSet<>();
    chance(
        r,
        f,
        "bleed_kit",
        category.equals("leisure_centre") || category.equals("community_centre") ? 60 : 18);
    chance(
        r,
        f,
        "defibrillator",
        category.equals("leisure_centre") || category.equals("pharmacy") ? 70 : 12);
    chance(r, f, "first_aid", 50);
    chance(r, f, "step_free", 60);
    chance(r, f, "toilet", category.equals("shop") ? 15 : 55);
    chance(r, f, "phone_charging", 70);
    chance(r, f, "wifi", 40);
    chance(r, f, "drinking_water", 50);
    chance(
        r,
        f,
        "quiet_space",
        category.equals("library") || category.equals("youth_centre") ? 80 : 15);
    return List.copyOf(f);
  }

  private static void chance(Random r, Set<String> into, String facility, int percent) {
    if (r.nextInt(100) < percent) {
      into.add(facility);
    }
  }

  private static OpeningHours hours(Random r, String category, LocalDate today) {
    List<OpeningHours.Weekly> w = new ArrayList<>();
    switch (category) {
      case "shop" -> {
        int kind = r.nextInt(10);
        if (kind < 2) {
          days(w, EnumSet.allOf(DayOfWeek.class), "00:00", "24:00");
        } else if (kind < 5) {
          days(w, EnumSet.allOf(DayOfWeek.class), "07:00", "02:00");
        } else {
          days(w, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY), "07:00", "22:00");
          days(w, EnumSet.of(DayOfWeek.SUNDAY), "09:00", "21:00");
        }
      }
      case "cafe" -> {
        days(w, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), "07:30", "18:00");
        days(w, EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), "09:00", "17:00");
      }
      case "pharmacy" -> {
        if (r.nextInt(4) == 0) {
          days(w, EnumSet.allOf(DayOfWeek.class), "08:00", "22:00");
        } else {
          days(w, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), "09:00", "18:30");
          days(w, EnumSet.of(DayOfWeek.SATURDAY), "09:00", "17:00");
        }
      }
      case "restaurant" -> {
        days(w, EnumSet.range(DayOfWeek.TUESDAY, DayOfWeek.SUNDAY), "12:00", "15:00");
        days(w, EnumSet.range(DayOfWeek.TUESDAY, DayOfWeek.SUNDAY), "17:30", "23:30");
      }
      case "library" -> {
        days(
            w,
            EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY),
            "09:00",
            "17:00");
        days(w, EnumSet.of(DayOfWeek.WEDNESDAY), "09:00", "20:00");
        days(w, EnumSet.of(DayOfWeek.SATURDAY), "10:00", "16:00");
      }
      case "community_centre" -> {
        days(w, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), "09:00", "21:00");
        days(w, EnumSet.of(DayOfWeek.SATURDAY), "10:00", "14:00");
      }
      case "youth_centre" -> {
        days(w, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), "15:00", "21:00");
        days(w, EnumSet.of(DayOfWeek.SATURDAY), "12:00", "18:00");
      }
      case "leisure_centre" -> {
        days(w, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), "06:30", "22:00");
        days(w, EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), "08:00", "20:00");
      }
      case "place_of_worship" -> {
        days(w, EnumSet.of(DayOfWeek.SUNDAY), "09:00", "13:00");
        days(w, EnumSet.of(DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY), "18:00", "21:00");
      }
      case "health", "council_building" ->
          days(w, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), "08:30", "18:00");
      case "transport" -> days(w, EnumSet.allOf(DayOfWeek.class), "05:30", "00:30");
      default -> days(w, EnumSet.allOf(DayOfWeek.class), "08:00", "21:00");
    }
    boolean allDay = w.stream().allMatch(x -> x.range().opens() == 0 && x.range().closes() == 1440);
    List<OpeningHours.Exception> ex = new ArrayList<>();
    if (!allDay && r.nextInt(10) < 6) {
      int year =
          today.getMonthValue() == 12 && today.getDayOfMonth() > 26
              ? today.getYear() + 1
              : today.getYear();
      ex.add(
          new OpeningHours.Exception(
              LocalDate.of(year, 12, 24), OpeningHours.Range.of("09:00", "14:00")));
      ex.add(new OpeningHours.Exception(LocalDate.of(year, 12, 25), null));
      ex.add(new OpeningHours.Exception(LocalDate.of(year, 12, 26), null));
      ex.add(new OpeningHours.Exception(LocalDate.of(year + 1, 1, 1), null));
    }
    OpeningHours.Closure closure = null;
    int c = r.nextInt(100);
    if (c < 3) {
      closure =
          new OpeningHours.Closure(
              "[Sample] Closed for refurbishment",
              today.minusDays(r.nextInt(5)),
              today.plusDays(3 + r.nextInt(20)));
    } else if (c < 4) {
      closure = new OpeningHours.Closure("[Sample] Closed until further notice", null, null);
    }
    return new OpeningHours(w, ex, closure);
  }

  private static void days(
      List<OpeningHours.Weekly> into, Set<DayOfWeek> days, String opens, String closes) {
    for (DayOfWeek d : WEEK) {
      if (days.contains(d)) {
        into.add(new OpeningHours.Weekly(d, OpeningHours.Range.of(opens, closes)));
      }
    }
  }
}
