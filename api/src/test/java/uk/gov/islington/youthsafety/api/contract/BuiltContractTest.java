package uk.gov.islington.youthsafety.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.http.ContractLoader;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * The access policy (security, x-roles) is the contract built into the jar: a file in the working
 * directory, or another openapi.yaml earlier on the class path, must not replace it.
 */
class BuiltContractTest {

  @Test
  void anOpenapiYamlInTheWorkingDirectoryChangesNothing() throws Exception {
    Path rogue = Path.of("openapi.yaml").toAbsolutePath();
    assertThat(rogue).doesNotExist();
    String built = new String(ContractLoader.builtContract().getBytes(), StandardCharsets.UTF_8);
    // the same contract with the staff list opened to anyone
    String opened =
        built.replace(
            "      operationId: listStaff\n      tags: [staff]\n      x-roles: [admin]\n",
            "      operationId: listStaff\n      tags: [staff]\n      security: []\n");
    assertThat(opened).isNotEqualTo(built);
    Files.writeString(rogue, opened);
    try (TestApp app = TestApp.start()) {
      assertThat(app.get("/v1/staff", null).statusCode()).isEqualTo(401);
      assertThat(app.get("/openapi.yaml", null).bodyAsString()).isEqualTo(built);
    } finally {
      Files.delete(rogue);
    }
  }

  @Test
  void aContractFromAnywhereButThisServicesOwnJarStopsTheStart() throws Exception {
    URL jar = new URL("file:/srv/youth-safety/youth-safety-api.jar");
    ContractLoader.checkBuiltIn(
        new URL("jar:file:/srv/youth-safety/youth-safety-api.jar!/openapi.yaml"), jar);
    ContractLoader.checkBuiltIn(
        new URL("file:/srv/build/api/target/classes/openapi.yaml"),
        new URL("file:/srv/build/api/target/classes/"));
    assertThatThrownBy(
            () ->
                ContractLoader.checkBuiltIn(
                    new URL("jar:file:/srv/youth-safety/other.jar!/openapi.yaml"), jar))
        .hasMessageContaining("openapi.yaml")
        .hasMessageContaining("other.jar");
    assertThatThrownBy(
            () -> ContractLoader.checkBuiltIn(new URL("file:/srv/youth-safety/openapi.yaml"), jar))
        .hasMessageContaining("openapi.yaml");
  }
}
