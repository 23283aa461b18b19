"""Prometheus metrics of the pokes, named as the Java worker's are, so one dashboard shows both.

``sensor_pokes_total{sensor,result}`` and ``sensor_poke_latency_seconds{sensor}`` (Java: Micrometer's
``sensor.pokes`` counter and ``sensor.poke.latency`` timer). The sensor label is bounded: a name becomes a
label only once a sensor of that name was built (so a stream of tasks naming sensors that do not exist counts
under ``other``), and at most ``max_sensors`` names get one.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

OTHER = "other"
RESULTS = ("ready", "not_ready", "error", "configuration_error")
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class PokeMetrics:
    def __init__(self, registry: CollectorRegistry, max_sensors: int = 200) -> None:
        self.registry = registry
        self._max_sensors = max_sensors
        self._sensors: set[str] = set()
        self._pokes = Counter("sensor_pokes", "Pokes by sensor and result.", ["sensor", "result"], registry=registry)
        self._latency = Histogram(
            "sensor_poke_latency_seconds", "Time of one poke.", ["sensor"], buckets=_BUCKETS, registry=registry
        )
        self._in_flight = Gauge("sensor_pokes_in_flight", "Pokes running now.", registry=registry)
        self._threads_busy = Gauge(
            "sensor_poke_threads_busy",
            "Poke threads in use, including those held by pokes that overran their time limit.",
            registry=registry,
        )

    def watch_threads(self, busy: Callable[[], int]) -> None:
        self._threads_busy.set_function(lambda: float(busy()))

    def started(self) -> None:
        self._in_flight.inc()

    def abandoned(self) -> None:
        self._in_flight.dec()

    def finished(self, sensor: str, result: str, seconds: float) -> None:
        self._in_flight.dec()
        label = self.label(sensor, built=result != "configuration_error")
        self._pokes.labels(sensor=label, result=result).inc()
        self._latency.labels(sensor=label).observe(seconds)

    def label(self, sensor: str, *, built: bool) -> str:
        if sensor in self._sensors:
            return sensor
        if built and len(self._sensors) < self._max_sensors:
            self._sensors.add(sensor)
            return sensor
        return OTHER

    def serve(self, port: int, address: str = "0.0.0.0") -> int:
        """Serves /metrics on ``port`` (0 picks a free one) in a daemon thread; returns the port."""
        server, _ = start_http_server(port, addr=address, registry=self.registry)
        return int(server.server_port)
