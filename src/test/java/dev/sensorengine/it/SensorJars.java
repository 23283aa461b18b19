package dev.sensorengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorengine.sensors.Sensor;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;

/** Builds a sensor jar from source, against the SPI alone, as a team outside this project would. */
final class SensorJars {

    private SensorJars() {}

    /** Compiles {@code source} (one class named {@code className}) and packs it with its ServiceLoader entry. */
    static Path build(Path work, String className, String source) throws Exception {
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        String classFile = className.replace('.', '/') + ".class";
        Path sources = Files.createDirectories(work.resolve("src-" + simpleName));
        Path file = Files.writeString(sources.resolve(simpleName + ".java"), source);
        Path classes = Files.createDirectories(work.resolve("classes-" + simpleName));
        String spi = Path.of(Sensor.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        int status = ToolProvider.getSystemJavaCompiler()
                .run(null, null, null, "-d", classes.toString(), "-cp", spi, file.toString());
        assertThat(status).as("javac status").isZero();

        Path jar = work.resolve(simpleName + ".jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream entries = new JarOutputStream(out)) {
            entries.putNextEntry(new JarEntry(classFile));
            entries.write(Files.readAllBytes(classes.resolve(classFile)));
            entries.putNextEntry(new JarEntry("META-INF/services/dev.sensorengine.sensors.Sensor"));
            entries.write((className + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }
}
