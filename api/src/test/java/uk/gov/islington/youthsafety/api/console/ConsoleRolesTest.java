package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.contract.ContractFile;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The console's role table and the contract's x-roles agree, so the two doors cannot drift apart.
 */
@WithTestApp
class ConsoleRolesTest {

  static TestApp app;

  @Test
  void everyConsoleActionIsAllowedToExactlyTheRolesOfItsApiOperation() throws Exception {
    ContractFile contract = ContractFile.load(app.app().context().vertx());
    Map<String, Set<String>> xRoles =
        contract.operations().stream()
            .collect(Collectors.toMap(ContractFile.Op::operationId, op -> Set.copyOf(op.roles())));
    ConsoleRoles.RULES.forEach(
        (page, rule) -> {
          if (rule.operationId() == null) {
            assertThat(rule.roles())
                .as(page)
                .containsExactlyInAnyOrder("moderator", "youth_council", "editor", "admin");
          } else {
            assertThat(xRoles)
                .as(page + " names an operation of the contract")
                .containsKey(rule.operationId());
            assertThat(new TreeSet<>(rule.roles()))
                .as(page + " vs x-roles of " + rule.operationId())
                .isEqualTo(new TreeSet<>(xRoles.get(rule.operationId())));
          }
        });
  }
}
