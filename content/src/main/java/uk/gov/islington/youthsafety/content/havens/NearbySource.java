package uk.gov.islington.youthsafety.content.havens;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import uk.gov.islington.youthsafety.content.common.Geo;

/**
 * Where findNearbyHavens gets its candidates: published havens within a radius, nearest first, page
 * by page. Two implementations, chosen by {@code HAVEN_NEARBY_INDEX}: {@link #memory} (the
 * catalogue's grid; the default) and {@link #postgres} (a KNN scan of the GiST index on {@code
 * content.haven_earth(lat, lon)}). docs/features/havens.md has the measurements behind the default.
 */
@FunctionalInterface
interface NearbySource {

  /**
   * Candidates from one query point, nearest first, only those {@code keep} accepts (all when
   * null); an empty page means there are no more.
   */
  interface Scan {
    Future<List<GeoGrid.Placed>> next();
  }

  /** Keeps the havens open at {@code now}; the in-memory grid answers it a cell at a time. */
  record OpenAt(Instant now) implements Predicate<Haven> {
    @Override
    public boolean test(Haven h) {
      return h.statusAt(now).open();
    }
  }

  Scan scan(
      HavenCatalogue.Snapshot snapshot,
      double lat,
      double lon,
      double radius,
      int pageHint,
      Predicate<Haven> keep);

  /** The in-memory grid: every candidate in one page, computed without I/O. */
  static NearbySource memory() {
    return (snapshot, lat, lon, radius, pageHint, keep) ->
        new Scan() {
          private boolean done;

          @Override
          public Future<List<GeoGrid.Placed>> next() {
            if (done) {
              return Future.succeededFuture(List.of());
            }
            done = true;
            return Future.succeededFuture(snapshot.within(lat, lon, radius, keep));
          }
        };
  }

  /**
   * PostgreSQL only: rows come in KNN order from the GiST index, a page at a time, and their hours
   * are parsed per request. Exact distances and the radius cut are computed here, on our sphere.
   */
  static NearbySource postgres(Pool pool) {
    HavenStore store = new HavenStore();
    return (snapshot, lat, lon, radius, pageHint, keep) -> {
      int page = Math.max(50, pageHint);
      return new Scan() {
        private int offset;
        private boolean done;

        @Override
        public Future<List<GeoGrid.Placed>> next() {
          if (done) {
            return Future.succeededFuture(List.of());
          }
          return store
              .nearby(pool, lat, lon, radius, page, offset)
              .map(
                  rows -> {
                    offset += rows.size();
                    done = rows.size() < page;
                    List<GeoGrid.Placed> out = new ArrayList<>(rows.size());
                    for (Haven h : rows) {
                      double d = Geo.distanceMetres(lat, lon, h.lat(), h.lon());
                      if (d > radius) {
                        done = true;
                        break;
                      }
                      if (keep == null || keep.test(h)) {
                        out.add(new GeoGrid.Placed(h, d));
                      }
                    }
                    return out;
                  });
        }
      };
    };
  }
}
