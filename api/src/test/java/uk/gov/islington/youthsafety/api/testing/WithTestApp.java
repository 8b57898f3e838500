package uk.gov.islington.youthsafety.api.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.gov.islington.youthsafety.api.reports.Smtp;

/**
 * The real service for a test class, started once before its tests and closed after them: a static
 * field of type {@link TestApp} gets it before any {@code @BeforeAll} method runs (and one of type
 * {@link Smtp} the mail server, with {@link #smtp}).
 *
 * <pre>
 * &#64;WithTestApp({"PASSWORD_HASH_ITERATIONS=1"})
 * class SomeTest {
 *   static TestApp app;
 * }
 * </pre>
 *
 * <p>An annotation of a family of tests may carry it (with the settings they share); a class with
 * that annotation may add a {@code WithTestApp} of its own, whose settings come last.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestAppExtension.class)
public @interface WithTestApp {

  /** Environment settings for the service, each {@code NAME=value}. */
  String[] value() default {};

  /** Where the service's clock starts (an ISO-8601 instant); empty: now. */
  String now() default "";

  /**
   * A real local SMTP server, started before the service and closed after it, with the service's
   * e-mail sent through it ({@link Smtp#settings()}; {@link #value} may override any of them).
   */
  boolean smtp() default false;

  /**
   * A scripted local SMTP server ({@code ScriptedSmtp}) for the bulletins' e-mail, started before
   * the service and closed after it, with the service's bulletin e-mail sent through it ({@code
   * EmailSubscribers.settings}); a static field of type {@code ScriptedSmtp} gets it.
   */
  boolean scriptedSmtp() default false;

  /**
   * A fake FCM server ({@code FakeFcm}), started before the service and closed after it, with the
   * service's pushes sent to it through the real Firebase Admin SDK (FIREBASE_APP_NAME, short
   * time-outs); a static field of type {@code FakeFcm} gets it.
   */
  boolean fcm() default false;
}
