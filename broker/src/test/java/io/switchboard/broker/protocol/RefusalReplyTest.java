package io.switchboard.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.property.Properties;
import org.junit.jupiter.api.Test;

/** What a refusal sends, as a rule without a socket ([MQTT-4.13.1-1]). */
class RefusalReplyTest {
    private static final Properties WHY = Properties.builder().reasonString("why").build();

    @Test
    void beforeConnack50IsARefusingConnackWithItsReasonString() {
        var r = (ConnackPacket) RefusalReply.of(MqttVersion.V5, true, ReasonCode.NOT_AUTHORIZED, WHY);
        assertThat(r.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThat(r.sessionPresent()).isFalse();
        assertThat(r.properties().reasonString()).isEqualTo("why");
    }

    @Test
    void beforeConnack311OnlyTheReturnCodesThatExist() {
        assertThat(((ConnackPacket) RefusalReply.of(MqttVersion.V3_1_1, true, ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                Properties.EMPTY)).reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(RefusalReply.of(MqttVersion.V3_1_1, true, ReasonCode.PROTOCOL_ERROR, Properties.EMPTY)).isNull();
    }

    @Test
    void afterConnack50IsADisconnectAnd311JustCloses() {
        var d = (DisconnectPacket) RefusalReply.of(MqttVersion.V5, false, ReasonCode.KEEP_ALIVE_TIMEOUT, WHY);
        assertThat(d.reasonCode()).isEqualTo(ReasonCode.KEEP_ALIVE_TIMEOUT);
        // A code DISCONNECT cannot carry becomes 0x80.
        assertThat(((DisconnectPacket) RefusalReply.of(MqttVersion.V5, false, ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                WHY)).reasonCode()).isEqualTo(ReasonCode.UNSPECIFIED_ERROR);
        assertThat(RefusalReply.of(MqttVersion.V3_1_1, false, ReasonCode.KEEP_ALIVE_TIMEOUT, Properties.EMPTY))
                .isNull();
    }

    @Test
    void beforeTheVersionIsKnownNothingIsSent() {
        assertThat(RefusalReply.of(null, true, ReasonCode.MALFORMED_PACKET, Properties.EMPTY)).isNull();
    }
}
