package dev.sensorengine.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/** Every figure of a run, the service/raw ratios and the targets they meet or miss; as Markdown and as JSON. */
final class Report {

    /** One measured run of create or get calls on one side. */
    record CallRow(String phase, String side, int round, Latencies.Summary summary) {}

    /** Service over raw for one phase and round. */
    record Ratio(String phase, int round, double throughputServiceOverRaw, double p99ServiceOverRaw) {}

    /** One target of the issue and whether this run meets it. */
    record Target(String name, String goal, String measured, boolean met) {}

    private final Instant date = Instant.now();
    private final Map<String, Object> machine;
    private final Map<String, Object> options;
    private final Duration interval;
    private final List<CallRow> calls = new ArrayList<>();
    private final List<CapacityPhase.Capacity> capacity = new ArrayList<>();
    private final List<CapacityPhase.Detection> detection = new ArrayList<>();
    private Optional<LoadPhase.Load> load = Optional.empty();

    Report(Map<String, Object> machine, Map<String, Object> options, Duration interval) {
        this.machine = machine;
        this.options = options;
        this.interval = interval;
    }

    void add(String phase, String side, int round, Latencies.Summary summary) {
        calls.add(new CallRow(phase, side, round, summary));
    }

    void add(CapacityPhase.Capacity figures) {
        capacity.add(figures);
    }

    void add(CapacityPhase.Detection figures) {
        detection.add(figures);
    }

    void add(LoadPhase.Load figures) {
        load = Optional.of(figures);
    }

    long errors() {
        return calls.stream().mapToLong(r -> r.summary().errors()).sum()
                + capacity.stream()
                        .mapToLong(CapacityPhase.Capacity::createErrors)
                        .sum()
                + detection.stream()
                        .mapToLong(d -> d.errors() + (d.sensors() - d.detected()))
                        .sum()
                + load.map(LoadPhase.Load::errors).orElse(0L);
    }

    List<Ratio> ratios() {
        List<Ratio> ratios = new ArrayList<>();
        for (CallRow service : calls) {
            if (!service.side().equals("service")) {
                continue;
            }
            calls.stream()
                    .filter(r ->
                            r.side().equals("raw") && r.phase().equals(service.phase()) && r.round() == service.round())
                    .findFirst()
                    .ifPresent(raw -> ratios.add(new Ratio(
                            service.phase(),
                            service.round(),
                            service.summary().perSecond() / raw.summary().perSecond(),
                            raw.summary().p99() == 0
                                    ? 0
                                    : service.summary().p99() / raw.summary().p99())));
        }
        return ratios;
    }

