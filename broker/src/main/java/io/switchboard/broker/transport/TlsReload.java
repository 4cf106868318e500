package io.switchboard.broker.transport;

/**
 * What reloading a listener's TLS files did.
 *
 * @param listener the listener's name
 * @param outcome reloaded, unchanged or failed
 * @param detail for people: which files changed, or why the new files cannot be used (the same text
 *     as the ERROR line logged), or empty
 * @param revokedConnectionsClosed open connections closed because the reloaded {@code tls.crl}
 *     revokes their client certificate ({@code tls.closeRevoked})
 */
public record TlsReload(String listener, Outcome outcome, String detail, int revokedConnectionsClosed) {

    /** What happened to the listener's TLS context. */
    public enum Outcome {
        /** New handshakes use the new files; open connections keep the context they started with. */
        RELOADED,
        /** The files have the content already in use: nothing was rebuilt. */
        UNCHANGED,
        /** The new files cannot be used; the files loaded before stay in force. */
        FAILED
    }
}
