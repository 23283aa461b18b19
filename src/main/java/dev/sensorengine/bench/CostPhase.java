package dev.sensorengine.bench;

import dev.sensorengine.bench.BenchSide.BenchSensor;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * What one call costs each process (issue 17): N CreateTask calls, then M GetTask calls over those sensors, sent to
 * the service's API in a process of its own ({@code serve --role api}: no worker, so no pokes) with Temporal in
 * another; the CPU of both processes is read from {@code /proc} before and after each run of calls. Then the same
 * numbers of starts and describes go to Temporal directly, for Temporal's cost of each without the service.
 */
final class CostPhase {

    private final WatchedServer watched;
    private final String group;
    private final int concurrency;
    private final MeasuredProcess api;
    private final MeasuredProcess temporal;

    CostPhase(WatchedServer watched, String group, int concurrency, MeasuredProcess api, MeasuredProcess temporal) {
        this.watched = watched;
        this.group = group;
        this.concurrency = concurrency;
        this.api = api;
        this.temporal = temporal;
    }

    /**
     * One kind of call, through the service and raw.
     *
     * @param call {@code CreateTask} or {@code GetTask}
     * @param rawCall the Temporal call it makes: {@code start} or {@code describe}
     * @param service calls/s and latencies through the service
     * @param serviceCpuMillisPerCall CPU of the service's process per call
     * @param temporalCpuMillisPerCall CPU of Temporal's process per call made through the service
     * @param ratio the service's CPU over Temporal's, per call
     * @param raw calls/s and latencies of the same Temporal call sent directly
     * @param temporalCpuMillisPerRawCall CPU of Temporal's process per call sent directly
     */
    record Cost(
            String call,
            String rawCall,
            Latencies.Summary service,
            double serviceCpuMillisPerCall,
            double temporalCpuMillisPerCall,
            double ratio,
            Latencies.Summary raw,
            double temporalCpuMillisPerRawCall) {}

    List<Cost> run(BenchSide service, BenchSide raw, int creates, int gets) throws InterruptedException {
        BenchSensor[] made = new BenchSensor[creates];
        Measured serviceCreate = measure(
                "cost: CreateTask",
                creates,
                List.of(api, temporal),
                i -> made[i] = service.create(group, i, watched.url(group, "s" + i)));
        Measured serviceGet =
                measure("cost: GetTask", gets, List.of(api, temporal), i -> service.observe(made[i % creates]));
        BenchSensor[] started = new BenchSensor[creates];
        Measured rawStart = measure(
                "cost: start",
                creates,
                List.of(temporal),
                i -> started[i] = raw.create(group, i, watched.url(group, "r" + i)));
        Measured rawDescribe =
                measure("cost: describe", gets, List.of(temporal), i -> raw.observe(started[i % creates]));
        clear(service, made);
        clear(raw, started);
        return List.of(
                cost("CreateTask", "start", serviceCreate, rawStart),
                cost("GetTask", "describe", serviceGet, rawDescribe));
    }

    private Cost cost(String call, String rawCall, Measured service, Measured raw) {
        long calls = service.summary().calls();
        double serviceCpu = service.cpu().millisPer(api.name(), calls);
        double temporalCpu = service.cpu().millisPer(temporal.name(), calls);
        return new Cost(
                call,
                rawCall,
                service.summary(),
                serviceCpu,
                temporalCpu,
                temporalCpu > 0 ? serviceCpu / temporalCpu : Double.NaN,
                raw.summary(),
                raw.cpu().millisPer(temporal.name(), raw.summary().calls()));
    }

    private record Measured(Latencies.Summary summary, Cpu cpu) {}

    private Measured measure(String phase, int calls, List<MeasuredProcess> processes, IntConsumer call)
            throws InterruptedException {
        Cpu.Meter meter = Cpu.start(processes);
        Latencies.Summary summary = Workload.run(phase, calls, concurrency, call);
        return new Measured(summary, meter.stop());
    }

    private void clear(BenchSide side, BenchSensor[] sensors) throws InterruptedException {
        Workload.discard("clear " + side.name(), side, sensors, concurrency);
    }
}
