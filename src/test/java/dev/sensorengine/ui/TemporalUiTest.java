package dev.sensorengine.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.runtime.TemporalDevServer;
import dev.sensorengine.sensors.DurationText;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.testing.ServiceUnderTest;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Temporal UI as an operator uses it, on the UI that the real dev server serves, in headless Chromium: find a
 * waiting sensor by its Flyte execution, read its page (the pending poke, its attempts and its last result; the
 * summary and details the engine puts on every sensor), and follow GetTask's log link there.
 *
 * <p>Screenshots and the text of each page go to {@code target/ui-screenshots/}; {@code docs/images/} holds one.
 */
class TemporalUiTest {

    private static final Path SHOTS = Path.of("target", "ui-screenshots");
    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();
    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
    private static final Pattern ATTEMPT = Pattern.compile("(\\d+)\\s*/\\s*UNLIMITED");
    /** "Next Retry Nov 30, 2026, 8:47:46.24 AM UTC (16s)". */
    private static final Pattern NEXT_RETRY = Pattern.compile("Next Retry\\s+[^(]*\\((\\d+)s\\)");
    /** Long enough for the page to catch a poke waiting, short enough for a few pokes in seconds. */
    private static final Duration POKE_INTERVAL = Duration.ofSeconds(3);

    @TempDir
    static Path dir;

    private static TemporalDevServer temporal;
    private static ServiceUnderTest running;
    private static AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent;
    private static HeadlessChromium chromium;
    private static String ui;

    @BeforeAll
    static void start() throws IOException {
        if (HeadlessChromium.missing().isPresent()) {
            return; // the test skips, saying why (or fails under CI)
        }
        chromium = HeadlessChromium.start(SHOTS, 1440, 1100);
        temporal = RealTemporal.start(dir.resolve("temporal"));
        ui = temporal.uiUrl().orElseThrow();
        running = ServiceUnderTest.start(ServiceConfig.inProcess("ui-sensors")
                .temporalTarget(temporal.target())
                .temporalUiUrl(ui)
                .searchAttributes(true)
                .fileRoots(List.of(dir))
                .build());
        agent = running.agent();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        try (HeadlessChromium browser = chromium) {
            if (running != null) {
                running.close(); // before its Temporal
            }
        } finally {
            if (temporal != null) {
                temporal.close();
            }
        }
    }

    @Test
    void anOperatorFindsAWaitingSensorAndReadsItsPage() throws IOException {
        HeadlessChromium.assumeInstalled();
        String path = dir.resolve("landing/orders/_SUCCESS").toString();
        String otherPath = dir.resolve("landing/other/_SUCCESS").toString();
        ByteString meta = create("ui-exec-1", path);
        create("ui-exec-2", otherPath);
        Resource waiting = await().atMost(Duration.ofSeconds(60)).until(() -> get(meta), r -> pokes(r) >= 2);
        Map<String, Object> info = Structs.toMap(waiting.getCustomInfo());
        String workflowId = (String) info.get("workflow_id");
        String otherId = workflowId.replace("ui-exec-1", "ui-exec-2");
        assertThat(waiting.getMessage()).startsWith("waiting: " + path + " does not exist");
        WebDriver browser = chromium.driver();
        WebDriverWait wait = new WebDriverWait(browser, PAGE_WAIT);

        // 1. The workflow list under a visibility query on each search attribute: by sensor type both sensors, by
        // target or by Flyte execution only the one.
        String bySensor = list(browser, wait, "FlyteSensor = \"flytekit.sensor.file_sensor.FileSensor\"", 2);
        assertThat(bySensor).contains(workflowId).contains(otherId);
        String byTarget = list(browser, wait, "SensorTarget = \"" + path + "\"", 1);
        assertThat(byTarget).contains(workflowId).doesNotContain(otherId);
        String byExecution = list(browser, wait, "FlyteExecution = \"flytesnacks/development/ui-exec-1\"", 1);
        assertThat(byExecution).contains(workflowId).doesNotContain(otherId).contains("FlyteSensor");
        save(browser, "1-list-by-flyte-execution");

        // 2. Its page, from the list: the pending poke, which attempt, when the next one is due, and what the latest
        // one found. The page shows "Next Retry" while the poke waits out its interval, not while it runs.
        browser.findElement(By.xpath("//a[normalize-space(.)='" + workflowId + "']"))
                .click();
        wait.until(ExpectedConditions.urlContains("/workflows/" + urlEncode(workflowId) + "/"));
        openTab(browser, wait, "pending-activities", "Last Failure");
        wait.pollingEvery(Duration.ofSeconds(1)).until(reloadingUntil("Next Retry", "Last Failure"));
        String pending = save(browser, "2-pending-poke");
        // The picture in docs/operations.md: from the sensor's title to its poke's last result, without the sidebar.
        chromium.screenshot(
                SHOTS.resolve("sensor-page.png"),
                browser.findElement(By.linkText("Back to Workflows")),
                browser.findElement(By.xpath("//*[text()='Last Failure']/..")));
        assertThat(pending).contains("Poke").contains("Attempt").contains(path + " does not exist");
        Matcher attempt = ATTEMPT.matcher(pending);
        assertThat(attempt.find()).as("an attempt count in:\n%s", pending).isTrue();
        assertThat(Long.parseLong(attempt.group(1))).isGreaterThan(pokes(waiting));
        Matcher nextIn = NEXT_RETRY.matcher(pending);
        assertThat(nextIn.find()).as("a next retry countdown in:\n%s", pending).isTrue();
        assertThat(Integer.parseInt(nextIn.group(1))).isLessThanOrEqualTo((int) POKE_INTERVAL.toSeconds());

        // 3. What the engine put on the page: the summary and the details (target, schedule, deadline, execution).
        openTab(browser, wait, "user-metadata", "Summary");
        String summary = frameText(browser, wait, "user-metadata-summary", "FileSensor");
        String details = frameText(browser, wait, "user-metadata-details", "Deadline");
        save(browser, "3-summary-and-details");
        assertThat(summary).isEqualTo("FileSensor: " + path);
        assertThat(details)
                .contains("FileSensor waits for " + path)
                .contains("Sensor: flytekit.sensor.file_sensor.FileSensor")
                .contains("Flyte execution: flytesnacks/development/ui-exec-1, node n0, retry attempt 0")
                .contains("Pokes: every " + DurationText.format(POKE_INTERVAL) + " (fixed)")
                .contains("Next poke: tab Pending Activities")
                .contains("Timeout: 2h from creation at " + info.get("created_at"))
                .contains("Deadline: " + info.get("deadline"));

        // 4. GetTask's log link, as propeller shows it in the Flyte console, lands on the same sensor's page.
        String link = waiting.getLogLinks(0).getUri();
        assertThat(link).startsWith(ui + "/namespaces/default/workflows/" + urlEncode(workflowId) + "/");
        browser.get(link);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Pending Activities"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "RUNNING"));
        String page = save(browser, "4-log-link");
        assertThat(browser.getCurrentUrl()).isEqualTo(link);
        assertThat(page)
                .contains(workflowId)
                .contains((String) info.get("run_id"))
                .doesNotContain("technical difficulties");
    }

