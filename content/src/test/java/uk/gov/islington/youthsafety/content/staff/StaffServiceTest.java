package uk.gov.islington.youthsafety.content.staff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.Page;
import uk.gov.islington.youthsafety.testing.MutableClock;
import uk.gov.islington.youthsafety.testing.TestDatabase;
import uk.gov.islington.youthsafety.testing.TestPostgres;

/**
 * The rules of staff accounts against a real PostgreSQL: uniqueness, passwords, the last admin,
 * races.
 */
class StaffServiceTest {

  // cheap parameters keep the suite fast; the production defaults are checked in PasswordHasherTest
  static final PasswordHasher HASHER = new PasswordHasher(1024, 1, 1);
  static final String PASSWORD = "a perfectly long passphrase";

  static Vertx vertx;
  static TestDatabase database;
  static Pool pool;
  static MutableClock clock;
  static StaffService staff;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    database = TestPostgres.freshDatabase("notifications", "content");
    pool = database.pool(vertx);
    clock = MutableClock.startingNow();
    staff = new StaffService(vertx, pool, clock, HASHER);
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    TestPostgres.drop(database);
  }

  @BeforeEach
  void empty() {
    await(pool.query("DELETE FROM content.staff").execute());
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  static List<Row> rows(String sql, Object... params) {
    List<Row> out = new ArrayList<>();
    await(pool.preparedQuery(sql).execute(Tuple.from(params))).forEach(out::add);
    return out;
  }

  @Test
  void createdAccountSignsInWhateverTheCaseOfItsUsername() {
    StaffMember m =
        await(
            staff.create(
                null, "Sam.Moderator@islington.gov.uk", PASSWORD, List.of("moderator", "editor")));
    assertThat(m.roles()).containsExactly("editor", "moderator");
    assertThat(m.disabled()).isFalse();
    assertThat(m.createdAt()).isEqualTo(m.updatedAt());

    assertThat(await(staff.authenticate("sam.moderator@ISLINGTON.gov.uk", PASSWORD))).contains(m);
    assertThat(await(staff.authenticate("sam.moderator@islington.gov.uk", PASSWORD + "x")))
        .isEmpty();
    assertThat(await(staff.authenticate("nobody", PASSWORD))).isEmpty();
  }

  @Test
  void onlyAnArgon2idHashIsStored() {
    StaffMember m = await(staff.create(null, "hash.check", PASSWORD, List.of("editor")));
    String hash =
        rows("SELECT password_hash FROM content.staff WHERE id = $1", m.id()).get(0).getString(0);
    assertThat(hash).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").doesNotContain(PASSWORD);
    String everything = rows("SELECT s::text FROM content.staff s").toString();
    assertThat(everything).doesNotContain(PASSWORD);
  }

  @Test
  void usernamesAreUniqueWhateverTheirCase() {
    await(staff.create(null, "Alex.Editor", PASSWORD, List.of("editor")));
    assertThatThrownBy(
            () -> await(staff.create(null, "alex.EDITOR", PASSWORD + "!", List.of("moderator"))))
        .isInstanceOf(DomainException.Conflict.class);
    assertThat(rows("SELECT 1 FROM content.staff")).hasSize(1);
  }

  @Test
  void weakPasswordsAreRefusedNamingTheField() {
    assertField(
        () -> staff.create(null, "pat.weak", "short", List.of("editor")),
        "password",
        "at least 12");
    assertField(
        () -> staff.create(null, "pat.weak", "aaaaaaaaaaaaaaaa", List.of("editor")),
        "password",
        "repeated");
    assertField(
        () -> staff.create(null, "pat.weak", "Password1234", List.of("editor")),
        "password",
        "common");
    assertField(
        () -> staff.create(null, "pat.weak", "my-pat.weak-password", List.of("editor")),
        "password",
        "username");
    assertField(() -> staff.create(null, "x", PASSWORD, List.of("editor")), "username", "3 to 254");
    assertField(
        () -> staff.create(null, "pat.ok", PASSWORD, List.of("editor", "boss")),
        "roles[1]",
        "one of");
    assertField(() -> staff.create(null, "pat.ok", PASSWORD, List.of()), "roles", "at least one");
    assertThat(rows("SELECT 1 FROM content.staff")).isEmpty();
  }

  @Test
  void aDisabledAccountCannotSignInAndReenablingRestoresIt() {
    StaffMember admin = await(staff.create(null, "first.admin", PASSWORD, List.of("admin")));
    StaffMember m = await(staff.create(null, "leaver", PASSWORD, List.of("moderator")));
    StaffChange off = await(staff.update(admin.id(), m.id(), new StaffUpdate(null, null, true)));
    assertThat(off.member().disabled()).isTrue();
    assertThat(off.tokensNotBefore()).isEqualTo(now());
    assertThat(await(staff.authenticate("leaver", PASSWORD))).isEmpty();

    StaffChange on = await(staff.update(admin.id(), m.id(), new StaffUpdate(null, null, false)));
    assertThat(on.member().disabled()).isFalse();
    assertThat(await(staff.authenticate("leaver", PASSWORD))).isPresent();
  }

  @Test
  void aChangeThatChangesNothingRevokesNothing() {
    StaffMember admin = await(staff.create(null, "calm.admin", PASSWORD, List.of("admin")));
    StaffMember m = await(staff.create(null, "steady", PASSWORD, List.of("editor", "moderator")));
    StaffChange same =
        await(
            staff.update(
                admin.id(), m.id(), new StaffUpdate(List.of("moderator", "editor"), null, false)));
    assertThat(same.tokensNotBefore()).isNull();
    assertThat(same.member()).isEqualTo(m);
    assertThat(await(staff.tokensNotBeforeSince(Instant.EPOCH))).doesNotContainKey(m.id());
  }

  @Test
  void passwordAndRoleChangesRevokeTokensAndAreAnnouncedToOtherInstances() {
    StaffMember admin = await(staff.create(null, "root.admin", PASSWORD, List.of("admin")));
    StaffMember m = await(staff.create(null, "changer", PASSWORD, List.of("editor")));
    clock.advance(Duration.ofMinutes(1));
    StaffChange c =
        await(
            staff.update(
                admin.id(),
                m.id(),
                new StaffUpdate(List.of("moderator"), "a brand new passphrase", null)));
    assertThat(c.member().roles()).containsExactly("moderator");
    assertThat(c.member().updatedAt()).isEqualTo(now());
    assertThat(await(staff.tokensNotBeforeSince(now().minusSeconds(1))))
        .containsEntry(m.id(), now());
    assertThat(await(staff.tokensNotBeforeSince(clock.instant()))).isEmpty();
    assertThat(await(staff.authenticate("changer", PASSWORD))).isEmpty();
    assertThat(await(staff.authenticate("changer", "a brand new passphrase"))).isPresent();
  }

  @Test
  void newPasswordsFollowThePolicyAndUnknownAccountsAre404() {
    StaffMember admin = await(staff.create(null, "policy.admin", PASSWORD, List.of("admin")));
    assertField(
        () -> staff.update(admin.id(), admin.id(), new StaffUpdate(null, "tiny", null)),
        "password",
        "at least 12");
    assertThatThrownBy(
            () -> await(staff.update(admin.id(), "no-such-id", new StaffUpdate(null, null, true))))
        .isInstanceOf(DomainException.NotFound.class);
  }

  @Test
  void theLastActiveAdminCanNeitherBeDisabledNorDemoted() {
    StaffMember admin =
        await(staff.create(null, "only.admin", PASSWORD, List.of("admin", "editor")));
    assertThatThrownBy(
            () -> await(staff.update(admin.id(), admin.id(), new StaffUpdate(null, null, true))))
        .isInstanceOf(DomainException.Conflict.class);
    assertThatThrownBy(
            () ->
                await(
                    staff.update(
                        admin.id(), admin.id(), new StaffUpdate(List.of("editor"), null, null))))
        .isInstanceOf(DomainException.Conflict.class);
    // a disabled admin does not count as one
    StaffMember other = await(staff.create(null, "other.admin", PASSWORD, List.of("admin")));
    await(staff.update(admin.id(), other.id(), new StaffUpdate(null, null, true)));
    assertThatThrownBy(
            () -> await(staff.update(admin.id(), admin.id(), new StaffUpdate(null, null, true))))
        .isInstanceOf(DomainException.Conflict.class);
    // with a second active admin it is allowed
    await(staff.update(admin.id(), other.id(), new StaffUpdate(null, null, false)));
    assertThat(
            await(
                    staff.update(
                        admin.id(), admin.id(), new StaffUpdate(List.of("editor"), null, null)))
                .member()
                .roles())
        .containsExactly("editor");
  }

  @Test
  void twoAdminsDemotingEachOtherAtOnceLeaveOneAdmin() {
    for (int round = 0; round < 5; round++) {
      await(pool.query("DELETE FROM content.staff").execute());
      StaffMember a = await(staff.create(null, "admin.a", PASSWORD, List.of("admin")));
      StaffMember b = await(staff.create(null, "admin.b", PASSWORD, List.of("admin")));
      Future<StaffChange> ab = staff.update(a.id(), b.id(), new StaffUpdate(null, null, true));
      Future<StaffChange> ba =
          staff.update(b.id(), a.id(), new StaffUpdate(List.of("editor"), null, null));
      await(Future.join(ab, ba).transform(done -> Future.succeededFuture()));
      assertThat(List.of(ab.succeeded(), ba.succeeded())).containsExactlyInAnyOrder(true, false);
      Throwable refused = ab.failed() ? ab.cause() : ba.cause();
      assertThat(refused).isInstanceOf(DomainException.Conflict.class);
      assertThat(rows("SELECT 1 FROM content.staff WHERE NOT disabled AND 'admin' = ANY (roles)"))
          .hasSize(1);
    }
  }

  @Test
  void firstAdminIsCreatedOnceEvenWhenInstancesRace() {
    List<Future<Boolean>> starts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      // separate services on separate pools, like instances starting side by side
      StaffService instance = new StaffService(vertx, database.pool(vertx), clock, HASHER);
      starts.add(instance.ensureFirstAdmin("boot.admin", PASSWORD));
    }
    await(Future.all(starts));
    assertThat(starts.stream().filter(Future::result).count()).isEqualTo(1);
    List<Row> all = rows("SELECT username, roles FROM content.staff");
    assertThat(all).hasSize(1);
    assertThat(all.get(0).getString("username")).isEqualTo("boot.admin");
    assertThat(all.get(0).getArrayOfStrings("roles")).containsExactly("admin");

    // a later start with other settings changes nothing
    assertThat(await(staff.ensureFirstAdmin("someone.else", PASSWORD))).isFalse();
    assertThat(rows("SELECT 1 FROM content.staff")).hasSize(1);
    assertThat(await(staff.authenticate("boot.admin", PASSWORD))).isPresent();
  }

  @Test
  void firstAdminSettingsFollowThePolicy() {
    assertField(() -> staff.ensureFirstAdmin("boot.admin", "short"), "password", "at least 12");
    assertThat(rows("SELECT 1 FROM content.staff")).isEmpty();
  }

  @Test
  void listingPagesThroughEveryoneInUsernameOrderAndFiltersDisabled() {
    StaffMember admin = await(staff.create(null, "zed.admin", PASSWORD, List.of("admin")));
    for (String name : List.of("Carol", "alice", "Bob", "dave", "Eve")) {
      await(staff.create(null, name, PASSWORD, List.of("editor")));
    }
    String bob =
        await(staff.list(null, 100, null)).items().stream()
            .filter(m -> m.username().equals("Bob"))
            .findFirst()
            .orElseThrow()
            .id();
    await(staff.update(admin.id(), bob, new StaffUpdate(null, null, true)));

    List<String> names = new ArrayList<>();
    String cursor = null;
    do {
      Page<StaffMember> page = await(staff.list(null, 2, cursor));
      assertThat(page.items().size()).isLessThanOrEqualTo(2);
      page.items().forEach(m -> names.add(m.username()));
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(names).containsExactly("alice", "Bob", "Carol", "dave", "Eve", "zed.admin");
    assertThat(await(staff.list(true, 10, null)).items())
        .extracting(StaffMember::username)
        .containsExactly("Bob");
    assertThat(await(staff.list(false, 10, null)).items()).hasSize(5);
    assertField(() -> staff.list(null, 10, "not-a-cursor!"), "cursor", "cursor");
  }

  @Test
  void aHashMadeWithOldParametersIsUpgradedAtTheNextSignIn() {
    StaffMember m =
        await(
            new StaffService(vertx, pool, clock, new PasswordHasher(512, 1, 1))
                .create(null, "old.hash", PASSWORD, List.of("editor")));
    assertThat(hashOf(m.id())).startsWith("$argon2id$v=19$m=512,t=1,p=1$");
    assertThat(await(staff.authenticate("old.hash", PASSWORD))).isPresent();
    assertThat(hashOf(m.id())).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
    assertThat(await(staff.authenticate("old.hash", PASSWORD))).isPresent();
  }

  private static Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  private static String hashOf(String id) {
    return rows("SELECT password_hash FROM content.staff WHERE id = $1", id).get(0).getString(0);
  }

  private static void assertField(
      java.util.function.Supplier<Future<?>> call, String field, String message) {
    assertThatThrownBy(() -> await(call.get()))
        .isInstanceOfSatisfying(
            InvalidInput.class,
            e ->
                assertThat(e.errors())
                    .anySatisfy(
                        f -> {
                          assertThat(f.field()).isEqualTo(field);
                          assertThat(f.message()).contains(message);
                        }));
  }
}
