package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through Debian's chromium-driver: a fresh profile per
 * browser, nothing fetched from the network but the service under test. Waits are explicit and
 * generous (the test machine is shared and often loaded); nothing sleeps to assert. The public
 * bulletin pages' browser test uses it too.
 */
public final class ConsoleBrowser implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> WCAG =
      List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");

  public final ChromeDriver driver;
  private final Path profile;
  private final String base;

  public ConsoleBrowser(int port) throws IOException {
    this.profile = Files.createTempDirectory("console-chromium");
    this.base = "http://localhost:" + port;
    ChromeOptions options = new ChromeOptions();
    options.setBinary(new File(binary("CHROMIUM_BINARY", "/usr/bin/chromium")));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-default-apps",
        "--window-size=1280,1000",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(binary("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver")))
            .usingAnyFreePort()
            .build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
  }

  private static String binary(String env, String fallback) {
    String path = System.getenv(env) == null ? fallback : System.getenv(env);
    if (!new File(path).canExecute()) {
      throw new IllegalStateException(
          path
              + " is missing: install Debian's chromium and chromium-driver"
              + " (.ci/run does: apt-get install -y chromium chromium-driver)");
    }
    return path;
  }

  public void open(String path) {
    driver.get(base + path);
  }

  public String path() {
    String url = driver.getCurrentUrl();
    return url.startsWith(base) ? url.substring(base.length()) : url;
  }

  public <T> T until(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).withMessage(what).until(condition);
  }

  public WebElement find(By by) {
    return until(
        "an element " + by,
        d -> {
          List<WebElement> found = d.findElements(by);
          return found.isEmpty() ? null : found.get(0);
        });
  }

  public void waitForPage(String pathPrefix) {
    until(
        "the page " + pathPrefix,
        d ->
            path().startsWith(pathPrefix)
                && "complete".equals(driver.executeScript("return document.readyState")));
  }

  /** axe-core on the page as it is: WCAG 2.2 A and AA, no violation allowed. */
  public void assertAccessible(String page) {
    // the pages have no frames: legacy mode runs axe in the page itself, without the blank second
    // window that its frame support opens (which timed out on a loaded machine)
    Results results = new AxeBuilder().withTags(WCAG).setLegacyMode(true).analyze(driver);
    List<Rule> violations = results.getViolations();
    assertThat(violations)
        .as(
            page
                + ": "
                + violations.stream()
                    .map(
                        v ->
                            v.getId()
                                + " ("
                                + v.getHelp()
                                + ") at "
                                + v.getNodes().stream()
                                    .map(n -> String.valueOf(n.getTarget()))
                                    .collect(Collectors.joining(", ")))
                    .collect(Collectors.joining("; ")))
        .isEmpty();
  }

  /** Moves the keyboard focus with Tab (and only Tab) until it is on {@code by}. */
  public WebElement tabTo(By by) {
    WebElement target = find(by);
    for (int i = 0; i < 200; i++) {
      if (target.equals(driver.switchTo().activeElement())) {
        return target;
      }
      new Actions(driver).sendKeys(Keys.TAB).perform();
    }
    throw new AssertionError("Tab never reached " + by + " on " + path());
  }

  public void type(String keys) {
    new Actions(driver).sendKeys(keys).perform();
  }

  public void press(Keys key) {
    new Actions(driver).sendKeys(key).perform();
  }

  /** Saves a screenshot when screenshots were asked for (-Dconsole.screenshots=DIR). */
  public void screenshot(String name) throws IOException {
    String dir = System.getProperty("console.screenshots");
    if (dir == null || dir.isBlank()) {
      return;
    }
    Path target = Path.of(dir).resolve(name + ".png");
    Files.createDirectories(target.getParent());
    Files.copy(
        driver.getScreenshotAs(OutputType.FILE).toPath(),
        target,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** A phone's screen (CSS pixels), to check that pages work at that width. */
  public void phoneWidth() {
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(375, 812));
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
