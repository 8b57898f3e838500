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

  /** One haven and its great-circle distance from the query point (computed when first asked for). */
  static final class Placed {
    private final Haven haven;
    private final double fromLat;
    private final double fromLon;
    private double distance = -1;

    Placed(Haven haven, double distanceMetres) {
      this.haven = haven;
      this.fromLat = Double.NaN;
      this.fromLon = Double.NaN;
      this.distance = distanceMetres;
    }

    private Placed(Haven haven, double fromLat, double fromLon) {
      this.haven = haven;
      this.fromLat = fromLat;
      this.fromLon = fromLon;
    }

    Haven haven() {
      return haven;
    }

    double distanceMetres() {
      if (distance < 0) {
        distance = Geo.distanceMetres(fromLat, fromLon, haven.lat(), haven.lon());
      }
      return distance;
    }
  }

  /** One cell: its havens' indexes and their unit vectors, side by side for a sequential scan. */
  private record Cell(int[] indexes, double[] xyz) {}

  private final Haven[] havens;
  private final Map<Long, Cell> cells;

  GeoGrid(Collection<Haven> published) {
    // in id order, so that equal distances rank the same way every time
    havens = published.toArray(new Haven[0]);
    Arrays.sort(havens, Comparator.comparing(Haven::id));
    Map<Long, List<Integer>> building = new HashMap<>();
    for (int i = 0; i < havens.length; i++) {
      building.computeIfAbsent(key(cellLat(havens[i].lat()), cellLon(havens[i].lon())), k -> new ArrayList<>(4)).add(i);
    }
    Map<Long, Cell> frozen = new HashMap<>(building.size() * 2);
    building.forEach((k, list) -> {
      int[] indexes = list.stream().mapToInt(Integer::intValue).toArray();
      double[] xyz = new double[indexes.length * 3];
      for (int j = 0; j < indexes.length; j++) {
        Haven h = havens[indexes[j]];
        double lat = Math.toRadians(h.lat());
        double lon = Math.toRadians(h.lon());
        xyz[3 * j] = Math.cos(lat) * Math.cos(lon);
        xyz[3 * j + 1] = Math.cos(lat) * Math.sin(lon);
        xyz[3 * j + 2] = Math.sin(lat);
      }
      frozen.put(k, new Cell(indexes, xyz));
    });
    cells = frozen;
  }

  int size() {
    return havens.length;
  }

  /** Every haven within {@code radius} metres, nearest first. */
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
    Hits hits = new Hits();
    if ((long) (lat1 - lat0 + 1) * (lon1 - lon0 + 1) > MAX_CELLS) {
      for (Cell cell : cells.values()) {
        hits.scan(cell, qx, qy, qz, limit);
      }
    } else {
      // a cell whose nearest corner or edge is beyond the radius (flat-earth, with a margin) is skipped
      double reach = dLat * 1.01;
      double lonScale = Math.cos(la);
      for (int a = lat0; a <= lat1; a++) {
        double gapLat = Math.max(0, Math.max(a * CELL_LAT - lat, lat - (a + 1) * CELL_LAT));
        for (int b = lon0; b <= lon1; b++) {
          double gapLon = Math.max(0, Math.max(b * CELL_LON - lon, lon - (b + 1) * CELL_LON)) * lonScale;
          if (gapLat * gapLat + gapLon * gapLon > reach * reach) {
            continue;
          }
          Cell cell = cells.get(key(a, b));
          if (cell != null) {
            hits.scan(cell, qx, qy, qz, limit);
          }
        }
      }
    }
    Arrays.sort(hits.keys, 0, hits.n);
    long[] sorted = hits.keys;
    int size = hits.n;
    return new AbstractList<>() {
      @Override
      public Placed get(int k) {
        return new Placed(havens[(int) (sorted[k] & 0xffffffffL)], lat, lon);
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  /** The candidates of one query: (squared chord as float bits) << 32 | index, so sorting sorts by distance, then id. */
  private static final class Hits {
    long[] keys = new long[128];
    int n;

    void scan(Cell cell, double qx, double qy, double qz, double limit) {
      double[] xyz = cell.xyz();
      int[] indexes = cell.indexes();
      for (int j = 0; j < indexes.length; j++) {
        double dx = xyz[3 * j] - qx;
        double dy = xyz[3 * j + 1] - qy;
        double dz = xyz[3 * j + 2] - qz;
        double d2 = dx * dx + dy * dy + dz * dz;
        if (d2 <= limit) {
          if (n == keys.length) {
            keys = Arrays.copyOf(keys, n * 2);
          }
          keys[n++] = pack(d2, indexes[j]);
        }
      }
    }
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
