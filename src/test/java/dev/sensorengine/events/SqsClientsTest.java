package dev.sensorengine.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** An AWS queue URL is enough to know its region. */
class SqsClientsTest {

    @Test
    void theRegionOfAnAwsQueueUrl() {
        assertThat(SqsClients.fromUrl("https://sqs.eu-west-1.amazonaws.com/111122223333/uploads"))
                .contains(Region.EU_WEST_1);
        assertThat(SqsClients.fromUrl("https://sqs.cn-north-1.amazonaws.com.cn/111122223333/uploads"))
                .contains(Region.CN_NORTH_1);
        assertThat(SqsClients.fromUrl("http://127.0.0.1:5000/123456789012/uploads"))
                .isEmpty();
        assertThat(SqsClients.fromUrl("not a url")).isEmpty();
    }
}
