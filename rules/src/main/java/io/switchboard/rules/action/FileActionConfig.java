package io.switchboard.rules.action;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The {@code file} action: each output of the rule is appended to a file as one JSON line, the file rotated by
 * size (docs/rules.md, "Actions: file"). Validated on construction: a refusal is an
 * {@link IllegalArgumentException} naming the key, the value and what is allowed.
 *
 * @param path the file to append to (not a template); its directory is created if missing; required
 * @param maxBytes the size past which the file is rotated; default 10 MiB, 1 KiB..10 GiB
 * @param keep how many rotated files are kept ({@code out.jsonl.1} the newest, the oldest deleted); default 5,
 *     1..100
 * @param queueSize outputs waiting for the writer; beyond them {@code run} fails at once; default 10000,
 *     1..1000000
 */
public record FileActionConfig(String path, Long maxBytes, Integer keep, Integer queueSize) {
    public FileActionConfig {
        path = Check.required("file.path", path, "the file to append the outputs to, as JSON lines");
        try {
            Path.of(path);
        } catch (InvalidPathException e) {
            throw Check.badValue("file.path", path, "a file's path (" + e.getMessage() + ")");
        }
        maxBytes = Check.range("file.maxBytes", maxBytes, 10L << 20, 1L << 10, 10L << 30);
        keep = Check.range("file.keep", keep, 5, 1, 100);
        queueSize = Check.range("file.queueSize", queueSize, 10_000, 1, 1_000_000);
    }

    /** The defaults for everything but the path. */
    public static FileActionConfig of(String path) {
        return new FileActionConfig(path, null, null, null);
    }
}
