package io.switchboard.rules.action;

import static io.switchboard.rules.action.ActionTesting.failedAtOnce;
import static io.switchboard.rules.action.ActionTesting.failure;
import static io.switchboard.rules.action.ActionTesting.message;
import static io.switchboard.rules.action.ActionTesting.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.rules.sql.RuleInput;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file action in a temporary directory: lines, rotation, concurrent runs, failures, close. */
class FileActionTest {
    private static final RuleInput MESSAGE = message("sensors/site-7/temp", "{\"t\": 21.5}");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static ActionInput output(String json) {
        return ActionTesting.input(MESSAGE, json);
    }

    /** {@code {"n":N,"pad":"xx..."}}, {@code size} bytes long. */
    private static String record(int n, int size) {
        String head = "{\"n\":" + n + ",\"pad\":\"";
        return head + "x".repeat(size - head.length() - 2) + "\"}";
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    private static List<Integer> numbers(Path file) throws IOException {
        return lines(file).stream().map(n -> n.get("n").asInt()).toList();
    }

    @Test
    void appendsEachOutputAsOneJsonLineInOrder() throws IOException {
        Path file = dir.resolve("logs/out.jsonl"); // the directory is created
        List<CompletionStage<Void>> runs = new ArrayList<>();
        try (FileAction action = new FileAction(FileActionConfig.of(file.toString()))) {
            assertThat(action.kind()).isEqualTo("file");
            for (int i = 0; i < 200; i++) {
                runs.add(action.run(output("{\"n\":" + i + ",\"s\":\"caf\u00e9 \\\"quoted\\\"\"}")));
            }
            runs.forEach(ActionTesting::succeeded);
        }
        List<JsonNode> lines = lines(file);
        assertThat(lines).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(lines.get(i).get("n").asInt()).isEqualTo(i);
            assertThat(lines.get(i).get("s").asText()).isEqualTo("caf\u00e9 \"quoted\"");
        }
    }

    @Test
    void appendsToWhatTheFileHolds() throws IOException {
        Path file = dir.resolve("out.jsonl");
        Files.writeString(file, "{\"n\":0}\n");
        try (FileAction action = new FileAction(FileActionConfig.of(file.toString()))) {
            succeeded(action.run(output("{\"n\":1}")));
        }
        assertThat(numbers(file)).containsExactly(0, 1);
    }

    @Test
    void aPrettyPrintedOutputBecomesOneLineAndALineBreakInAStringIsRefused() throws IOException {
        Path file = dir.resolve("out.jsonl");
        try (FileAction action = new FileAction(FileActionConfig.of(file.toString()))) {
            succeeded(action.run(output("{\r\n  \"n\": 1,\n  \"s\": \"a\\nb\"\n}")));
            assertThat(failure(action.run(output("{\"s\": \"a\nb\"}"))))
                    .isEqualTo("the output has a line break inside a string (byte 8): it is not JSON and would not"
                            + " be one line");
            assertThat(failure(action.run(output(""))))
                    .isEqualTo("the output is empty: a JSON line needs a value");
            succeeded(action.run(output("{\"n\":2}")));
        }
        assertThat(Files.readAllLines(file)).containsExactly("{    \"n\": 1,   \"s\": \"a\\nb\" }", "{\"n\":2}");
    }

