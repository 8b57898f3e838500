package uk.gov.islington.youthsafety.api.testing;

import com.google.firebase.FirebaseApp;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers;
import uk.gov.islington.youthsafety.api.reports.Smtp;
import uk.gov.islington.youthsafety.notifications.push.FcmSettings;
import uk.gov.islington.youthsafety.testing.FakeFcm;
import uk.gov.islington.youthsafety.testing.MutableClock;
import uk.gov.islington.youthsafety.testing.ScriptedSmtp;

/**
 * Starts the {@link TestApp} of a class annotated {@link WithTestApp}, after the servers it asks
 * for ({@link Smtp}, {@link ScriptedSmtp}, {@link FakeFcm}); JUnit closes them all after the class,
 * the service first.
 */
final class TestAppExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestAppExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    List<WithTestApp> declared = declared(testClass);
    String now = "";
    boolean withSmtp = false;
    boolean withFcm = false;
    boolean withScriptedSmtp = false;
    for (WithTestApp d : declared) {
      now = d.now().isEmpty() ? now : d.now();
      withSmtp |= d.smtp();
      withFcm |= d.fcm();
      withScriptedSmtp |= d.scriptedSmtp();
    }
    MutableClock clock =
        now.isEmpty() ? MutableClock.startingNow() : new MutableClock(Instant.parse(now));
    Started started = new Started();
    // in the store at once: whatever has started is closed even if the service then fails to
    context.getStore(NAMESPACE).put(Started.class, started);
    Map<String, String> env = new LinkedHashMap<>();
    if (withSmtp) {
      Smtp smtp = started.add(Smtp.onFreePort().start());
      env.putAll(smtp.settings());
    }
    if (withScriptedSmtp) {
      ScriptedSmtp smtp = started.add(new ScriptedSmtp());
      env.putAll(EmailSubscribers.settings(smtp));
    }
    if (withFcm) {
      FakeFcm fcm = started.add(FakeFcm.start());
      String name = "test-app-" + testClass.getName();
      FirebaseApp firebase = fcm.firebaseApp(name, FCM);
      started.onClose(firebase::delete);
      env.put("FIREBASE_APP_NAME", name);
      env.put("FCM_READ_TIMEOUT", "5s");
      env.put("FCM_BATCH_DEADLINE", "20s");
    }
    for (WithTestApp d : declared) {
      env.putAll(settings(d));
    }
    started.app = started.add(TestApp.start(env, clock));
    for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        Object value = started.ofType(f.getType());
        if (value != null && Modifier.isStatic(f.getModifiers())) {
          f.setAccessible(true);
          f.set(null, value);
        }
      }
    }
  }

  /** The SDK's settings for the fake FCM server: short time-outs, a batch of 8. */
  private static final FcmSettings FCM =
      new FcmSettings(
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          8,
          FcmSettings.PROJECT_QUOTA_PER_MINUTE,
          Duration.ofSeconds(20),
          Duration.ofSeconds(2));

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestApp.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NAMESPACE).get(Started.class, Started.class).app;
  }

  /**
   * The service and the servers started for it, held in the class's store, which closes them after
   * the class's last test: in the reverse order of their start.
   */
  private static final class Started implements ExtensionContext.Store.CloseableResource {
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final List<Object> values = new ArrayList<>();
    TestApp app;

    <T> T add(T value) {
      values.add(value);
      if (value instanceof AutoCloseable closeable) {
        started.push(closeable);
      }
      return value;
    }

    void onClose(AutoCloseable closeable) {
      started.push(closeable);
    }

    Object ofType(Class<?> type) {
      return values.stream().filter(v -> v.getClass() == type).findFirst().orElse(null);
    }

    @Override
    public void close() throws Exception {
      Exception failed = null;
      while (!started.isEmpty()) {
        try {
          started.pop().close();
        } catch (Exception e) {
          if (failed == null) {
            failed = e;
          } else {
            failed.addSuppressed(e);
          }
        }
      }
      if (failed != null) {
        throw failed;
      }
    }
  }

  /**
   * The class's {@link WithTestApp}s: those its other annotations carry (e.g. the settings of a
   * family of tests) first, then its own, whose settings and clock win.
   */
  private static List<WithTestApp> declared(Class<?> testClass) {
    List<WithTestApp> found = new ArrayList<>();
    for (Annotation a : testClass.getAnnotations()) {
      WithTestApp carried = a.annotationType().getAnnotation(WithTestApp.class);
      if (carried != null) {
        found.add(carried);
      }
    }
    WithTestApp own = testClass.getAnnotation(WithTestApp.class);
    if (own != null) {
      found.add(own);
    }
    return found;
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
