package dev.sensorengine.runtime;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a size in bytes on the command line: {@code 65536}, {@code 64KiB}, {@code 4MiB} or {@code 1GiB}. Only the
 * binary units, so that nobody has to guess whether {@code 4MB} means 4,000,000 or 4,194,304 bytes.
 */
public final class ByteSizeConverter implements ITypeConverter<Integer> {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(b|kib|mib|gib)?");

    @Override
    public Integer convert(String value) {
        Matcher matcher = SIZE.matcher(value == null ? "" : value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new TypeConversionException(
                    "'" + value + "' is not a size; write bytes (65536) or 64KiB, 4MiB, 1GiB");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "b" : matcher.group(2);
        long bytes = amount
                << switch (unit) {
                    case "kib" -> 10;
                    case "mib" -> 20;
                    case "gib" -> 30;
                    default -> 0;
                };
        // Sizes end up in int APIs (gRPC's message limit, array lengths); 12 digits shifted by 30 still fits a long.
        if (bytes > Integer.MAX_VALUE) {
            throw new TypeConversionException("'" + value + "' is more than " + Integer.MAX_VALUE + " bytes");
        }
        return (int) bytes;
    }
}
