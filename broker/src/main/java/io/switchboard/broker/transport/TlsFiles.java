package io.switchboard.broker.transport;

import io.switchboard.broker.config.ConfigException;
import io.switchboard.broker.config.TlsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The files a listener's TLS is built from ({@code certificate}, {@code key},
 * {@code trustedCertificates}, {@code crl}), read together, and a cheap way to tell whether any of
 * them may have changed: each file's size, time of last change and file key (the inode), following
 * symbolic links. Kubernetes updates a mounted secret by swapping a symbolic link, which a
 * {@code WatchService} does not see but these do. A change there is confirmed by the content's
 * hash, so a file touched but not changed reloads nothing.
 */
final class TlsFiles {
    /** What a file's metadata says; a file that cannot be read has {@code size} -1. */
    record Stamp(String key, long size, FileTime modified, Object fileKey) {
    }

    /** The files as read: their stamps (taken before reading), content and hash, by key. */
    record Contents(List<Stamp> stamps, Map<String, byte[]> bytes, Map<String, String> hashes) {
        byte[] get(String key) {
            return bytes.get(key);
        }

        /** The keys whose content differs from {@code before}'s. */
        List<String> changedFrom(Contents before) {
            return hashes.keySet().stream().filter(k -> !Objects.equals(hashes.get(k), before.hashes.get(k))).toList();
        }

        /** Only the stamps and hashes: what is kept to compare the next reading with. */
        Contents withoutBytes() {
            return new Contents(stamps, Map.of(), hashes);
        }
    }

    private final String listener;
    /** The configured files by their key in the tls section, in that order. */
    private final Map<String, String> files = new LinkedHashMap<>();

    TlsFiles(String listener, TlsConfig tls) {
        this.listener = listener;
        files.put("certificate", tls.certificate());
        files.put("key", tls.key());
        if (tls.trustedCertificates() != null) {
            files.put("trustedCertificates", tls.trustedCertificates());
        }
        if (tls.crl() != null) {
            files.put("crl", tls.crl());
        }
    }

    /** The file configured for a key ({@code certificate}, {@code key}...), or null. */
    String file(String key) {
        return files.get(key);
    }

    /** What the files' metadata says now. Never fails: a file that cannot be read has a stamp of its own. */
    List<Stamp> stamps() {
        List<Stamp> out = new ArrayList<>(files.size());
        files.forEach((key, file) -> {
            try {
                BasicFileAttributes a = Files.readAttributes(Path.of(file), BasicFileAttributes.class);
                out.add(new Stamp(key, a.size(), a.lastModifiedTime(), a.fileKey()));
            } catch (IOException | RuntimeException e) {
                out.add(new Stamp(key, -1, null, null));
            }
        });
        return out;
    }

    /**
     * Reads every file. The stamps are taken first, so that a change made while reading shows at the
     * next check.
     *
     * @throws ConfigException naming the listener, the key and the file when one cannot be read
     */
    Contents read() {
        List<Stamp> stamps = stamps();
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        Map<String, String> hashes = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = Path.of(f.getValue());
            String where = TlsContexts.section(listener) + "." + f.getKey() + ": ";
            if (!Files.isReadable(p)) {
                throw new ConfigException(where + "file '" + f.getValue() + "' does not exist or cannot be read");
            }
            try {
                byte[] b = Files.readAllBytes(p);
                bytes.put(f.getKey(), b);
                hashes.put(f.getKey(), HexFormat.of().formatHex(sha256().digest(b)));
            } catch (IOException e) {
                throw new ConfigException(where + "cannot read '" + f.getValue() + "': " + TlsContexts.rootMessage(e));
            }
        }
        return new Contents(stamps, bytes, hashes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
