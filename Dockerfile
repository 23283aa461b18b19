# syntax=docker/dockerfile:1
# Build: the same `mvn package` as the README, in a JDK image.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY proto proto
COPY src src
RUN mvn -B -ntp -q -DskipTests package

# Run: a JRE and the one jar, as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 sensors && useradd --system --uid 10001 --gid sensors --home /app sensors
WORKDIR /app
COPY --from=build /src/target/sensor-engine.jar /app/sensor-engine.jar
USER 10001:10001
# 8000: flyteidl gRPC (health, reflection); 9090: Prometheus /metrics
EXPOSE 8000 9090
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-jar", "/app/sensor-engine.jar", "client", "--target", "localhost:8000", "health"]
ENTRYPOINT ["java", "-jar", "/app/sensor-engine.jar"]
CMD ["serve"]
