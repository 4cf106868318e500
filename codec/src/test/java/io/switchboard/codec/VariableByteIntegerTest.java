package io.switchboard.codec;

import static io.switchboard.codec.Wire.bytes;
import static io.switchboard.codec.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.switchboard.codec.wire.VariableByteInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Section 1.5.5 Variable Byte Integer, at the boundaries of each encoded size (table 1-1). */
class VariableByteIntegerTest {

    static Stream<Arguments> boundaries() {
        return Stream.of(
                Arguments.of(0, bytes(0x00)),
                Arguments.of(127, bytes(0x7F)),
                Arguments.of(128, bytes(0x80, 0x01)),
                Arguments.of(16_383, bytes(0xFF, 0x7F)),
                Arguments.of(16_384, bytes(0x80, 0x80, 0x01)),
                Arguments.of(2_097_151, bytes(0xFF, 0xFF, 0x7F)),
                Arguments.of(2_097_152, bytes(0x80, 0x80, 0x80, 0x01)),
                Arguments.of(268_435_455, bytes(0xFF, 0xFF, 0xFF, 0x7F)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boundaries")
    void writesBoundaryValueInItsShortestForm(int value, byte[] expected) {
        ByteBuf buf = Unpooled.buffer();
        VariableByteInteger.write(buf, value);
        assertThat(hex(ByteBufUtil.getBytes(buf))).isEqualTo(hex(expected));
        assertThat(VariableByteInteger.size(value)).isEqualTo(expected.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boundaries")
    void readsBoundaryValueAndConsumesExactlyItsBytes(int value, byte[] encoded) {
        ByteBuf buf = Unpooled.wrappedBuffer(encoded, new byte[] {0x55});
        assertThat(VariableByteInteger.read(buf, "test")).isEqualTo(value);
        assertThat(buf.readerIndex()).isEqualTo(encoded.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boundaries")
    void tryReadReturnsIncompleteAndRewindsOnEveryTruncation(int value, byte[] encoded) {
        for (int n = 0; n < encoded.length; n++) {
            ByteBuf buf = Unpooled.wrappedBuffer(encoded, 0, n);
            assertThat(VariableByteInteger.tryRead(buf, "test")).as("first %d bytes", n)
                    .isEqualTo(VariableByteInteger.INCOMPLETE);
            assertThat(buf.readerIndex()).isZero();
        }
    }

    @Test
    void readOfTruncatedIntegerIsMalformed() {
        MqttDecodeException e = catchThrowableOfType(MqttDecodeException.class,
                () -> VariableByteInteger.read(Unpooled.wrappedBuffer(bytes(0x80)), "test"));
        Wire.assertRejected(e, ReasonCode.MALFORMED_PACKET, "truncated");
    }

    @Test
    @DisplayName("[MQTT-1.5.5-1] a fifth byte is refused")
    void fiveByteIntegerIsMalformed() {
        MqttDecodeException e = catchThrowableOfType(MqttDecodeException.class,
                () -> VariableByteInteger.read(Unpooled.wrappedBuffer(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x7F)), "x"));
        Wire.assertRejected(e, ReasonCode.MALFORMED_PACKET, "longer than 4 bytes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonMinimal")
    @DisplayName("[MQTT-1.5.5-1] the encoded value MUST use the minimum number of bytes")
    void nonMinimalEncodingIsMalformed(String hex, byte[] encoded) {
        MqttDecodeException e = catchThrowableOfType(MqttDecodeException.class,
                () -> VariableByteInteger.read(Unpooled.wrappedBuffer(encoded), "x"));
        Wire.assertRejected(e, ReasonCode.MALFORMED_PACKET, "shortest form");
    }

    static Stream<Arguments> nonMinimal() {
        return Stream.of(
                Arguments.of("80 00", bytes(0x80, 0x00)),
                Arguments.of("FF 00", bytes(0xFF, 0x00)),
                Arguments.of("80 80 00", bytes(0x80, 0x80, 0x00)),
                Arguments.of("80 80 80 00", bytes(0x80, 0x80, 0x80, 0x00)));
    }

    @Test
    void writingOutOfRangeValuesIsRefused() {
        assertThatThrownBy(() -> VariableByteInteger.write(Unpooled.buffer(), 268_435_456))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VariableByteInteger.write(Unpooled.buffer(), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VariableByteInteger.size(268_435_456))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyValueAroundEachBoundaryRoundTrips() {
        int[] around = {0, 1, 126, 127, 128, 129, 16_382, 16_383, 16_384, 16_385,
                2_097_150, 2_097_151, 2_097_152, 2_097_153, 268_435_454, 268_435_455};
        for (int v : around) {
            ByteBuf buf = Unpooled.buffer();
            VariableByteInteger.write(buf, v);
            assertThat(buf.readableBytes()).isEqualTo(VariableByteInteger.size(v));
            assertThat(hex(ByteBufUtil.getBytes(buf))).isEqualTo(hex(Wire.vbi(v)));
            assertThat(VariableByteInteger.read(buf, "x")).isEqualTo(v);
            assertThat(buf.isReadable()).isFalse();
        }
    }
}
