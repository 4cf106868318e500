package io.switchboard.broker.auth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * What a client presents when it connects (or re-authenticates), for an {@link Authenticator}.
 * Plain Java types only: no network or codec objects.
 *
 * @param clientId the client identifier in force (assigned when the client sent none)
 * @param username the User Name, or null
 * @param password the Password, or null
 * @param authenticationMethod the 5.0 Authentication Method (enhanced authentication), or null
 * @param authenticationData the Authentication Data of this step, or null
 * @param protocolVersion {@code 3.1}, {@code 3.1.1} or {@code 5.0}
 * @param listener the name of the listener the client connected to
 * @param transport {@code tcp}, {@code tls}, {@code ws} or {@code wss}
 * @param remoteAddress the client's address and port
 * @param clientCertificates the verified TLS client certificate chain, client first; empty without one
 * @param certificateName the name taken from the client certificate (subject CN or a SAN, as the
 *     listener configures), or null without a certificate
 * @param userProperties the CONNECT's (or AUTH's) User Properties, in order
 * @param reauthentication true for a 5.0 re-authentication (AUTH 0x19) of a connected client
 */
public record ConnectAttempt(String clientId, String username, byte[] password, String authenticationMethod,
        byte[] authenticationData, String protocolVersion, String listener, String transport, String remoteAddress,
        List<X509Certificate> clientCertificates, String certificateName, List<Map.Entry<String, String>> userProperties,
        boolean reauthentication) {

    public ConnectAttempt {
        clientCertificates = List.copyOf(clientCertificates);
        userProperties = List.copyOf(userProperties);
    }

    /** The same attempt with the data of a later step of the exchange. */
    public ConnectAttempt withAuthenticationData(byte[] data) {
        return new ConnectAttempt(clientId, username, password, authenticationMethod, data, protocolVersion, listener,
                transport, remoteAddress, clientCertificates, certificateName, userProperties, reauthentication);
    }

    @Override
    public String toString() {
        return "ConnectAttempt{clientId=" + clientId + ", username=" + username + ", password="
                + (password == null ? "none" : "****") + ", method=" + authenticationMethod + ", listener=" + listener
                + ", transport=" + transport + ", remote=" + remoteAddress + ", certificateName=" + certificateName
                + ", reauthentication=" + reauthentication + "}";
    }
}
