package dev.sensorengine.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * Everything the process logs while it is open: logback events (message, arguments, MDC and stack trace) and
 * java.util.logging records, which is where grpc-java reports what escapes a call (an exception thrown on its
 * executor). Closing it detaches both and restores the levels it changed.
 */
public final class LogCapture implements AutoCloseable {

    /** One logged event as text, with what a test needs to judge it. */
    public record Entry(String source, String logger, String level, String text, boolean hasThrowable) {

        public boolean isError() {
            return level.equals("ERROR") || level.equals("SEVERE");
        }
    }

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Map<String, Level> previousLevels = new HashMap<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder text =
                    new StringBuilder(event.getFormattedMessage() == null ? "" : event.getFormattedMessage());
            if (event.getArgumentArray() != null) {
                for (Object argument : event.getArgumentArray()) {
                    text.append(" | ").append(argument);
                }
            }
            event.getMDCPropertyMap()
                    .forEach((key, value) ->
                            text.append(" | ").append(key).append('=').append(value));
            if (event.getThrowableProxy() != null) {
                text.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            entries.add(new Entry(
                    "logback",
                    event.getLoggerName(),
                    event.getLevel().toString(),
                    text.toString(),
                    event.getThrowableProxy() != null));
        }
    };
    private final Handler julHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder text = new StringBuilder(String.valueOf(record.getMessage()));
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    text.append(" | ").append(parameter);
                }
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                text.append('\n').append(trace);
            }
            entries.add(new Entry(
                    "jul",
                    String.valueOf(record.getLoggerName()),
                    record.getLevel().getName(),
                    text.toString(),
                    record.getThrown() != null));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private LogCapture() {}

    /**
     * Starts capturing; {@code verboseLoggers} are turned up to DEBUG (TRACE for this project's own) for as long as
     * the capture is open, so that what they would say at their most talkative is checked too.
     */
    public static LogCapture start(String... verboseLoggers) {
        LogCapture capture = new LogCapture();
        capture.appender.setContext(capture.context);
        capture.appender.setName("test-capture");
        capture.appender.start();
        capture.context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture.appender);
        for (String name : verboseLoggers) {
            Logger logger = capture.context.getLogger(name);
            capture.previousLevels.put(name, logger.getLevel());
            logger.setLevel(name.startsWith("dev.sensorengine") ? Level.TRACE : Level.DEBUG);
        }
        java.util.logging.Logger.getLogger("").addHandler(capture.julHandler);
        return capture;
    }

    public List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    /**
     * Errors, and anything logged with a stack trace: what a request must never cause. Not grpc-java's note that a
     * context listener's executor had been shut down: logging captures the whole JVM, and that note comes from a
     * client or server of an earlier test, closed while one of its calls still ended, never from a request.
     */
    public List<Entry> problems() {
        return entries.stream()
                .filter(entry -> entry.isError() || entry.hasThrowable())
                .filter(entry -> !(entry.logger().equals("io.grpc.Context")
                        && entry.text().startsWith("Exception notifying context listener")
                        && entry.text().contains("RejectedExecutionException")
                        && entry.text().contains("Shutting down")))
                .toList();
    }

    /** All captured text, one entry per line group. */
    public String text() {
        StringBuilder all = new StringBuilder();
        entries.forEach(entry -> all.append(entry.level())
                .append(' ')
                .append(entry.logger())
                .append(" - ")
                .append(entry.text())
                .append('\n'));
        return all.toString();
    }

    @Override
    public void close() {
        java.util.logging.Logger.getLogger("").removeHandler(julHandler);
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
        previousLevels.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }
}