    @Test
    void rotatesBySizeKeepingTheNewestInThePlainName() throws IOException {
        Path file = dir.resolve("out.jsonl");
        List<CompletionStage<Void>> runs = new ArrayList<>();
        // 300 bytes a line (299 and the line break): three fit in 1 KiB, a fourth would not
        try (FileAction action = new FileAction(new FileActionConfig(file.toString(), 1024L, 2, null))) {
            for (int i = 0; i < 20; i++) {
                runs.add(action.run(output(record(i, 299))));
            }
            runs.forEach(ActionTesting::succeeded);
        }
        assertThat(numbers(file)).containsExactly(18, 19);
        assertThat(numbers(dir.resolve("out.jsonl.1"))).containsExactly(15, 16, 17);
        assertThat(numbers(dir.resolve("out.jsonl.2"))).containsExactly(12, 13, 14);
        assertThat(dir.resolve("out.jsonl.3")).doesNotExist();
        assertThat(Files.size(dir.resolve("out.jsonl.1"))).isEqualTo(900);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("out.jsonl", "out.jsonl.1", "out.jsonl.2");
        }
    }

    @Test
    void anOutputLargerThanTheLimitIsWrittenAloneInItsFile() throws IOException {
        Path file = dir.resolve("out.jsonl");
        try (FileAction action = new FileAction(new FileActionConfig(file.toString(), 1024L, 5, null))) {
            succeeded(action.run(output(record(0, 100))));
            // larger than the limit and than the writer's buffer
            succeeded(action.run(output(record(1, 300_000))));
            succeeded(action.run(output(record(2, 100))));
        }
        assertThat(numbers(dir.resolve("out.jsonl.2"))).containsExactly(0);
        assertThat(numbers(dir.resolve("out.jsonl.1"))).containsExactly(1);
        assertThat(Files.size(dir.resolve("out.jsonl.1"))).isEqualTo(300_001);
        assertThat(numbers(file)).containsExactly(2);
    }

    @Test
    void concurrentRunsAllLandEachThreadInOrder() throws Exception {
        Path file = dir.resolve("out.jsonl");
        int threads = 8;
        int each = 500;
        List<CompletionStage<Void>> runs = Collections.synchronizedList(new ArrayList<>());
        try (FileAction action = new FileAction(FileActionConfig.of(file.toString()))) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> publishers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                publishers.add(new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        runs.add(action.run(output("{\"thread\":" + thread + ",\"i\":" + i + "}")));
                    }
                }, "publisher-" + t));
            }
            publishers.forEach(Thread::start);
            start.countDown();
            for (Thread p : publishers) {
                p.join(TimeUnit.SECONDS.toMillis(ActionTesting.PATIENCE_SECONDS));
            }
            assertThat(runs).hasSize(threads * each);
            runs.forEach(ActionTesting::succeeded);
        }
        List<JsonNode> lines = lines(file);
        assertThat(lines).hasSize(threads * each);
        int[] next = new int[threads];
        for (JsonNode line : lines) {
            int t = line.get("thread").asInt();
            assertThat(line.get("i").asInt()).isEqualTo(next[t]++);
        }
    }

    @Test
    void aPathReplacedByADirectoryFailsTheBatchAndTheWriterOpensThePathAgainLater() throws IOException {
        Path file = dir.resolve("out.jsonl");
        try (FileAction action = new FileAction(FileActionConfig.of(file.toString()))) {
            succeeded(action.run(output("{\"n\":1}")));
            Files.delete(file);
            Files.createDirectory(file);
            assertThat(failure(action.run(output("{\"n\":2}"))))
                    .isEqualTo("cannot open '" + file + "': Is a directory");
            Files.delete(file);
            succeeded(action.run(output("{\"n\":3}")));
        }
        assertThat(numbers(file)).containsExactly(3);
    }

    @Test
    void aFileDeletedMeanwhileIsCreatedAgain() throws IOException {
        Path file = dir.resolve("out.jsonl");
        try (FileAction action = new FileAction(FileActionConfig.of(file.toString()))) {
            succeeded(action.run(output("{\"n\":1}")));
            Files.delete(file);
            succeeded(action.run(output("{\"n\":2}")));
        }
        assertThat(numbers(file)).containsExactly(2);
    }

    @Test
    void aWriteErrorFailsTheBatchWithTheError() {
        Path full = Path.of("/dev/full"); // every write fails: No space left on device, also for root
        assumeTrue(Files.isWritable(full), "/dev/full is writable");
        try (FileAction action = new FileAction(FileActionConfig.of(full.toString()))) {
            assertThat(failure(action.run(output("{\"n\":1}"))))
                    .isEqualTo("cannot write to '/dev/full': No space left on device");
            assertThat(failure(action.run(output("{\"n\":2}"))))
                    .isEqualTo("cannot write to '/dev/full': No space left on device");
        }
    }

    @Test
    void closeWritesWhatIsQueued() throws IOException {
        Path file = dir.resolve("out.jsonl");
        List<CompletionStage<Void>> runs = new ArrayList<>();
        FileAction action = new FileAction(FileActionConfig.of(file.toString()));
        for (int i = 0; i < 5000; i++) {
            runs.add(action.run(output("{\"n\":" + i + "}")));
        }
        action.close();
        assertThat(runs).allSatisfy(r -> assertThat(r.toCompletableFuture()).isCompletedWithValue(null));
        assertThat(numbers(file)).hasSize(5000).startsWith(0, 1, 2).endsWith(4998, 4999);
        assertThat(failedAtOnce(action.run(output("{\"n\":5000}")))).isEqualTo("the rule was stopped");
        action.close(); // again: nothing happens
        // the writer has ended (the other tests' actions are closed too)
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("sb-rule-file-"));
    }

    @Test
    void aFullQueueFailsAtOnce() throws Exception {
        // a pipe that nobody reads yet: the writer blocks once the pipe's buffer is full, as on a stuck disk
        Path fifo = dir.resolve("out.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo works");
        CountDownLatch drain = new CountDownLatch(1);
        AtomicLong readLines = new AtomicLong();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (InputStream in = new FileInputStream(fifo.toFile())) { // opens when the action opens its end
                drain.await();
                byte[] chunk = new byte[8192];
                for (int n; (n = in.read(chunk)) >= 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (chunk[i] == '\n') {
                            readLines.incrementAndGet();
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        FileAction action = new FileAction(new FileActionConfig(fifo.toString(), null, null, 2));
        List<CompletionStage<Void>> admitted = new ArrayList<>();
        String refused = null;
        // each output is admitted until the pipe is full and two wait: then the next fails at once
        for (int i = 0; i < 100_000 && refused == null; i++) {
            CompletionStage<Void> run = action.run(output(record(i, 4096)));
            if (run.toCompletableFuture().isCompletedExceptionally()) {
                refused = failure(run);
            } else {
                admitted.add(run);
            }
        }
        assertThat(refused).isEqualTo("queue full (2 waiting): the file is written slower than the messages come");
        drain.countDown();
        admitted.forEach(ActionTesting::succeeded);
        action.close();
        reader.get(ActionTesting.PATIENCE_SECONDS, TimeUnit.SECONDS);
        assertThat(readLines.get()).isEqualTo(admitted.size());
    }

    @Test
    void aPathThatIsADirectoryOrUnderAFileIsRefusedAtConstruction() throws IOException {
        assertThatThrownBy(() -> new FileAction(FileActionConfig.of(dir.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid value '" + dir + "' for 'file.path': a file to append to; it is a directory");
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> new FileAction(FileActionConfig.of(plain.resolve("out.jsonl").toString())))
                .hasMessage("invalid value '" + plain.resolve("out.jsonl") + "' for 'file.path':"
                        + " cannot create its directory " + plain + ": a file of that name exists");
    }
}
