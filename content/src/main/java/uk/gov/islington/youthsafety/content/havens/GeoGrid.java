package uk.gov.islington.youthsafety.content.havens;

import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import uk.gov.islington.youthsafety.content.common.Geo;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/**
 * An immutable in-memory spatial index: havens bucketed in cells of about 1.1 km, so a query looks
 * only at the cells its radius touches. Each haven's point is kept as a unit vector, so candidates
 * are filtered and ranked by chord length (three multiplications, no trigonometry; the chord grows
 * with the great-circle distance, so the order is the same) and the great-circle distance itself is
 * computed only for the havens the answer shows. For "open now" each cell keeps which of its havens
 * are open until the first of them changes, so closed havens cost nothing at night. Built once per
 * catalogue snapshot; any number of threads may query it.
 */
final class GeoGrid {

  private static final double CELL_LAT = 0.01;
  private static final double CELL_LON = 0.016;

  /**
   * Beyond this many cells a query scans everything instead (radius near a pole; never in the UK).
   */
  private static final long MAX_CELLS = 20_000;

  /**
   * One haven and its great-circle distance from the query point (computed when first asked for).
   */
  static final class Placed {
    private final Haven haven;
    // the haven's and the query's unit vectors (null when the distance was given)
    private final double[] unit;
    private final int at;
    private final double qx;
    private final double qy;
    private final double qz;
    private double distance = -1;

    Placed(Haven haven, double distanceMetres) {
      this(haven, null, 0, 0, 0, 0);
      this.distance = distanceMetres;
    }

    private Placed(Haven haven, double[] unit, int at, double qx, double qy, double qz) {
      this.haven = haven;
      this.unit = unit;
      this.at = at;
      this.qx = qx;
      this.qy = qy;
      this.qz = qz;
    }

    Haven haven() {
      return haven;
    }

    double distanceMetres() {
      if (distance < 0) {
        distance = Geo.fromChord(chord2(unit, at, qx, qy, qz));
      }
      return distance;
    }
  }

  /** One cell: its havens' indexes and their unit vectors, side by side for a sequential scan. */
  private static final class Cell {
    final int[] indexes;
    final double[] xyz;
    // which of the cell's havens are open, for a span of time in which none of them changes
    volatile OpenView open;

    Cell(int[] indexes, double[] xyz) {
      this.indexes = indexes;
      this.xyz = xyz;
    }
  }

  /**
   * The positions (in the cell) of the havens open from {@code fromMillis} until {@code
   * untilMillis}.
   */
  private record OpenView(long fromMillis, long untilMillis, int[] positions) {}

  /** Longest reuse of a cell's open view, as for a haven's own memo. */
  private static final long OPEN_VIEW_MAX_MILLIS = 600_000;

  private final Haven[] havens;
  // unit vectors by haven index, x y z side by side
  private final double[] unit;
  private final Map<Long, Cell> cells;

  GeoGrid(Collection<Haven> published) {
    // in id order, so that equal distances rank the same way every time
    havens = published.toArray(new Haven[0]);
    Arrays.sort(havens, Comparator.comparing(Haven::id));
    Map<Long, List<Integer>> building = new HashMap<>();
    for (int i = 0; i < havens.length; i++) {
      building
          .computeIfAbsent(
              key(cellLat(havens[i].lat()), cellLon(havens[i].lon())), k -> new ArrayList<>(4))
          .add(i);
    }
    unit = new double[havens.length * 3];
    for (int i = 0; i < havens.length; i++) {
      double lat = Math.toRadians(havens[i].lat());
      double lon = Math.toRadians(havens[i].lon());
      unit[3 * i] = Math.cos(lat) * Math.cos(lon);
      unit[3 * i + 1] = Math.cos(lat) * Math.sin(lon);
      unit[3 * i + 2] = Math.sin(lat);
    }
    Map<Long, Cell> frozen = new HashMap<>(building.size() * 2);
    building.forEach(
        (k, list) -> {
          int[] indexes = list.stream().mapToInt(Integer::intValue).toArray();
          double[] xyz = new double[indexes.length * 3];
          for (int j = 0; j < indexes.length; j++) {
            System.arraycopy(unit, 3 * indexes[j], xyz, 3 * j, 3);
          }
          frozen.put(k, new Cell(indexes, xyz));
        });
    cells = frozen;
  }

