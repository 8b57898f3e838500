import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.List;
import uk.gov.islington.youthsafety.content.havens.HavenInput;
import uk.gov.islington.youthsafety.content.hours.HoursJson;
import uk.gov.islington.youthsafety.content.havens.SampleHavens;
import uk.gov.islington.youthsafety.content.havens.ServiceArea;

/**
 * Adds synthetic havens for the 100k benchmark, spread evenly over a box around Greater London
 * (51.28-51.70 N, 0.51 W-0.33 E), with the demo generator's mix of hours and facilities, named
 * "[Bench] ...". One transaction, so one change number: every running instance picks them up from
 * the NOTIFY at commit, as it would any editor's change.
 *
 * <pre>
 * java -cp api/target/youth-safety-api.jar bench/havens/LoadHavens.java jdbc:postgresql://localhost:54329/postgres 99700
 * </pre>
 */
public final class LoadHavens {

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int count = Integer.parseInt(args[1]);
    ServiceArea london = ServiceArea.parse("51.28,-0.51,51.70,0.33");
    List<HavenInput.Draft> drafts = SampleHavens.generate(count, london, 100_000L, LocalDate.now());
    String sql = "INSERT INTO content.havens (id, name, address, postcode, lat, lon, category, facilities, phone,"
        + " notes, opening_hours, closure, last_verified_on, status, sample, created_at, updated_at, updated_by)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, 'published', true, now(), now(), 'bench')"
        + " ON CONFLICT (id) DO NOTHING";
    long started = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < drafts.size(); i++) {
          HavenInput.Draft d = drafts.get(i);
          ps.setString(1, String.format("hvn_bench%07d", i + 1));
          ps.setString(2, d.name().replace(SampleHavens.MARK, "[Bench] "));
          ps.setString(3, d.address());
          ps.setString(4, d.postcode());
          ps.setDouble(5, d.lat());
          ps.setDouble(6, d.lon());
          ps.setString(7, d.category());
          ps.setArray(8, c.createArrayOf("text", d.facilities().toArray()));
          ps.setString(9, d.phone());
          ps.setString(10, d.notes());
          ps.setString(11, HoursJson.hours(d.hours()).encode());
          var closure = HoursJson.closure(d.hours().closure());
          ps.setString(12, closure == null ? null : closure.encode());
          ps.setObject(13, d.lastVerifiedOn());
          ps.addBatch();
          if (i % 2000 == 1999) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      c.commit();
    }
    System.out.printf("loaded %d havens in %.1f s%n", count, (System.nanoTime() - started) / 1e9);
  }
}
