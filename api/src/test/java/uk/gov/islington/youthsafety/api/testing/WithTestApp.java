package uk.gov.islington.youthsafety.api.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real service for a test class, started once before its tests and closed after them: a static
 * field of type {@link TestApp} gets it before any {@code @BeforeAll} method runs.
 *
 * <pre>
 * &#64;WithTestApp({"PASSWORD_HASH_ITERATIONS=1"})
 * class SomeTest {
 *   static TestApp app;
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestAppExtension.class)
public @interface WithTestApp {

  /** Environment settings for the service, each {@code NAME=value}. */
  String[] value() default {};

  /** Where the service's clock starts (an ISO-8601 instant); empty: now. */
  String now() default "";
}
