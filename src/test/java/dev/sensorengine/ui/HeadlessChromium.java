package dev.sensorengine.ui;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's ChromeDriver: both from {@code scripts/browser.sh}, which
 * {@code .ci/run} calls. Selenium is given both paths, so Selenium Manager never runs and nothing downloads a browser.
 * Without them the test is skipped, saying why, except under CI ({@code CI=true}), where it fails.
 *
 * <p>Each browser has a fresh profile in its own directory, and the flags that keep Chromium off the network (this
 * machine's network is closed: background fetches would only be refused) and alive as root in a container.
 */
final class HeadlessChromium implements AutoCloseable {

    static final String MISSING = "no Chromium and ChromeDriver for the UI test: run scripts/browser.sh as root "
            + "(.ci/run does), or set SENSOR_ENGINE_CHROMIUM and SENSOR_ENGINE_CHROMEDRIVER";

    private static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--lang=en-US");

    /** Selenium warns at each start that it has no CDP module for this Chromium; this test speaks WebDriver only. */
    private static final Logger CDP_VERSION_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSION_FINDER.setLevel(Level.SEVERE);
    }

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriverService service, ChromeDriver driver, Path profile) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Starts ChromeDriver and one browser window of {@code width} by {@code height}, with a new profile (deleted on
     * close); ChromeDriver's log goes to {@code workDir}.
     */
    static HeadlessChromium start(Path workDir, int width, int height) throws IOException {
        assumeInstalled();
        Path chromium = chromium();
        Path chromedriver = chromedriver();
        Files.createDirectories(workDir);
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogFile(workDir.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        List<String> arguments = new ArrayList<>(FLAGS);
        arguments.add("--user-data-dir=" + profile.toAbsolutePath());
        arguments.add("--window-size=" + width + "," + height);
        options.addArguments(arguments);
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteQuietly(profile);
            throw e;
        }
        driver.manage().window().setSize(new Dimension(width, height));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new HeadlessChromium(service, driver, profile);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Saves what the window shows as a PNG. */
    Path screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /**
     * Saves the part of the window from {@code topLeft}'s top left corner to {@code bottom}'s bottom and the window's
     * right edge, with a margin.
     */
    Path screenshot(Path file, WebElement topLeft, WebElement bottom) throws IOException {
        BufferedImage window = ImageIO.read(new ByteArrayInputStream(driver.getScreenshotAs(OutputType.BYTES)));
        int margin = 16;
        int x = Math.max(0, topLeft.getRect().getX() - margin);
        int y = Math.max(0, topLeft.getRect().getY() - margin);
        int right = window.getWidth();
        int lower = Math.min(
                window.getHeight(), bottom.getRect().getY() + bottom.getRect().getHeight() + margin / 2);
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(window.getSubimage(x, y, right - x, Math.max(1, lower - y)), "png", file.toFile());
        return file;
    }

    /** Ends the browser, then ChromeDriver, and deletes the profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A temporary directory; the system cleans it up in time.
        }
    }

    /**
     * Skips the calling test, saying why, when Chromium or ChromeDriver is missing; under CI ({@code CI=true}) fails
     * it instead. Call it in the test method: a skip in {@code @BeforeAll} is counted as no test at all.
     */
    static void assumeInstalled() {
        Optional<String> missing = missing();
        if (missing.isPresent() && "true".equals(System.getenv("CI"))) {
            fail(missing.get() + " [CI=true, so this fails instead of skipping]");
        }
        assumeTrue(missing.isEmpty(), missing.orElse(""));
    }

    /** Why the browser cannot start, when it cannot. */
    static Optional<String> missing() {
        for (Path path : List.of(chromium(), chromedriver())) {
            if (!Files.isExecutable(path)) {
                return Optional.of(MISSING + " (no " + path + ")");
            }
        }
        return Optional.empty();
    }

    private static Path chromium() {
        return Path.of(
                Optional.ofNullable(System.getenv("SENSOR_ENGINE_CHROMIUM")).orElse("/usr/bin/chromium"));
    }

    private static Path chromedriver() {
        return Path.of(
                Optional.ofNullable(System.getenv("SENSOR_ENGINE_CHROMEDRIVER")).orElse("/usr/bin/chromedriver"));
    }
}
