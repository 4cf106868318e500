package io.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The Java examples of docs/rpc.md compile against the library as it is: each {@code ```java}
 * block becomes the body of a method, with the names the prose assumes ({@code rpc}, {@code body},
 * {@code lock}, {@code loadConfig}) declared around it. A renamed method or a changed signature
 * fails here, not in a user's editor.
 */
class DocsExamplesTest {
    private static final Path DOC = Path.of("..", "docs", "rpc.md");

    private static final String PRELUDE = """
            package docs;
            import io.switchboard.rpc.*;
            import java.nio.file.*;
            import java.time.*;
            import java.util.*;
            import java.util.concurrent.*;
            import static java.nio.charset.StandardCharsets.UTF_8;
            class %s {
                interface Lock { boolean open(String who); boolean open(); }
                RpcClient rpc;
                byte[] body;
                Lock lock;
                CompletableFuture<Object> loadConfig(String topic) { return null; }
                void example() throws Exception {
            """;

    static List<String> javaBlocks(List<String> lines) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : lines) {
            if (current == null && line.strip().equals("```java")) {
                current = new StringBuilder();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    @Test
    void everyJavaExampleInRpcMdCompiles() throws IOException {
        List<String> blocks = javaBlocks(Files.readAllLines(DOC));
        assertThat(blocks).as("java examples in %s", DOC).hasSizeGreaterThanOrEqualTo(5);
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            String name = "RpcMdExample" + (i + 1);
            String code = PRELUDE.formatted(name) + blocks.get(i) + "    }\n}\n";
            sources.add(new SimpleJavaFileObject(URI.create("string:///docs/" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            });
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> problems = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("rpc-md-examples");
        boolean ok = javac.getTask(null, null, problems, List.of("-d", out.toString(), "-classpath",
                System.getProperty("java.class.path"), "-proc:none"), null, sources).call();
        List<String> errors = problems.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getSource().getName() + " (block " + d.getSource().getName().replaceAll("\\D", "")
                        + " of rpc.md), line " + (d.getLineNumber() - PRELUDE.lines().count()) + ": "
                        + d.getMessage(Locale.ROOT))
                .toList();
        assertThat(errors).as("compiling the java blocks of docs/rpc.md").isEmpty();
        assertThat(ok).isTrue();
    }
}
