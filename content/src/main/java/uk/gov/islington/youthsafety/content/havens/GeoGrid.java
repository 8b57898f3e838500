package uk.gov.islington.youthsafety.content.havens;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable in-memory spatial index: havens bucketed in cells of about 1.1 km, so a query looks
 * only at the cells its radius touches. Each haven's point is kept as a unit vector, so candidates
 * are filtered and ranked by chord length (three multiplications, no trigonometry; the chord grows
 * with the great-circle distance, so the order is the same) and the great-circle distance itself
 * is computed only for the havens the answer shows. Built once per catalogue snapshot; any number
 * of threads may query it.
 */
final class GeoGrid {

  private static final double CELL_LAT = 0.01;
  private static final double CELL_LON = 0.016;
  /** Beyond this many cells a query scans everything instead (radius near a pole; never in the UK). */
  private static final long MAX_CELLS = 20_000;

  /** One haven and its exact distance from the query point. */
  record Placed(Haven haven, double distanceMetres) {}

  private final Haven[] havens;
  private final double[] xs;
  private final double[] ys;
  private final double[] zs;
  private final Map<Long, int[]> cells;

  GeoGrid(Collection<Haven> published) {
    // in id order, so that equal distances rank the same way every time
    havens = published.toArray(new Haven[0]);
    Arrays.sort(havens, Comparator.comparing(Haven::id));
    xs = new double[havens.length];
    ys = new double[havens.length];
    zs = new double[havens.length];
    Map<Long, List<Integer>> building = new HashMap<>();
    for (int i = 0; i < havens.length; i++) {
      Haven h = havens[i];
      double lat = Math.toRadians(h.lat());
      double lon = Math.toRadians(h.lon());
      xs[i] = Math.cos(lat) * Math.cos(lon);
      ys[i] = Math.cos(lat) * Math.sin(lon);
      zs[i] = Math.sin(lat);
      building.computeIfAbsent(key(cellLat(h.lat()), cellLon(h.lon())), k -> new ArrayList<>(4)).add(i);
    }
    Map<Long, int[]> frozen = new HashMap<>(building.size() * 2);
    building.forEach((k, v) -> frozen.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
    cells = frozen;
  }

  int size() {
    return havens.length;
  }

  /** Every haven within {@code radius} metres, nearest first; distances are computed as the list is read. */
  List<Placed> within(double lat, double lon, double radius) {
    double la = Math.toRadians(lat);
    double lo = Math.toRadians(lon);
    double qx = Math.cos(la) * Math.cos(lo);
    double qy = Math.cos(la) * Math.sin(lo);
    double qz = Math.sin(la);
    double halfChord = Math.sin(Math.min(Math.PI, radius / Geo.EARTH_RADIUS_METRES) / 2);
    double limit = 4 * halfChord * halfChord;

    double dLat = radius / Geo.METRES_PER_DEGREE;
    double cos = Math.max(0.01, Math.cos(Math.toRadians(Math.min(89.0, Math.abs(lat) + dLat))));
    double dLon = Math.min(180.0, dLat / cos);
    int lat0 = cellLat(lat - dLat);
    int lat1 = cellLat(lat + dLat);
    int lon0 = cellLon(lon - dLon);
    int lon1 = cellLon(lon + dLon);
    // (squared chord as float bits) << 32 | index: sorting the longs sorts by distance, then by id
    long[] hits = new long[128];
    int n = 0;
    if ((long) (lat1 - lat0 + 1) * (lon1 - lon0 + 1) > MAX_CELLS) {
      for (int i = 0; i < havens.length; i++) {
        double d2 = chord2(i, qx, qy, qz);
        if (d2 <= limit) {
          hits = n == hits.length ? Arrays.copyOf(hits, n * 2) : hits;
          hits[n++] = pack(d2, i);
        }
      }
    } else {
      for (int a = lat0; a <= lat1; a++) {
        for (int b = lon0; b <= lon1; b++) {
          int[] cell = cells.get(key(a, b));
          if (cell == null) {
            continue;
          }
          for (int i : cell) {
            double d2 = chord2(i, qx, qy, qz);
            if (d2 <= limit) {
              hits = n == hits.length ? Arrays.copyOf(hits, n * 2) : hits;
              hits[n++] = pack(d2, i);
            }
          }
        }
      }
    }
    Arrays.sort(hits, 0, n);
    long[] sorted = hits;
    int size = n;
    return new AbstractList<>() {
      @Override
      public Placed get(int k) {
        int i = (int) (sorted[k] & 0xffffffffL);
        Haven h = havens[i];
        return new Placed(h, Geo.distanceMetres(lat, lon, h.lat(), h.lon()));
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  private double chord2(int i, double qx, double qy, double qz) {
    double dx = xs[i] - qx;
    double dy = ys[i] - qy;
    double dz = zs[i] - qz;
    return dx * dx + dy * dy + dz * dz;
  }

  private static long pack(double chord2, int index) {
    return ((long) Float.floatToIntBits((float) chord2) << 32) | (index & 0xffffffffL);
  }

  private static int cellLat(double lat) {
    return (int) Math.floor(lat / CELL_LAT);
  }

  private static int cellLon(double lon) {
    return (int) Math.floor(lon / CELL_LON);
  }

  private static long key(int i, int j) {
    return ((long) i << 32) | (j & 0xffffffffL);
  }
}
