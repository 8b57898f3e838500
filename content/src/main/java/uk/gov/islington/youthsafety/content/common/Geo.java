package uk.gov.islington.youthsafety.content.common;

/**
 * Great-circle distances on the mean Earth sphere (IUGG mean radius), in metres: for havens and
 * events alike.
 */
public final class Geo {

  public static final double EARTH_RADIUS_METRES = 6_371_008.8;

  /** Metres per degree of latitude on that sphere. */
  public static final double METRES_PER_DEGREE = Math.PI * EARTH_RADIUS_METRES / 180.0;

  private Geo() {}

  /** Haversine distance between two points given in degrees. */
  public static double distanceMetres(double lat1, double lon1, double lat2, double lon2) {
    double p1 = Math.toRadians(lat1);
    double p2 = Math.toRadians(lat2);
    double dp = p2 - p1;
    double dl = Math.toRadians(lon2 - lon1);
    double sinDp = Math.sin(dp / 2);
    double sinDl = Math.sin(dl / 2);
    double a = sinDp * sinDp + Math.cos(p1) * Math.cos(p2) * sinDl * sinDl;
    return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1.0, Math.sqrt(a)));
  }

  /**
   * The great-circle distance for a squared chord between two unit vectors: the same angle as the
   * haversine's (chord = 2 sin(angle / 2)), one square root and one arcsine instead of five trig
   * calls.
   */
  public static double fromChord(double chord2) {
    return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1.0, Math.sqrt(chord2) / 2));
  }
}
