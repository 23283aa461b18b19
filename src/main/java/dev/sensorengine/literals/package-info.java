/**
 * Flyte literals to plain Java values and back ({@link dev.sensorengine.literals.LiteralConverter}), the JSON-safe
 * form in which they travel in workflow payloads, Structs as maps, and the measure of how deep a value nests.
 *
 * <p>May import: the generated flyteidl core messages, protobuf. Must not import: any other package of this project.
 */
package dev.sensorengine.literals;
