package uk.gov.islington.youthsafety.content.havens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServiceAreaTest {

  final ServiceArea islington = ServiceArea.islington();

  @Test
  void islingtonPlacesAreInsideAndNeighboursOutside() {
    assertThat(islington.contains(51.5462, -0.1040)).as("Highbury & Islington").isTrue();
    assertThat(islington.contains(51.5322, -0.1058)).as("Angel").isTrue();
    assertThat(islington.contains(51.5653, -0.1353)).as("Archway").isTrue();
    assertThat(islington.contains(51.5246, -0.0999)).as("Clerkenwell").isTrue();
    assertThat(islington.contains(51.5390, -0.1426)).as("Camden Town").isFalse();
    assertThat(islington.contains(51.5450, -0.0553)).as("Hackney Central").isFalse();
    assertThat(islington.contains(51.5155, -0.0922)).as("Bank").isFalse();
    assertThat(islington.contains(51.5900, -0.1100)).as("Hornsey").isFalse();
  }

  @Test
  void boxAndPolygonSettings() {
    ServiceArea box = ServiceArea.parse("51.0,-1.0,52.0,1.0");
    assertThat(box.contains(51.5, 0)).isTrue();
    assertThat(box.contains(52.5, 0)).isFalse();
    ServiceArea triangle = ServiceArea.parse("0,0; 0,10; 10,0");
    assertThat(triangle.contains(1, 1)).isTrue();
    assertThat(triangle.contains(6, 6)).isFalse();
  }

  @Test
  void malformedSettingsAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> ServiceArea.parse("51,0,50,1")).hasMessageContaining("min < max");
    assertThatThrownBy(() -> ServiceArea.parse("0,0;1,1")).hasMessageContaining("three");
    assertThatThrownBy(() -> ServiceArea.parse("a,b;c,d;e,f")).hasMessage("not a number");
    assertThatThrownBy(() -> ServiceArea.parse("0,0;1,1;95,0"))
        .hasMessage("coordinate out of range");
  }
}
