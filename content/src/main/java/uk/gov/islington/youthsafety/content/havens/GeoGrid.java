package uk.gov.islington.youthsafety.content.havens;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable in-memory spatial index: havens bucketed in cells of about 1.1 km, so a query
 * looks only at the cells its radius touches and computes exact great-circle distances for those.
 * Built once per catalogue snapshot; any number of threads may query it.
 */
final class GeoGrid {

  private static final double CELL_LAT = 0.01;
  private static final double CELL_LON = 0.016;
  /** Beyond this many cells a query scans everything instead (radius near a pole; never in the UK). */
  private static final long MAX_CELLS = 20_000;

  /** One haven and its exact distance from the query point. */
  record Placed(Haven haven, double distanceMetres) {}

  private final Map<Long, Haven[]> cells;
  private final Haven[] all;

  GeoGrid(Collection<Haven> havens) {
    Map<Long, List<Haven>> building = new HashMap<>();
    for (Haven h : havens) {
      building.computeIfAbsent(key(cellLat(h.lat()), cellLon(h.lon())), k -> new ArrayList<>(4)).add(h);
    }
    Map<Long, Haven[]> frozen = new HashMap<>(building.size() * 2);
    building.forEach((k, v) -> frozen.put(k, v.toArray(new Haven[0])));
    this.cells = frozen;
    this.all = havens.toArray(new Haven[0]);
  }

  int size() {
    return all.length;
  }

  /** Every haven within {@code radius} metres, nearest first (ties by id, so answers are stable). */
  List<Placed> within(double lat, double lon, double radius) {
    double dLat = radius / Geo.METRES_PER_DEGREE;
    double cos = Math.max(0.01, Math.cos(Math.toRadians(Math.min(89.0, Math.abs(lat) + dLat))));
    double dLon = Math.min(180.0, dLat / cos);
    int lat0 = cellLat(lat - dLat);
    int lat1 = cellLat(lat + dLat);
    int lon0 = cellLon(lon - dLon);
    int lon1 = cellLon(lon + dLon);
    List<Placed> out = new ArrayList<>();
    if ((long) (lat1 - lat0 + 1) * (lon1 - lon0 + 1) > MAX_CELLS) {
      for (Haven h : all) {
        add(out, h, lat, lon, radius);
      }
    } else {
      for (int i = lat0; i <= lat1; i++) {
        for (int j = lon0; j <= lon1; j++) {
          Haven[] cell = cells.get(key(i, j));
          if (cell != null) {
            for (Haven h : cell) {
              add(out, h, lat, lon, radius);
            }
          }
        }
      }
    }
    out.sort((a, b) -> {
      int c = Double.compare(a.distanceMetres(), b.distanceMetres());
      return c != 0 ? c : a.haven().id().compareTo(b.haven().id());
    });
    return out;
  }

  private static void add(List<Placed> out, Haven h, double lat, double lon, double radius) {
    double d = Geo.distanceMetres(lat, lon, h.lat(), h.lon());
    if (d <= radius) {
      out.add(new Placed(h, d));
    }
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
