package dev.sensorengine.runtime;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/** {@code --log-format}: the human one-liner of logback.xml, or one JSON object per line for log pipelines. */
enum LogFormat {
    TEXT,
    JSON;

    /** Switches the console appender's encoder; the text form is what logback.xml already configures. */
    void apply() {
        if (this == TEXT) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.iteratorForAppenders().forEachRemaining(appender -> {
            if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
                JsonEncoder encoder = new JsonEncoder();
                encoder.setContext(context);
                // The finished sentence, not the template and its arguments; no per-line context noise.
                encoder.setWithFormattedMessage(true);
                encoder.setWithMessage(false);
                encoder.setWithArguments(false);
                encoder.setWithContext(false);
                encoder.setWithSequenceNumber(false);
                encoder.setWithNanoseconds(false);
                encoder.start();
                console.stop();
                console.setEncoder(encoder);
                console.start();
            }
        });
    }
}