    /** The targets, each judged on the mean over rounds where there are several. */
    List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        mean("get", Ratio::p99ServiceOverRaw)
                .ifPresent(r -> targets.add(
                        new Target("get p99", "at most 1.25x raw describe", format("%.2fx", r), r <= 1.25)));
        mean("get", Ratio::throughputServiceOverRaw)
                .ifPresent(r -> targets.add(
                        new Target("get throughput", "at least 0.8x raw describe", format("%.2fx", r), r >= 0.8)));
        mean("create", Ratio::throughputServiceOverRaw)
                .ifPresent(r -> targets.add(
                        new Target("create throughput", "at least 0.8x raw start", format("%.2fx", r), r >= 0.8)));
        side(capacity, c -> c.side().equals("service")).ifPresent(service -> {
            side(capacity, c -> c.side().equals("raw"))
                    .filter(raw -> raw.cpuMillisPerPoke() > 0)
                    .ifPresent(raw -> {
                        double r = service.cpuMillisPerPoke() / raw.cpuMillisPerPoke();
                        targets.add(new Target("CPU per poke", "at most 1.2x raw", format("%.2fx", r), r <= 1.2));
                    });
            targets.add(new Target(
                    "live heap, " + service.sensors() + " sensors",
                    "under 1024 MiB",
                    service.liveHeapMib() + " MiB",
                    service.liveHeapMib() < 1024));
        });
        side(detection, d -> d.side().equals("service")).ifPresent(d -> {
            double goal = interval.toMillis() / 1000.0 + 2;
            targets.add(new Target(
                    "detection p99",
                    format("at most %.0f s (interval + 2 s)", goal),
                    format("%.1f s", d.p99()),
                    d.p99() <= goal));
        });
        targets.add(new Target("errors", "zero in every phase", Long.toString(errors()), errors() == 0));
        return targets;
    }

    private OptionalDouble mean(String phase, ToDoubleFunction<Ratio> figure) {
        return ratios().stream()
                .filter(r -> r.phase().equals(phase))
                .mapToDouble(figure)
                .average();
    }

    private static <T> Optional<T> side(List<T> rows, Predicate<T> which) {
        return rows.stream().filter(which).findFirst();
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        if (!calls.isEmpty()) {
            out.append("| phase | side | round | calls | errors | calls/s | p50 ms | p99 ms | p999 ms | max ms |\n");
            out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (CallRow row : calls) {
                Latencies.Summary s = row.summary();
                out.append(format(
                        "| %s | %s | %d | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f |%n",
                        row.phase(),
                        row.side(),
                        row.round(),
                        s.calls(),
                        s.errors(),
                        s.perSecond(),
                        s.p50(),
                        s.p99(),
                        s.p999(),
                        s.max()));
            }
            out.append(
                    "\n| phase | round | throughput service/raw | p99 service/raw |\n| --- | ---: | ---: | ---: |\n");
            for (Ratio r : ratios()) {
                out.append(format(
                        "| %s | %d | %.2f | %.2f |%n",
                        r.phase(), r.round(), r.throughputServiceOverRaw(), r.p99ServiceOverRaw()));
            }
        }
        if (!capacity.isEmpty()) {
            out.append(
                    "\n| capacity | sensors | CPU s/s | pokes/s | scheduled/s | CPU ms/poke | live heap MiB | RSS MiB |\n");
            out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (CapacityPhase.Capacity c : capacity) {
                out.append(format(
                        "| %s | %d | %.3f | %.1f | %.1f | %.3f | %d | %d |%n",
                        c.side(),
                        c.sensors(),
                        c.cpuSecondsPerSecond(),
                        c.pokesPerSecond(),
                        c.scheduledPokesPerSecond(),
                        c.cpuMillisPerPoke(),
                        c.liveHeapMib(),
                        c.rssMib()));
            }
        }
        if (!detection.isEmpty()) {
            out.append("\n| detection | sensors | detected | read errors | p50 s | p99 s | max s |\n");
            out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (CapacityPhase.Detection d : detection) {
                out.append(format(
                        "| %s | %d | %d | %d | %.1f | %.1f | %.1f |%n",
                        d.side(), d.sensors(), d.detected(), d.errors(), d.p50(), d.p99(), d.max()));
            }
        }
        load.ifPresent(l -> {
            out.append(format(
                    "%n| load (%.0f calls/s for %.0f s, achieved %.1f/s) | calls | errors | p50 ms | p99 ms | max ms |%n",
                    l.ratePerSecond(), l.seconds(), l.achievedPerSecond()));
            out.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
            for (var kind : List.of(
                    Map.entry("create", l.create()), Map.entry("get", l.get()), Map.entry("delete", l.delete()))) {
                Latencies.Summary s = kind.getValue();
                out.append(format(
                        "| %s | %d | %d | %.1f | %.1f | %.1f |%n",
                        kind.getKey(), s.calls(), s.errors(), s.p50(), s.p99(), s.max()));
            }
            out.append(format(
                    "%nlive heap %d -> %d MiB, RSS %d -> %d MiB%n",
                    l.heapBeforeMib(), l.heapAfterMib(), l.rssBeforeMib(), l.rssAfterMib()));
        });
        out.append("\n| target | goal | measured | met |\n| --- | --- | ---: | --- |\n");
        for (Target t : targets()) {
            out.append(format("| %s | %s | %s | %s |%n", t.name(), t.goal(), t.measured(), t.met() ? "yes" : "NO"));
        }
        return out.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", date.toString());
        json.put("machine", machine);
        json.put("options", options);
        json.put("results", calls);
        json.put("ratios", ratios());
        json.put("capacity", capacity);
        json.put("detection", detection);
        json.put("load", load.orElse(null));
        json.put("targets", targets());
        return json;
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
