package dev.sensorengine.facade;

import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Routing: this connector serves the task category {@code sensor}, version 0. Propeller names the category in
 * {@code task_category}; older propellers send only the deprecated {@code task_type}, which must route as well.
 */
final class TaskCategories {

    static final String SENSOR = "sensor";
    static final int VERSION = 0;
    static final TaskCategory CATEGORY =
            TaskCategory.newBuilder().setName(SENSOR).setVersion(VERSION).build();

    private TaskCategories() {}

    /** @throws io.grpc.StatusRuntimeException NOT_FOUND for a category this connector does not serve */
    static void requireSensor(boolean hasCategory, TaskCategory category, String deprecatedTaskType) {
        if (hasCategory && !category.getName().isEmpty()) {
            if (!SENSOR.equals(category.getName()) || category.getVersion() != VERSION) {
                throw notServed(category.getName() + " v" + category.getVersion());
            }
            return;
        }
        if (!SENSOR.equals(deprecatedTaskType)) {
            throw deprecatedTaskType.isEmpty()
                    ? Status.INVALID_ARGUMENT
                            .withDescription("the request names no task category; set task_category "
                                    + "to {name: \"sensor\", version: 0}")
                            .asRuntimeException()
                    : notServed(deprecatedTaskType);
        }
    }

    static StatusRuntimeException notServed(String what) {
        return Status.NOT_FOUND
                .withDescription("no connector here serves task category '" + what + "'; this one serves '" + SENSOR
                        + "' v" + VERSION)
                .asRuntimeException();
    }
}