  int size() {
    return havens.length;
  }

  /**
   * Every haven within {@code radius} metres that {@code keep} accepts (all when null), nearest
   * first.
   */
  List<Placed> within(double lat, double lon, double radius, Predicate<Haven> keep) {
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
    Hits hits = new Hits(havens, keep);
    if ((long) (lat1 - lat0 + 1) * (lon1 - lon0 + 1) > MAX_CELLS) {
      for (Cell cell : cells.values()) {
        hits.scan(cell, qx, qy, qz, limit);
      }
    } else {
      // a cell whose nearest corner or edge is beyond the radius (flat-earth, with a margin) is
      // skipped
      double reach = dLat * 1.01;
      double lonScale = Math.cos(la);
      for (int a = lat0; a <= lat1; a++) {
        double gapLat = Math.max(0, Math.max(a * CELL_LAT - lat, lat - (a + 1) * CELL_LAT));
        for (int b = lon0; b <= lon1; b++) {
          double gapLon =
              Math.max(0, Math.max(b * CELL_LON - lon, lon - (b + 1) * CELL_LON)) * lonScale;
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
        int index = (int) (sorted[k] & 0xffffffffL);
        return new Placed(havens[index], unit, index, qx, qy, qz);
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  /**
   * The candidates of one query: (squared chord as float bits) << 32 | index, so sorting sorts by
   * distance, then id.
   */
  private static final class Hits {
    final Haven[] havens;
    final Predicate<Haven> keep;
    // set when only the havens open at that instant are wanted: then whole cells are answered at
    // once
    final Instant openAt;
    long[] keys = new long[128];
    int n;

    Hits(Haven[] havens, Predicate<Haven> keep) {
      this.havens = havens;
      this.keep = keep;
      this.openAt = keep instanceof NearbySource.OpenAt open ? open.now() : null;
    }

    void scan(Cell cell, double qx, double qy, double qz, double limit) {
      double[] xyz = cell.xyz;
      int[] indexes = cell.indexes;
      if (openAt != null) {
        // at night most havens are closed: look only at the cell's open ones
        for (int j : openPositions(cell)) {
          add(chord2(xyz, j, qx, qy, qz), indexes[j], limit);
        }
        return;
      }
      for (int j = 0; j < indexes.length; j++) {
        double d2 = chord2(xyz, j, qx, qy, qz);
        if (d2 <= limit && (keep == null || keep.test(havens[indexes[j]]))) {
          add(d2, indexes[j], limit);
        }
      }
    }

    private void add(double d2, int index, double limit) {
      if (d2 > limit) {
        return;
      }
      if (n == keys.length) {
        keys = Arrays.copyOf(keys, n * 2);
      }
      keys[n++] = pack(d2, index);
    }

    private int[] openPositions(Cell cell) {
      long millis = openAt.toEpochMilli();
      OpenView view = cell.open;
      if (view != null && millis >= view.fromMillis() && millis < view.untilMillis()) {
        return view.positions();
      }
      int[] positions = new int[cell.indexes.length];
      int count = 0;
      long until = millis + OPEN_VIEW_MAX_MILLIS;
      for (int j = 0; j < cell.indexes.length; j++) {
        OpeningHours.Status status = havens[cell.indexes[j]].statusAt(openAt);
        if (status.open()) {
          positions[count++] = j;
        }
        Instant next = status.open() ? status.closesAt() : status.opensAt();
        if (next != null) {
          until = Math.min(until, next.toEpochMilli());
        }
      }
      view = new OpenView(millis, until, Arrays.copyOf(positions, count));
      cell.open = view;
      return view.positions();
    }
  }

  /** The squared chord between the unit vector at {@code at} of {@code xyz} and the query's. */
  private static double chord2(double[] xyz, int at, double qx, double qy, double qz) {
    double dx = xyz[3 * at] - qx;
    double dy = xyz[3 * at + 1] - qy;
    double dz = xyz[3 * at + 2] - qz;
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
