package io.switchboard.admin.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium for a test class, driven by Selenium through Debian's chromedriver
 * ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}; the {@code ./test} script installs the
 * packages {@code chromium} and {@code chromium-driver}). The driver's path is given, so Selenium
 * Manager never runs (and never reaches for the network). A fixed window size, so that screenshots
 * are alike from run to run. Every wait is on a condition, bounded by {@link #WAIT}.
 *
 * <p>After each test the browser's console must hold no error: no uncaught exception, no refusal by
 * the Content-Security-Policy, no failed load of the console's own files (an API answer of 4xx, which
 * the page shows to its user, is no error here).
 *
 * <p>When a test fails, its page is kept in {@code target/console-screenshots/failed/} as a PNG and
 * as HTML, with the browser's console log.
 */
public final class ConsoleBrowser implements BeforeAllCallback, AfterAllCallback, AfterEachCallback, TestWatcher {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The longest any condition is waited for; a test that needs it is failing. */
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Where screenshots go; scripts/console-screenshots copies them into docs/console/. */
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final int WIDTH = 1440;
    static final int HEIGHT = 900;

    private ChromeDriver driver;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The console's browser tests need Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "). From the repository root run ./test (it installs them),"
                    + " or: apt-get install chromium chromium-driver");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--window-size=" + WIDTH + "," + HEIGHT, "--force-device-scale-factor=1", "--lang=en-US",
                "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--disable-default-apps", "--metrics-recording-only");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (driver == null || context.getExecutionException().isPresent()) {
            return;
        }
        List<String> errors = errors().stream()
                .filter(m -> !API_ANSWER.matcher(m).find())
                .toList();
        if (!errors.isEmpty()) {
            throw new AssertionError("the browser's console has errors:\n" + String.join("\n", errors));
        }
    }

    /** A 4xx answer of the admin API, which the page handles (a 401 before sign-in, a 404, a 409). */
    private static final java.util.regex.Pattern API_ANSWER = java.util.regex.Pattern.compile(
            "/api/v1/\\S* - Failed to load resource: the server responded with a status of 4\\d\\d");

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (driver == null) {
            return;
        }
        String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
        Path dir = SCREENSHOTS.resolve("failed");
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
            Files.writeString(dir.resolve(name + ".html"), driver.getPageSource(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(name + ".console.txt"), consoleLog(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * Loads a URL afresh (from about:blank, so that a URL that differs only in its hash loads the page
     * again rather than moving within it) and waits until the console's shell is there.
     */
    public void open(String url) {
        driver.get("about:blank");
        driver.get(url);
        await(d -> d.findElement(By.id("main")));
    }

    /** The element with data-role {@code role}, once it is there. */
    public WebElement role(String role) {
        return find("[data-role='" + role + "']");
    }

    /** The element matching a CSS selector, once it is there. */
    public WebElement find(String css) {
        return waiting()
                .withMessage(() -> "no element " + css + " on " + driver.getCurrentUrl())
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    /** The element matching a CSS selector inside another, once it is there. */
    public WebElement find(WebElement in, String css) {
        return await(d -> in.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
    }

    /** The elements matching a selector now (none is not an error). */
    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /**
     * Clicks the element once it is there, shown and enabled; if the page redraws it meanwhile, the new
     * one is clicked.
     */
    public void click(String css) {
        waiting().withMessage(() -> css + " is not clickable").until(d -> {
            WebElement e = d.findElement(By.cssSelector(css));
            if (!e.isDisplayed() || !e.isEnabled()) {
                return false;
            }
            e.click();
            return true;
        });
    }

    /** Replaces the text of an input or text area. */
    public void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    /** Chooses an option of a select by its value. */
    public void choose(String css, String value) {
        new org.openqa.selenium.support.ui.Select(find(css)).selectByValue(value);
    }

    /** Waits until the function returns something other than null or false; returns it. */
    public <T> T await(Function<WebDriver, T> condition) {
        return waiting().until(condition);
    }

    /** Waits longer than {@link #WAIT}, for what takes time by nature (statistics polled every 2 s). */
    public <T> T await(Duration atMost, Function<WebDriver, T> condition) {
        WebDriverWait w = new WebDriverWait(driver, atMost);
        w.ignoring(StaleElementReferenceException.class);
        return w.until(condition);
    }

    /** A wait that looks again when the page redrew what it was looking at. */
    private WebDriverWait waiting() {
        WebDriverWait w = new WebDriverWait(driver, WAIT);
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    /** Waits until the element matching css has text containing {@code text}; returns the element. */
    public WebElement awaitText(String css, String text) {
        return await(d -> d.findElements(By.cssSelector(css)).stream()
                .filter(e -> e.getText().contains(text)).findFirst().orElse(null));
    }

    /** Runs JavaScript in the page. */
    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /**
     * Takes a screenshot of the whole page (the window made as tall as the page, up to 2,400 pixels,
     * then put back) into target/console-screenshots/{name}.png.
     */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            // Screenshots show the page at rest: no focus ring, no caret, no hover, from the top.
            script("document.activeElement && document.activeElement.blur && document.activeElement.blur();"
                    + " window.scrollTo(0, 0)");
            long chrome = ((Number) script("return window.outerHeight - window.innerHeight")).longValue();
            long page = ((Number) script("return document.documentElement.scrollHeight")).longValue();
            int height = (int) Math.min(2400, Math.max(HEIGHT, page + chrome));
            driver.manage().window().setSize(new Dimension(WIDTH, height));
            try {
                await(d -> ((Number) script("return window.innerHeight")).longValue() >= height - chrome);
                File f = driver.getScreenshotAs(OutputType.FILE);
                Path target = SCREENSHOTS.resolve(name + ".png");
                Files.copy(f.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return target;
            } finally {
                driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The browser console's messages so far, one a line. */
    public String consoleLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::toString).collect(Collectors.joining("\n"));
    }

    /** The severe messages of the browser console (uncaught errors, failed loads), since the last call. */
    public List<String> errors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /** The text of the element matching css, if there is one now. */
    public Optional<String> textOf(String css) {
        return all(css).stream().findFirst().map(WebElement::getText);
    }
}
