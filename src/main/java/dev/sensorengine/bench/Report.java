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
import java.util.stream.Collectors;

/**
 * Every figure of a run, per side: the summary of the three sides, the ratios to raw Temporal, the targets each run
 * meets or misses; as Markdown and as JSON.
 */
final class Report {

    static final String SERVICE = "service";
    static final String RAW = "raw";
    static final String FLYTEKIT = "flytekit";

    /**
     * One measured run of create or get calls on one side.
     *
     * @param cpuSeconds CPU of the side's processes over the run (service: its API and Temporal; raw: Temporal;
     *     flytekit: its connector)
     * @param cpuMillisPerCall those together per call
     * @param operations requests the watched system served during the run (flytekit pokes in GetTask)
     */
    record CallRow(
            String phase,
            String side,
            int round,
            Latencies.Summary summary,
            Map<String, Double> cpuSeconds,
            double cpuMillisPerCall,
            long operations) {}

    /** Service over raw for one phase and round. */
    record Ratio(String phase, int round, double throughputServiceOverRaw, double p99ServiceOverRaw) {}

    /** The failed calls of one measured run, by kind (a status code, or an exception where there was none). */
    record FailureRow(String phase, String side, long errors, Map<String, Latencies.Failures> byKind) {}

    /** One target of the issues and whether this run meets it. */
    record Target(String name, String goal, String measured, boolean met) {}

    /**
     * One side over the whole run: create and get (means over rounds), CPU per call, resident memory and operations
     * on the watched system per sensor-hour at propeller's rhythm, by poke interval.
     */
    record SideSummary(
            String side,
            double createPerSecond,
            double createP50,
            double createP99,
            double createP999,
            double getPerSecond,
            double getP50,
            double getP99,
            double getP999,
            double cpuMillisPerCreate,
            double cpuMillisPerGet,
            Map<String, Long> rssMib,
            Map<String, Double> operationsPerSensorHour,
            long errors) {}

    private final Instant date = Instant.now();
    private final Map<String, Object> machine;
    private final Map<String, Object> options;
    private final Map<String, Object> deployment;
    private final Duration interval;
    private final Duration period;
    private final List<CallRow> calls = new ArrayList<>();
    private final List<CapacityPhase.Capacity> capacity = new ArrayList<>();
    private final List<CapacityPhase.Detection> detection = new ArrayList<>();
    private Optional<LoadPhase.Load> load = Optional.empty();
    private final List<CostPhase.Cost> cost = new ArrayList<>();
    private final List<PropellerPhase.Run> propeller = new ArrayList<>();
    private Optional<EventsPhase.Events> events = Optional.empty();
    private final Map<String, Long> rssAtEnd = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    Report(
            Map<String, Object> machine,
            Map<String, Object> options,
            Map<String, Object> deployment,
            Duration interval,
            Duration period) {
        this.machine = machine;
        this.options = options;
        this.deployment = deployment;
        this.interval = interval;
        this.period = period;
    }

