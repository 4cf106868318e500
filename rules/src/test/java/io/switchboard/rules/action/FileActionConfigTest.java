package io.switchboard.rules.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The file action's configuration: defaults and ranges, refused with the key and what is allowed. */
class FileActionConfigTest {
    @Test
    void defaults() {
        FileActionConfig c = FileActionConfig.of("/var/log/switchboard/rules.jsonl");
        assertThat(c.maxBytes()).isEqualTo(10L << 20);
        assertThat(c.keep()).isEqualTo(5);
        assertThat(c.queueSize()).isEqualTo(10_000);
    }

    @Test
    void valuesOutOfRangeAreRefusedWithTheKeyAndTheRange() {
        assertThatThrownBy(() -> FileActionConfig.of(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing 'file.path': the file to append the outputs to, as JSON lines");
        assertThatThrownBy(() -> new FileActionConfig("out.jsonl", 1023L, null, null))
                .hasMessage("invalid value '1023' for 'file.maxBytes': allowed 1024..10737418240");
        assertThatThrownBy(() -> new FileActionConfig("out.jsonl", null, 0, null))
                .hasMessage("invalid value '0' for 'file.keep': allowed 1..100");
        assertThatThrownBy(() -> new FileActionConfig("out.jsonl", null, null, 1_000_001))
                .hasMessage("invalid value '1000001' for 'file.queueSize': allowed 1..1000000");
        assertThatThrownBy(() -> FileActionConfig.of("out\0.jsonl"))
                .hasMessageStartingWith("invalid value 'out\0.jsonl' for 'file.path': a file's path (");
    }
}
