package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.content.staff.Totp;

/**
 * One run of a console journey in a real browser ({@link ConsoleBrowser}), the way a browser test
 * drives it: {@link Way#WITH_THE_MOUSE}, going through every error state on the way and checking
 * every page and error state with axe-core, or {@link Way#WITH_THE_KEYBOARD_ALONE}. A method
 * annotated {@link Run} gets one per run.
 */
final class ConsoleJourney implements ExtensionContext.Store.CloseableResource {

  /** How a journey is driven. */
  enum Way {
    WITH_THE_MOUSE,
    WITH_THE_KEYBOARD_ALONE
  }

  /**
   * A journey test, run once for each way of {@link #value} (both by default) in a fresh browser on
   * the console of the class's {@link TestApp}, a new account with the roles {@link #signedInAs}
   * signed in first if any. Its parameters are the run's {@link ConsoleJourney}, {@link
   * ConsoleBrowser} and {@link Hands}.
   */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @TestTemplate
  @ExtendWith(Runs.class)
  @interface Run {
    Way[] value() default {Way.WITH_THE_MOUSE, Way.WITH_THE_KEYBOARD_ALONE};

    String[] signedInAs() default {};
  }

  /** What the journey does at each step: with the mouse, or with the keyboard alone. */
  interface Hands {
    void fill(By field, String text);

    void activate(By control);

    /** Ticks a checkbox or chooses a radio. */
    void check(By box);
  }

  final TestApp app;
  final ConsoleBrowser b;
  final Hands hands;
  final boolean keyboardOnly;

  private ConsoleJourney(TestApp app, ConsoleBrowser b, Way way) {
    this.keyboardOnly = way == Way.WITH_THE_KEYBOARD_ALONE;
    this.hands = keyboardOnly ? keyboard(b) : mouse(b);
    this.app = app;
    this.b = b;
  }

  @Override
  public void close() throws IOException {
    b.close();
  }

  /** Whether this run goes through the error states and checks every page (the mouse's does). */
  boolean checkEverything() {
    return !keyboardOnly;
  }

  /** axe-core on the page as it is, in the run that checks everything. */
  void axe(String page) {
    if (checkEverything()) {
      b.assertAccessible(page);
    }
  }

  /** Activates {@code control}, waits for the page at {@code path} and checks it ({@link #axe}). */
  void follow(By control, String path, String page) {
    hands.activate(control);
    b.waitForPage(path);
    axe(page);
  }

  /** Activates {@code control}, waits for the error summary and checks the page ({@link #axe}). */
  void mistake(By control, String page) {
    hands.activate(control);
    b.find(By.className("govuk-error-summary"));
    axe(page);
  }

  /** Fills the day, month, year and time fields of the date input {@code name} with {@code t}. */
  void fillDateTime(String name, ZonedDateTime t) {
    hands.fill(By.id(name + "-day"), "" + t.getDayOfMonth());
    hands.fill(By.id(name + "-month"), "" + t.getMonthValue());
    hands.fill(By.id(name + "-year"), "" + t.getYear());
    hands.fill(By.id(name + "-time"), String.format("%02d:%02d", t.getHour(), t.getMinute()));
  }

  /**
   * Chooses the radio {@code index} of group {@code name}: by click, or with Tab then the arrow
   * keys.
   */
  void radio(String name, int index) {
    By id = By.id(index == 0 ? name : name + "-" + (index + 1));
    if (!keyboardOnly) {
      hands.check(id);
      return;
    }
    b.tabTo(By.id(name));
    if (index == 0) {
      b.press(Keys.SPACE);
    }
    for (int i = 0; i < index; i++) {
      b.press(Keys.ARROW_DOWN);
    }
    assertThat(b.find(id).isSelected()).as("radio " + index + " of " + name).isTrue();
  }

  /** Chooses an option of a select: by mouse, or by focusing it with Tab and typing its label. */
  void choose(By select, String label) {
    if (keyboardOnly) {
      b.tabTo(select);
      b.type(label);
    } else {
      new Select(b.find(select)).selectByVisibleText(label);
    }
    assertThat(new Select(b.find(select)).getFirstSelectedOption().getText()).isEqualTo(label);
  }

