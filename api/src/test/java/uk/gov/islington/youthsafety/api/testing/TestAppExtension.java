package uk.gov.islington.youthsafety.api.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import uk.gov.islington.youthsafety.testing.MutableClock;

/**
 * Starts the {@link TestApp} of a class annotated {@link WithTestApp}; JUnit closes it after the
 * class.
 */
final class TestAppExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestAppExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    WithTestApp annotation = testClass.getAnnotation(WithTestApp.class);
    MutableClock clock =
        annotation.now().isEmpty()
            ? MutableClock.startingNow()
            : new MutableClock(Instant.parse(annotation.now()));
    TestApp app = TestApp.start(settings(annotation), clock);
    context.getStore(NAMESPACE).put(TestApp.class, new Started(app));
    for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getType() == TestApp.class && Modifier.isStatic(f.getModifiers())) {
          f.setAccessible(true);
          f.set(null, app);
        }
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestApp.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NAMESPACE).get(TestApp.class, Started.class).app();
  }

  /** Held in the class's store, which closes it after the class's last test. */
  private record Started(TestApp app) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() throws Exception {
      app.close();
    }
  }

  private static Map<String, String> settings(WithTestApp annotation) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String setting : annotation.value()) {
      int eq = setting.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("@WithTestApp settings are NAME=value, not " + setting);
      }
      env.put(setting.substring(0, eq), setting.substring(eq + 1));
    }
    return env;
  }
}
