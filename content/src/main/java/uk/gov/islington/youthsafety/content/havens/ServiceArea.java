package uk.gov.islington.youthsafety.content.havens;

import java.util.ArrayList;
import java.util.List;

/**
 * Where premises may apply to join the scheme: a polygon (or a box) of latitude/longitude points.
 * Read from {@code HAVEN_SERVICE_AREA} as {@code lat,lon;lat,lon;...} (three or more points) or
 * {@code minLat,minLon,maxLat,maxLon}; the default is an approximation of the London Borough of
 * Islington's boundary. Point-in-polygon is planar in degrees, which is exact enough at the scale
 * of a borough or a county.
 */
public final class ServiceArea {

  /** An approximation of Islington's boundary, clockwise from Hornsey Lane (Archway). */
  public static final String ISLINGTON =
      String.join(
          ";",
          "51.5738,-0.1395",
          "51.5725,-0.1230",
          "51.5690,-0.1120",
          "51.5660,-0.1050",
          "51.5685,-0.0970",
          "51.5600,-0.0960",
          "51.5540,-0.0830",
          "51.5450,-0.0820",
          "51.5350,-0.0850",
          "51.5270,-0.0860",
          "51.5225,-0.0880",
          "51.5195,-0.0950",
          "51.5190,-0.1030",
          "51.5215,-0.1110",
          "51.5290,-0.1190",
          "51.5360,-0.1235",
          "51.5450,-0.1270",
          "51.5540,-0.1340",
          "51.5640,-0.1440",
          "51.5700,-0.1450");

  private final double[] lats;
  private final double[] lons;
  private final double minLat;
  private final double maxLat;
  private final double minLon;
  private final double maxLon;

  private ServiceArea(double[] lats, double[] lons) {
    this.lats = lats;
    this.lons = lons;
    double a = 90;
    double b = -90;
    double c = 180;
    double d = -180;
    for (int i = 0; i < lats.length; i++) {
      a = Math.min(a, lats[i]);
      b = Math.max(b, lats[i]);
      c = Math.min(c, lons[i]);
      d = Math.max(d, lons[i]);
    }
    minLat = a;
    maxLat = b;
    minLon = c;
    maxLon = d;
  }

  public static ServiceArea islington() {
    return parse(ISLINGTON);
  }

  /**
   * Parses the setting's value; throws IllegalArgumentException (without echoing it) when
   * malformed.
   */
  public static ServiceArea parse(String value) {
    String v = value.trim();
    if (!v.contains(";")) {
      double[] box = numbers(v.split(","), 4);
      if (box[0] >= box[2] || box[1] >= box[3]) {
        throw new IllegalArgumentException("a box is minLat,minLon,maxLat,maxLon with min < max");
      }
      return new ServiceArea(
          new double[] {box[0], box[0], box[2], box[2]},
          new double[] {box[1], box[3], box[3], box[1]});
    }
    String[] points = v.split(";");
    List<double[]> parsed = new ArrayList<>();
    for (String p : points) {
      if (!p.isBlank()) {
        parsed.add(numbers(p.split(","), 2));
      }
    }
    if (parsed.size() < 3) {
      throw new IllegalArgumentException("a polygon needs at least three lat,lon points");
    }
    double[] lats = new double[parsed.size()];
    double[] lons = new double[parsed.size()];
    for (int i = 0; i < parsed.size(); i++) {
      lats[i] = parsed.get(i)[0];
      lons[i] = parsed.get(i)[1];
    }
    return new ServiceArea(lats, lons);
  }

  private static double[] numbers(String[] parts, int expected) {
    if (parts.length != expected) {
      throw new IllegalArgumentException("expected " + expected + " comma-separated numbers");
    }
    double[] out = new double[expected];
    for (int i = 0; i < expected; i++) {
      try {
        out[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number");
      }
      boolean lat = i % 2 == 0;
      if (Double.isNaN(out[i]) || Math.abs(out[i]) > (lat ? 90 : 180)) {
        throw new IllegalArgumentException("coordinate out of range");
      }
    }
    return out;
  }

  /** Ray casting: true when the point is inside the polygon (or on its bounding edge for a box). */
  public boolean contains(double lat, double lon) {
    if (lat < minLat || lat > maxLat || lon < minLon || lon > maxLon) {
      return false;
    }
    boolean inside = false;
    for (int i = 0, j = lats.length - 1; i < lats.length; j = i++) {
      if ((lats[i] > lat) != (lats[j] > lat)
          && lon < (lons[j] - lons[i]) * (lat - lats[i]) / (lats[j] - lats[i]) + lons[i]) {
        inside = !inside;
      }
    }
    return inside;
  }

  public double minLat() {
    return minLat;
  }

  public double maxLat() {
    return maxLat;
  }

  public double minLon() {
    return minLon;
  }

  public double maxLon() {
    return maxLon;
  }
}