  /**
   * A new account with these roles, signed in for the first time: the password, then enrolment with
   * a code computed here. Answers the account's TOTP secret.
   */
  byte[] signInAsNew(String... roles) {
    String username = app.newStaff(roles).getString("username");
    b.open("/console");
    b.waitForPage("/console/sign-in");
    hands.fill(By.id("username"), username);
    hands.fill(By.id("password"), TestApp.STAFF_PASSWORD);
    hands.activate(By.cssSelector("form[action='/console/sign-in'] button"));
    b.waitForPage("/console/sign-in/enrol");
    byte[] secret = Totp.fromBase32(b.find(By.id("totp-key")).getText());
    app.clock.advance(Duration.ofSeconds(30));
    hands.fill(By.id("code"), Totp.code(secret, app.clock.instant()));
    hands.activate(By.cssSelector("form[action='/console/sign-in/enrol'] button"));
    b.find(By.id("recovery-codes"));
    hands.activate(By.id("continue"));
    b.waitForPage("/console");
    return secret;
  }

  static Hands mouse(ConsoleBrowser b) {
    return new Hands() {
      @Override
      public void fill(By field, String text) {
        WebElement e = b.find(field);
        e.clear();
        e.sendKeys(text);
      }

      @Override
      public void activate(By control) {
        b.find(control).click();
      }

      @Override
      public void check(By box) {
        b.find(box).click();
      }
    };
  }

  static Hands keyboard(ConsoleBrowser b) {
    return new Hands() {
      @Override
      public void fill(By field, String text) {
        b.tabTo(field);
        b.type(text);
      }

      @Override
      public void activate(By control) {
        b.tabTo(control);
        b.press(Keys.ENTER);
      }

      @Override
      public void check(By box) {
        b.tabTo(box);
        b.press(Keys.SPACE);
      }
    };
  }

  /** The runs of a {@link Run} method, one per way. */
  static final class Runs implements TestTemplateInvocationContextProvider {
    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
      return context.getTestMethod().map(m -> m.isAnnotationPresent(Run.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(
        ExtensionContext context) {
      Run run = context.getRequiredTestMethod().getAnnotation(Run.class);
      return Stream.of(run.value()).map(way -> new Invocation(way, run.signedInAs()));
    }
  }

  /** One run: its name, and its journey, started before the test and closed after it. */
  private static final class Invocation
      implements TestTemplateInvocationContext, BeforeTestExecutionCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(ConsoleJourney.class);
    private final Way way;
    private final String[] signedInAs;

    Invocation(Way way, String[] signedInAs) {
      this.way = way;
      this.signedInAs = signedInAs;
    }

    @Override
    public String getDisplayName(int invocationIndex) {
      return way.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
      return List.of(this);
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) throws Exception {
      TestApp app = testApp(context.getRequiredTestClass());
      ConsoleJourney j = new ConsoleJourney(app, new ConsoleBrowser(app.app().port()), way);
      context.getStore(NAMESPACE).put(ConsoleJourney.class, j);
      if (signedInAs.length > 0) {
        j.signInAsNew(signedInAs);
      }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      Class<?> type = parameter.getParameter().getType();
      return type == ConsoleJourney.class || type == ConsoleBrowser.class || type == Hands.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      ConsoleJourney j =
          context.getStore(NAMESPACE).get(ConsoleJourney.class, ConsoleJourney.class);
      Class<?> type = parameter.getParameter().getType();
      return type == ConsoleBrowser.class ? j.b : type == Hands.class ? j.hands : j;
    }

    /** The test class's service: its static field of type {@link TestApp}. */
    private static TestApp testApp(Class<?> testClass) {
      for (Field f : testClass.getDeclaredFields()) {
        if (f.getType() == TestApp.class && Modifier.isStatic(f.getModifiers())) {
          try {
            f.setAccessible(true);
            return (TestApp) f.get(null);
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
      throw new IllegalStateException(testClass + " has no static TestApp field");
    }
  }
}
