package uk.gov.islington.youthsafety.api.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Gives the runtime role (DATABASE_URL's) its privileges, as the migration role, on every start, so
 * that tables added since are covered: read and write on every table of our schemas, never the
 * Flyway history, less where a schema's {@code restrict_runtime} migration function says so (the
 * audit trail). A runtime role that could undo the limits anyway (a superuser, an owner, a member
 * of the migration role) stops the start: the separation would only be on paper.
 */
final class RuntimeGrants {

  private static final String POWER =
      """
      SELECT r.rolsuper,
             pg_has_role(r.oid, current_user, 'MEMBER') AS member_of_owner,
             (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = ANY (?) AND c.relowner = r.oid)
           + (SELECT count(*) FROM pg_namespace n WHERE n.nspname = ANY (?) AND n.nspowner = r.oid) AS owned
        FROM pg_roles r WHERE r.rolname = ?
      """;

  private RuntimeGrants() {}

  static void apply(Connection migration, List<String> schemas, String runtimeRole)
      throws SQLException {
    refuseWhereLimitsWouldNotHold(migration, schemas, runtimeRole);
    String role = value(migration, "SELECT quote_ident(?)", runtimeRole);
    for (String schema : schemas) {
      try (Statement st = migration.createStatement()) {
        st.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
        st.execute(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "
                + schema
                + " TO "
                + role);
        st.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role);
        st.execute("REVOKE ALL ON " + schema + ".flyway_schema_history FROM " + role);
      }
      if (value(
              migration,
              "SELECT to_regprocedure(?) IS NOT NULL",
              schema + ".restrict_runtime(text)")
          .equals("t")) {
        try (PreparedStatement restrict =
            migration.prepareStatement("SELECT " + schema + ".restrict_runtime(?)")) {
          restrict.setString(1, runtimeRole);
          restrict.execute();
        }
      }
    }
  }

  /** The one value a query with one text parameter answers. */
  private static String value(Connection c, String sql, String parameter) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, parameter);
      try (ResultSet r = st.executeQuery()) {
        r.next();
        return r.getString(1);
      }
    }
  }

  private static void refuseWhereLimitsWouldNotHold(
      Connection c, List<String> schemas, String runtimeRole) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(POWER)) {
      String[] names = schemas.toArray(String[]::new);
      st.setArray(1, c.createArrayOf("text", names));
      st.setArray(2, c.createArrayOf("text", names));
      st.setString(3, runtimeRole);
      try (ResultSet r = st.executeQuery()) {
        if (!r.next()) {
          throw new IllegalStateException(
              "the DATABASE_URL role does not exist: create it (LOGIN, no other "
                  + "attributes) as docs/operations.md shows");
        }
        if (r.getBoolean("rolsuper")) {
          throw new IllegalStateException(
              "the DATABASE_URL role is a superuser, so no privilege limits it: "
                  + "use an ordinary login role, with migrations under DATABASE_MIGRATION_URL");
        }
        if (r.getBoolean("member_of_owner")) {
          throw new IllegalStateException(
              "the DATABASE_URL role is a member of the DATABASE_MIGRATION_URL role "
                  + "and so has the owner's rights: revoke that membership");
        }
        if (r.getLong("owned") > 0) {
          throw new IllegalStateException(
              "the DATABASE_URL role owns "
                  + r.getLong("owned")
                  + " objects in the "
                  + "service's schemas: hand them to the DATABASE_MIGRATION_URL role with REASSIGN OWNED "
                  + "(docs/operations.md)");
        }
      }
    }
  }
}
