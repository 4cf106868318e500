package io.switchboard.admin.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.admin.http.ApiException;
import io.switchboard.admin.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's static files, from the class path: read once, served with an ETag (a changed file
 * after an upgrade is fetched again) and a Content-Security-Policy that lets the page run only its
 * own scripts and reach only this listener and MQTT over WebSocket.
 */
final class ConsoleFiles {
    /** Names of files as the console has them: no "..", no hidden files, no odd characters. */
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "ico", "image/x-icon", "json", "application/json", "md", "text/plain; charset=utf-8");
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self' ws: wss:; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none';"
            + " form-action 'self'";

    private record File(byte[] bytes, String type, String etag) {
    }

    private final String root;
    private final Map<String, File> cache = new ConcurrentHashMap<>();

    ConsoleFiles(String root) {
        this.root = root;
    }

    Response serve(String path, String ifNoneMatch) {
        String name = path.isEmpty() ? "index.html" : path;
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            throw ApiException.notFound("no such file: /console/" + path);
        }
        File f = cache.computeIfAbsent(name, this::load);
        if (f.bytes() == null) {
            throw ApiException.notFound("no such file: /console/" + path);
        }
        Map<String, String> headers = Map.of("ETag", f.etag(), "Cache-Control", "no-cache",
                "Content-Security-Policy", CSP);
        if (f.etag().equals(ifNoneMatch)) {
            return new Response(HttpResponseStatus.NOT_MODIFIED, null, new byte[0], headers);
        }
        return new Response(HttpResponseStatus.OK, f.type(), f.bytes(), headers);
    }

    private File load(String name) {
        try (InputStream in = ConsoleFiles.class.getResourceAsStream(root + name)) {
            if (in == null) {
                return new File(null, null, null);
            }
            byte[] b = in.readAllBytes();
            String ext = name.substring(name.lastIndexOf('.') + 1);
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b), 0, 12) + "\"";
            return new File(b, TYPES.getOrDefault(ext, "application/octet-stream"), etag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
