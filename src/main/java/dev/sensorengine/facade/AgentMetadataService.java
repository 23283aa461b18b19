package dev.sensorengine.facade;

import dev.sensorengine.flyteidl.admin.AgentOuterClass.Agent;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetAgentRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetAgentResponse;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.ListAgentsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.ListAgentsResponse;
import dev.sensorengine.flyteidl.service.AgentMetadataServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/** Discovery for propeller: one asynchronous agent serving the {@code sensor} task category. */
final class AgentMetadataService extends AgentMetadataServiceGrpc.AgentMetadataServiceImplBase {

    static final String AGENT_NAME = "Sensor Engine";

    static final Agent AGENT = Agent.newBuilder()
            .setName(AGENT_NAME)
            .setIsSync(false)
            .addSupportedTaskCategories(TaskCategories.CATEGORY)
            .addSupportedTaskTypes(TaskCategories.SENSOR)
            .build();

    @Override
    public void getAgent(GetAgentRequest request, StreamObserver<GetAgentResponse> response) {
        if (!AGENT_NAME.equals(request.getName())) {
            response.onError(Status.NOT_FOUND
                    .withDescription(
                            "no agent named '" + request.getName() + "'; this service has '" + AGENT_NAME + "'")
                    .asRuntimeException());
            return;
        }
        response.onNext(GetAgentResponse.newBuilder().setAgent(AGENT).build());
        response.onCompleted();
    }

    @Override
    public void listAgents(ListAgentsRequest request, StreamObserver<ListAgentsResponse> response) {
        response.onNext(ListAgentsResponse.newBuilder().addAgents(AGENT).build());
        response.onCompleted();
    }
}
