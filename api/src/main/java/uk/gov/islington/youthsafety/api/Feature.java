package uk.gov.islington.youthsafety.api;

import java.util.List;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.common.DemoContent;
import uk.gov.islington.youthsafety.content.common.Retention;

/**
 * One feature as the process sees it: the operations it handles, and optionally the retention rules of its personal data and its demo content.
 * {@link Features} lists them all; nothing else needs to change to add one.
 */
public interface Feature {

  void routes(Routes routes);

  default List<Retention> retention() {
    return List.of();
  }

  default List<DemoContent> demoContent() {
    return List.of();
  }
}