    /** Opens the workflow list under {@code query} and waits for its count; returns the page's text. */
    private static String list(WebDriver browser, WebDriverWait wait, String query, int running) {
        browser.get(ui + "/namespaces/default/workflows?query=" + urlEncode(query));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), query));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), running + " RUNNING"));
        wait.until(ExpectedConditions.numberOfElementsToBe(
                By.xpath("//a[starts-with(normalize-space(.), 'flyte-sensor:')]"), running));
        return browser.findElement(By.tagName("body")).getText();
    }

    /**
     * True once the page shows {@code text}. A page that has rendered {@code rendered} without it is reloaded, as an
     * operator would; one still loading is left to finish.
     */
    private static ExpectedCondition<Boolean> reloadingUntil(String text, String rendered) {
        return driver -> {
            String body = driver.findElement(By.tagName("body")).getText();
            if (body.contains(text)) {
                return true;
            }
            if (body.contains(rendered)) {
                driver.navigate().refresh();
            }
            return false;
        };
    }

    private static ByteString create(String execution, String path) {
        return agent.createTask(FlytekitSensorTasks.createRequest(FlytekitSensorTasks.Task.fileSensor(execution, path)
                        .withSensorConfig(Map.of("poke_interval", DurationText.format(POKE_INTERVAL)))
                        .withTimeout(Duration.ofHours(2))))
                .getResourceMeta();
    }

    private static Resource get(ByteString meta) {
        return agent.getTask(GetTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .build())
                .getResource();
    }

    private static long pokes(Resource resource) {
        return Long.parseLong((String) Structs.toMap(resource.getCustomInfo()).get("pokes"));
    }

    /** Clicks the workflow page's tab whose link ends in {@code /tab}, and waits for {@code text} on it. */
    private static void openTab(WebDriver browser, WebDriverWait wait, String tab, String text) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("a[href$='/" + tab + "']")))
                .click();
        wait.until(ExpectedConditions.urlMatches("/" + tab + "$"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), text));
    }

    /** The text of a markdown pane, which the UI renders in an iframe of its own, once it shows {@code text}. */
    private static String frameText(WebDriver browser, WebDriverWait wait, String frameId, String text) {
        wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id(frameId)));
        try {
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), text));
            return browser.findElement(By.tagName("body")).getText().trim();
        } finally {
            browser.switchTo().defaultContent();
        }
    }

    /** Saves a screenshot and the page's text under {@code name}; returns the text. */
    private static String save(WebDriver browser, String name) throws IOException {
        String text = browser.findElement(By.tagName("body")).getText();
        Files.writeString(SHOTS.resolve(name + ".txt"), browser.getCurrentUrl() + "\n\n" + text);
        chromium.screenshot(SHOTS.resolve(name + ".png"));
        return text;
    }

    private static String urlEncode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