    void add(CallRow row) {
        calls.add(row);
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

    void add(CostPhase.Cost figures) {
        cost.add(figures);
    }

    void add(PropellerPhase.Run figures) {
        propeller.add(figures);
    }

    void add(EventsPhase.Events figures) {
        events = Optional.of(figures);
    }

    /** A phase or side that did not run, and why; printed under the tables. */
    void note(String note) {
        notes.add(note);
    }

    void rssAtEnd(String process, long mib) {
        rssAtEnd.put(process, mib);
    }

    /** Failed calls of one side in every phase, and sensors it did not see succeed in detection. */
    long errors(String side) {
        long errors = calls.stream()
                        .filter(r -> r.side().equals(side))
                        .mapToLong(r -> r.summary().errors())
                        .sum()
                + capacity.stream()
                        .filter(c -> c.side().equals(side))
                        .mapToLong(CapacityPhase.Capacity::createErrors)
                        .sum()
                + detection.stream()
                        .filter(d -> d.side().equals(side))
                        .mapToLong(d -> d.errors() + (d.sensors() - d.detected()))
                        .sum()
                + propeller.stream()
                        .filter(p -> p.side().equals(side))
                        .mapToLong(p -> p.createErrors() + p.get().errors())
                        .sum();
        if (side.equals(SERVICE)) {
            errors += load.map(LoadPhase.Load::errors).orElse(0L)
                    + cost.stream().mapToLong(c -> c.service().errors()).sum()
                    + events.map(e -> e.detection().errors() + e.refusedEvents())
                            .orElse(0L);
        }
        if (side.equals(RAW)) {
            errors += cost.stream().mapToLong(c -> c.raw().errors()).sum();
        }
        return errors;
    }

    List<Ratio> ratios() {
        List<Ratio> ratios = new ArrayList<>();
        for (CallRow service : calls) {
            if (!service.side().equals(SERVICE)) {
                continue;
            }
            calls.stream()
                    .filter(r ->
                            r.side().equals(RAW) && r.phase().equals(service.phase()) && r.round() == service.round())
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

    List<SideSummary> sides() {
        List<SideSummary> sides = new ArrayList<>();
        for (String side : List.of(SERVICE, RAW, FLYTEKIT)) {
            List<CallRow> creates = rows(side, "create");
            List<CallRow> gets = rows(side, "get");
            List<PropellerPhase.Run> runs =
                    propeller.stream().filter(p -> p.side().equals(side)).toList();
            if (creates.isEmpty() && gets.isEmpty() && runs.isEmpty()) {
                continue;
            }
            Map<String, Double> operations = new LinkedHashMap<>();
            runs.forEach(r -> operations.put(
                    r.interval() == null ? "each GetTask" : "poke every " + r.interval(), r.operationsPerSensorHour()));
            Map<String, Long> rss = runs.isEmpty() ? rssOf(side) : runs.get(0).rssAfterMib();
            sides.add(new SideSummary(
                    side,
                    mean(creates, r -> r.summary().perSecond()),
                    mean(creates, r -> r.summary().p50()),
                    mean(creates, r -> r.summary().p99()),
                    mean(creates, r -> r.summary().p999()),
                    mean(gets, r -> r.summary().perSecond()),
                    mean(gets, r -> r.summary().p50()),
                    mean(gets, r -> r.summary().p99()),
                    mean(gets, r -> r.summary().p999()),
                    mean(creates, CallRow::cpuMillisPerCall),
                    mean(gets, CallRow::cpuMillisPerCall),
                    rss,
                    operations,
                    errors(side)));
        }
        return sides;
    }

    private Map<String, Long> rssOf(String side) {
        Map<String, Long> rss = new LinkedHashMap<>();
        rssAtEnd.forEach((process, mib) -> {
            boolean mine = switch (side) {
                case SERVICE -> !process.equals(FLYTEKIT);
                case RAW -> process.startsWith("temporal") || process.startsWith("bench");
                default -> process.equals(FLYTEKIT);
            };
            if (mine) {
                rss.put(process, mib);
            }
        });
        return rss;
    }

    private List<CallRow> rows(String side, String phase) {
        return calls.stream()
                .filter(r -> r.side().equals(side) && r.phase().equals(phase))
                .toList();
    }

    private static double mean(List<CallRow> rows, ToDoubleFunction<CallRow> figure) {
        return rows.stream().mapToDouble(figure).average().orElse(Double.NaN);
    }

    /** The issues' targets, each judged on the mean over rounds where there are several. */
    List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        meanRatio("get", Ratio::p99ServiceOverRaw)
                .ifPresent(r -> targets.add(
                        new Target("get p99", "at most 1.25x raw describe", format("%.2fx", r), r <= 1.25)));
        meanRatio("get", Ratio::throughputServiceOverRaw)
                .ifPresent(r -> targets.add(
                        new Target("get throughput", "at least 0.8x raw describe", format("%.2fx", r), r >= 0.8)));
        meanRatio("create", Ratio::throughputServiceOverRaw)
                .ifPresent(r -> targets.add(
                        new Target("create throughput", "at least 0.8x raw start", format("%.2fx", r), r >= 0.8)));
        first(capacity, c -> c.side().equals(SERVICE)).ifPresent(service -> {
            first(capacity, c -> c.side().equals(RAW))
                    .filter(raw -> raw.cpuMillisPerPoke() > 0)
                    .ifPresent(raw -> {
                        double r = service.cpuMillisPerPoke() / raw.cpuMillisPerPoke();
                        targets.add(new Target("CPU per poke", "at most 1.2x raw", format("%.2fx", r), r <= 1.2));
                    });
            if (service.liveHeapMib() >= 0) {
                targets.add(new Target(
                        "live heap of the worker, " + service.sensors() + " sensors",
                        "under 1024 MiB",
                        service.liveHeapMib() + " MiB",
                        service.liveHeapMib() < 1024));
            }
        });
        first(capacity, c -> c.side().equals(SERVICE))
                .ifPresent(c -> targets.add(new Target(
                        "pokes on schedule, " + c.sensors() + " sensors every " + BenchCommand.text(interval),
                        "at least 0.9x the scheduled rate (Temporal keeps up)",
                        format("%.1f of %.1f/s", c.pokesPerSecond(), c.scheduledPokesPerSecond()),
                        c.pokesPerSecond() >= 0.9 * c.scheduledPokesPerSecond())));
        first(detection, d -> d.side().equals(SERVICE)).ifPresent(d -> {
            double goal = interval.toMillis() / 1000.0 + 2;
            targets.add(new Target(
                    "detection p99",
                    format("at most %.0f s (interval + 2 s)", goal),
                    format("%.1f s", d.p99()),
                    d.p99() <= goal));
        });
        propellerTargets(targets);
        for (CostPhase.Cost c : cost) {
            double goal = c.call().equals("GetTask") ? 1.0 : 0.8;
            targets.add(new Target(
                    "cost: service CPU per " + c.call(),
                    format("at most %.1fx Temporal's CPU per %s", goal, c.rawCall()),
                    format(
                            "%.2fx (%.3f / %.3f ms)",
                            c.ratio(), c.serviceCpuMillisPerCall(), c.temporalCpuMillisPerCall()),
                    c.ratio() <= goal));
        }
        events.ifPresent(e -> {
            targets.add(new Target(
                    "events: detection p99",
                    "at most 2 s from the event to GetTask SUCCEEDED",
                    format("%.2f s", e.detection().p99() / 1000),
                    e.detection().p99() <= 2000));
            targets.add(new Target(
                    "events: pokes per detection",
                    "one",
                    format("%.2f", e.pokesPerDetection()),
                    e.pokesPerDetection() <= 1.0));
            targets.add(new Target(
                    "events: sensors missed",
                    "none",
                    Long.toString(e.detection().errors()),
                    e.detection().errors() == 0));
        });
        long serviceErrors = errors(SERVICE);
        targets.add(new Target(
                "errors, service side", "zero in every phase", Long.toString(serviceErrors), serviceErrors == 0));
        return targets;
    }

    /** Issue 12's goals against flytekit's connector, from the propeller phase. */
    private void propellerTargets(List<Target> targets) {
        propeller.stream()
                .filter(p -> p.side().equals(SERVICE) && p.interval() != null)
                .forEach(ours -> {
                    double scheduled =
                            3_600_000.0 / BenchCommand.duration(ours.interval()).toMillis();
                    targets.add(new Target(
                            "pokes on schedule at propeller's rhythm, poke every " + ours.interval(),
                            "at least 0.9x the scheduled rate (Temporal keeps up)",
                            format("%.2f of %.2f per sensor-hour", ours.operationsPerSensorHour(), scheduled),
                            ours.operationsPerSensorHour() >= 0.9 * scheduled));
                });
        Optional<PropellerPhase.Run> flytekit = first(propeller, p -> p.side().equals(FLYTEKIT));
        if (flytekit.isEmpty()) {
            return;
        }
        double theirs = flytekit.get().operationsPerSensorHour();
        String samePeriod = BenchCommand.text(period);
        first(propeller, p -> p.side().equals(SERVICE) && samePeriod.equals(p.interval()))
                .ifPresent(ours -> targets.add(new Target(
                        "watched-system operations per sensor-hour, poke every " + samePeriod,
                        format("at most flytekit's (%.2f)", theirs),
                        format("%.2f", ours.operationsPerSensorHour()),
                        ours.operationsPerSensorHour() <= theirs)));
        propeller.stream()
                .filter(p -> p.side().equals(SERVICE) && p.interval() != null && !samePeriod.equals(p.interval()))
                .filter(p -> BenchCommand.duration(p.interval()).compareTo(period.multipliedBy(10)) >= 0)
                .forEach(ours -> targets.add(new Target(
                        "watched-system operations per sensor-hour, poke every " + ours.interval(),
                        format("at least 10x fewer than flytekit's (%.2f)", theirs),
                        format(
                                "%.2f (%.2fx fewer)",
                                ours.operationsPerSensorHour(), theirs / ours.operationsPerSensorHour()),
                        ours.operationsPerSensorHour() * 10 <= theirs)));
        first(propeller, p -> p.side().equals(SERVICE))
                .ifPresent(ours -> targets.add(new Target(
                        format("GetTask p99 at %.0f calls/s (sensors / %s)", ours.callsPerSecond(), samePeriod),
                        format(
                                "at most flytekit's (%.1f ms)",
                                flytekit.get().get().p99()),
                        format("%.1f ms", ours.get().p99()),
                        ours.get().p99() <= flytekit.get().get().p99())));
    }

    private OptionalDouble meanRatio(String phase, ToDoubleFunction<Ratio> figure) {
        return ratios().stream()
                .filter(r -> r.phase().equals(phase))
                .mapToDouble(figure)
                .average();
    }

    private static <T> Optional<T> first(List<T> rows, Predicate<T> which) {
        return rows.stream().filter(which).findFirst();
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("Shape: ").append(deployment.get("shape")).append("\n");
        List<SideSummary> sides = sides();
        if (!sides.isEmpty()) {
            out.append("\n| side | create/s | create p50/p99/p999 ms | get/s | get p50/p99/p999 ms "
                    + "| CPU ms/create | CPU ms/get | RSS MiB | watched-system ops per sensor-hour | errors |\n");
            out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |\n");
            for (SideSummary s : sides) {
                out.append(format(
                        "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |%n",
                        s.side(),
                        number(s.createPerSecond(), "%.0f"),
                        triple(s.createP50(), s.createP99(), s.createP999()),
                        number(s.getPerSecond(), "%.0f"),
                        triple(s.getP50(), s.getP99(), s.getP999()),
                        number(s.cpuMillisPerCreate(), "%.3f"),
                        number(s.cpuMillisPerGet(), "%.3f"),
                        s.rssMib().isEmpty()
                                ? "–"
                                : s.rssMib().entrySet().stream()
                                        .map(e -> e.getKey() + " " + e.getValue())
                                        .collect(Collectors.joining(", ")),
                        s.operationsPerSensorHour().isEmpty()
                                ? "–"
                                : s.operationsPerSensorHour().entrySet().stream()
                                        .map(e -> format("%.2f (%s)", e.getValue(), e.getKey()))
                                        .collect(Collectors.joining(", ")),
                        s.errors()));
            }
        }
        if (!calls.isEmpty()) {
            out.append("\n| phase | side | round | calls | errors | calls/s | p50 ms | p99 ms | p999 ms | max ms "
                    + "| CPU ms/call | CPU cores by process |\n");
            out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
            for (CallRow row : calls) {
                Latencies.Summary s = row.summary();
                out.append(format(
                        "| %s | %s | %d | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %s | %s |%n",
                        row.phase(),
                        row.side(),
                        row.round(),
                        s.calls(),
                        s.errors(),
                        s.perSecond(),
                        s.p50(),
                        s.p99(),
                        s.p999(),
                        s.max(),
                        number(row.cpuMillisPerCall(), "%.3f"),
                        byProcess(cores(row), "%.2f")));
            }
            List<Ratio> ratios = ratios();
            if (!ratios.isEmpty()) {
                out.append("\n| phase | round | throughput service/raw | p99 service/raw |\n"
                        + "| --- | ---: | ---: | ---: |\n");
                for (Ratio r : ratios) {
                    out.append(format(
                            "| %s | %d | %.2f | %.2f |%n",
                            r.phase(), r.round(), r.throughputServiceOverRaw(), r.p99ServiceOverRaw()));
                }
            }
        }
        if (!propeller.isEmpty()) {
            out.append("\n| propeller's rhythm | poke interval | sensors | GetTask/s asked | sent | p50 ms | p99 ms "
                    + "| p999 ms | errors | ops | ops per sensor-hour | CPU cores | CPU ms/GetTask (all its work) "
                    + "| RSS MiB before → after "
                    + "| RSS KiB per GetTask |\n");
            out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
                    + "| --- | ---: |\n");
            for (PropellerPhase.Run r : propeller) {
                out.append(format(
                        "| %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %d | %.2f | %s | %s | %s | %.2f |%n",
                        r.side(),
                        r.interval() == null ? "each GetTask" : r.interval(),
                        r.sensors(),
                        r.callsPerSecond(),
                        r.achievedPerSecond(),
                        r.get().p50(),
                        r.get().p99(),
                        r.get().p999(),
                        r.createErrors() + r.get().errors(),
                        r.operations(),
                        r.operationsPerSensorHour(),
                        number(r.cpuCores(), "%.3f"),
                        number(r.cpuMillisPerGetTask(), "%.3f"),
                        r.rssBeforeKib().keySet().stream()
                                .map(p -> p + " " + r.rssBeforeKib().get(p) / 1024 + " → "
                                        + r.rssAfterKib().get(p) / 1024)
                                .collect(Collectors.joining(", ")),
                        r.rssGrowthKibPerGetTask()));
            }
        }
        if (!cost.isEmpty()) {
            out.append("\n| cost | calls | calls/s | p50 ms | p99 ms | p999 ms | service CPU ms/call "
                    + "| Temporal CPU ms/call | service/Temporal | raw call | raw calls/s | raw p99 ms "
                    + "| Temporal CPU ms/raw call |\n");
            out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |\n");
            for (CostPhase.Cost c : cost) {
                out.append(format(
                        "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.3f | %.3f | %.2f | %s | %.0f | %.1f | %.3f |%n",
                        c.call(),
                        c.service().calls(),
                        c.service().perSecond(),
                        c.service().p50(),
                        c.service().p99(),
                        c.service().p999(),
                        c.serviceCpuMillisPerCall(),
                        c.temporalCpuMillisPerCall(),
                        c.ratio(),
                        c.rawCall(),
                        c.raw().perSecond(),
                        c.raw().p99(),
                        c.temporalCpuMillisPerRawCall()));
            }
        }
        events.ifPresent(e -> {
            out.append("\n| events | waiting sensors | events | detected | missed | events/s | p50 s | p99 s | max s "
                    + "| pokes per detection | push answer p99 ms | events refused |\n");
            out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            out.append(format(
                    "| service | %d | %d | %d | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.1f | %d |%n",
                    e.sensors(),
                    e.events(),
                    e.detection().calls(),
                    e.detection().errors(),
                    e.detection().perSecond(),
                    e.detection().p50() / 1000,
                    e.detection().p99() / 1000,
                    e.detection().max() / 1000,
                    e.pokesPerDetection(),
                    e.postP99Millis(),
                    e.refusedEvents()));
        });
        if (!capacity.isEmpty()) {
            out.append(
                    "\n| capacity | sensors | CPU s/s | pokes/s | scheduled/s | CPU ms/poke | CPU ms/poke by process "
                            + "| worker live heap MiB | RSS MiB |\n");
            out.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |\n");
            for (CapacityPhase.Capacity c : capacity) {
                out.append(format(
                        "| %s | %d | %.3f | %.1f | %.1f | %.3f | %s | %d | %s |%n",
                        c.side(),
                        c.sensors(),
                        c.cpuSecondsPerSecond(),
                        c.pokesPerSecond(),
                        c.scheduledPokesPerSecond(),
                        c.cpuMillisPerPoke(),
                        byProcess(c.cpuMillisPerPokeByProcess(), "%.3f"),
                        c.liveHeapMib(),
                        byProcess(c.rssMib())));
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
                    "%nlive heap of the API %d -> %d MiB, RSS %s -> %s MiB%n",
                    l.heapBeforeMib(), l.heapAfterMib(), byProcess(l.rssBeforeMib()), byProcess(l.rssAfterMib())));
        });
        List<FailureRow> failures = failures();
        if (!failures.isEmpty()) {
            out.append("\n| failures | side | failed | by kind (the first message of each) |\n");
            out.append("| --- | --- | ---: | --- |\n");
            for (FailureRow f : failures) {
                out.append(format(
                        "| %s | %s | %d | %s |%n",
                        f.phase(),
                        f.side(),
                        f.errors(),
                        Latencies.text(f.byKind()).replace("|", "\\|")));
            }
        }
        out.append("\n| target | goal | measured | met |\n| --- | --- | ---: | --- |\n");
        for (Target t : targets()) {
            out.append(format("| %s | %s | %s | %s |%n", t.name(), t.goal(), t.measured(), t.met() ? "yes" : "NO"));
        }
        for (String note : notes) {
            out.append("\nNote: ").append(note).append("\n");
        }
        return out.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", date.toString());
        json.put("machine", machine);
        json.put("options", options);
        json.put("deployment", deployment);
        json.put("sides", sides());
        json.put("results", calls);
        json.put("ratios", ratios());
        json.put("propeller", propeller.stream().map(Report::propellerJson).toList());
        json.put("cost", cost);
        json.put("events", events.orElse(null));
        json.put("capacity", capacity);
        json.put("detection", detection);
        json.put("load", load.orElse(null));
        json.put("rss_at_end_mib", rssAtEnd);
        json.put("failures", failures());
        json.put("targets", targets());
        json.put("notes", notes);
        return json;
    }

    /** Every measured run that had failed calls, with their kinds; sensors not created show in the stderr log. */
    List<FailureRow> failures() {
        List<FailureRow> rows = new ArrayList<>();
        for (CallRow row : calls) {
            add(rows, row.phase() + " round " + row.round(), row.side(), row.summary());
        }
        for (PropellerPhase.Run run : propeller) {
            add(rows, "propeller " + (run.interval() == null ? "" : run.interval()), run.side(), run.get());
        }
        for (CostPhase.Cost c : cost) {
            add(rows, "cost " + c.call(), SERVICE, c.service());
            add(rows, "cost " + c.rawCall(), RAW, c.raw());
        }
        for (CapacityPhase.Detection d : detection) {
            if (d.errors() > 0) {
                rows.add(new FailureRow("detection reads", d.side(), d.errors(), d.failures()));
            }
        }
        load.ifPresent(l -> {
            add(rows, "load create", SERVICE, l.create());
            add(rows, "load get", SERVICE, l.get());
            add(rows, "load delete", SERVICE, l.delete());
        });
        events.ifPresent(e -> add(rows, "events", SERVICE, e.detection()));
        return rows;
    }

    private static void add(List<FailureRow> rows, String phase, String side, Latencies.Summary summary) {
        if (summary.errors() > 0) {
            rows.add(new FailureRow(phase.strip(), side, summary.errors(), summary.failures()));
        }
    }

    private static Map<String, Object> propellerJson(PropellerPhase.Run run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run", run);
        json.put("rss_growth_kib_per_get_task", run.rssGrowthKibPerGetTask());
        return json;
    }

    /** CPU seconds per second of the run, per process: how busy each process was. */
    private static Map<String, Double> cores(CallRow row) {
        double seconds = row.summary().perSecond() == 0
                ? 0
                : row.summary().calls() / row.summary().perSecond();
        Map<String, Double> cores = new LinkedHashMap<>();
        row.cpuSeconds().forEach((process, cpu) -> cores.put(process, seconds == 0 ? Double.NaN : cpu / seconds));
        return cores;
    }

    private static String triple(double p50, double p99, double p999) {
        return Double.isNaN(p50) ? "–" : format("%.1f / %.1f / %.1f", p50, p99, p999);
    }

    private static String number(double value, String pattern) {
        return Double.isNaN(value) ? "–" : format(pattern, value);
    }

    private static String byProcess(Map<String, Double> figures, String pattern) {
        return figures.isEmpty()
                ? "–"
                : figures.entrySet().stream()
                        .map(e -> e.getKey() + " " + number(e.getValue(), pattern))
                        .collect(Collectors.joining(", "));
    }

    private static String byProcess(Map<String, Long> figures) {
        return figures.isEmpty()
                ? "–"
                : figures.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "));
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
