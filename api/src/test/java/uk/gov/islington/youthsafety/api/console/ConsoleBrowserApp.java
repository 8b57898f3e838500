package uk.gov.islington.youthsafety.api.console;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The service of a console browser test: cheap password hashing, and e-mail configured as in
 * production (a real SMTP server, the duty and escalation inboxes), so that the pages (and
 * screenshots) carry no configuration warning. A class may add settings with a {@link WithTestApp}
 * of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WithTestApp(
    value = {
      TestApp.CHEAP_HASH_MEMORY,
      TestApp.CHEAP_HASH_ITERATIONS,
      "REPORT_DUTY_EMAIL=duty@example.test",
      "REPORT_ESCALATION_EMAIL=escalation@example.test"
    },
    smtp = true)
@interface ConsoleBrowserApp {}
