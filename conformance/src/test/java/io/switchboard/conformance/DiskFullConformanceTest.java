package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.connect;
import static io.switchboard.conformance.Conformance.disconnect;
import static io.switchboard.conformance.Conformance.expectPublish;
import static io.switchboard.conformance.Conformance.persistent;
import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.switchboard.broker.config.SessionConfig;
import io.switchboard.broker.config.StorageConfig;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.packet.Payload;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A real full disk: the data directory on a small tmpfs (mounting one needs root, as in CI; the
 * test is skipped elsewhere, and {@link StorageFailureConformanceTest} covers the same answers with
 * an injected fault). The broker refuses what it cannot store with 0x97, logs it, keeps what it
 * stored, and works again by itself once space returns.
 */
class DiskFullConformanceTest {
    private static final int MESSAGE_BYTES = 256 * 1024;
    private Path mount;

    @BeforeEach
    void mountTinyFilesystem() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        mount = Files.createTempDirectory("switchboard-tinyfs-");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here: " + new String(p.getInputStream().readAllBytes()));
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(mount);
        }
    }

    @Test
    @DisplayName("Disk full: QoS 1 PUBLISH gets PUBACK 0x97 with a reason string; once space returns, publishing "
            + "works again without a restart; every acknowledged message is delivered after a restart")
    void diskFullRefusesThenRecovers() throws IOException {
        Path data = mount.resolve("data");
        Path filler = mount.resolve("filler");
        try (EmbeddedBroker b = new EmbeddedBroker(cfg -> cfg
                .withStorage(StorageConfig.rocksdb(data.toString(), "sync"))
                .withSessions(new SessionConfig(null, null, 100_000, Long.MAX_VALUE, null)))) {
            b.start();
            MqttVersion v = MqttVersion.V5;
            try (RawClient sub = connect(b, persistent(v, "df-sub", false), false)) {
                subscribe(sub, 1, "df/#", 1);
                disconnect(sub);
            }
            // Leave a few MiB: the store's own files plus a handful of messages.
            long free = Files.getFileStore(mount).getUsableSpace();
            Files.write(filler, new byte[(int) Math.max(0, free - 3L * 1024 * 1024)]);
            List<Integer> acknowledged = new ArrayList<>();
            ReasonCode refusal = null;
            String reason = null;
            byte[] payload = new byte[MESSAGE_BYTES];
            try (RawClient pub = RawClient.connect(b.port(), v, "df-pub")) {
                for (int i = 1; i <= 200 && refusal == null; i++) {
                    Arrays.fill(payload, (byte) i);
                    pub.send(new PublishPacket("df/m", 1, false, false, i, Properties.EMPTY, Payload.copyOf(payload)));
                    PubackPacket ack = pub.expect(PubackPacket.class);
                    if (ack.reasonCode() == ReasonCode.SUCCESS) {
                        acknowledged.add(i);
                    } else {
                        refusal = ack.reasonCode();
                        reason = ack.properties().reasonString();
                    }
                }
                assertThat(refusal).as("refused once the disk is full").isEqualTo(ReasonCode.QUOTA_EXCEEDED);
                assertThat(reason).contains("disk is full");
                Files.delete(filler); // space returns
                // The broker tries again by itself; a publisher that retries gets through within a few tries.
                int next = 1000;
                ReasonCode again = null;
                for (int tries = 0; tries < 100 && again != ReasonCode.SUCCESS; tries++) {
                    Arrays.fill(payload, (byte) 0x7f);
                    pub.send(new PublishPacket("df/m", 1, false, false, next, Properties.EMPTY, Payload.copyOf(payload)));
                    again = pub.expect(PubackPacket.class).reasonCode();
                    if (again == ReasonCode.SUCCESS) {
                        acknowledged.add(next);
                    }
                    next++;
                }
                assertThat(again).as("publishing works again once space returns").isEqualTo(ReasonCode.SUCCESS);
            }
            b.restart();
            try (RawClient sub = connect(b, persistent(v, "df-sub", false), true)) {
                for (int i = 0; i < acknowledged.size(); i++) {
                    PublishPacket p = sub.expect(PublishPacket.class);
                    sub.send(new PubackPacket(p.packetId()));
                }
                sub.expectNothingMore();
            }
        }
    }
}
