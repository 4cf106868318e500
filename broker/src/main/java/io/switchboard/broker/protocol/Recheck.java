package io.switchboard.broker.protocol;

import io.switchboard.broker.auth.AuthOutcome;
import io.switchboard.broker.auth.Authenticator;
import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.ClientIdentity;
import io.switchboard.broker.auth.DenialAudit;
import io.switchboard.broker.logging.LogText;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deciding a connected client again after a change of policy ({@code BrokerAccess.reauthorize}):
 * the authenticator's recheck, then the authorizer's rights, or a DISCONNECT. One per broker.
 */
final class Recheck {
    private static final Logger LOG = LoggerFactory.getLogger(Recheck.class);

    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final DenialAudit audit;

    Recheck(Authenticator authenticator, Authorizer authorizer, DenialAudit audit) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.audit = audit;
    }

    /**
     * The policy changed: the authenticator rechecks the connected client (without its part: it is
     * not asked to authenticate again) and the authorizer resolves its rights anew, which hold from
     * its next packet and delivery on; a client that is no longer let in gets DISCONNECT with the
     * failure's code (0x87 Not authorized unless it names another a DISCONNECT may carry; 3.1.1: the
     * connection closes). Returns false when it was disconnected. On the connection's loop.
     */
    boolean reauthorize(MqttConnection c) {
        if (c.state != MqttConnection.State.CONNECTED || c.identity == null) {
            return true;
        }
        AuthOutcome outcome;
        try {
            outcome = authenticator.recheck(c.identity, c.transport.clientCertificates(c.context()));
        } catch (RuntimeException e) {
            LOG.warn("Client {}: the authenticator failed to recheck it; it stays connected with its rights: {}",
                    LogText.escape(c.clientId()), e.toString());
            return true;
        }
        if (outcome instanceof AuthOutcome.Failure f) {
            ReasonCode code = f.reasonCode().allowedIn(PacketType.DISCONNECT) ? f.reasonCode()
                    : ReasonCode.NOT_AUTHORIZED;
            audit.refused(c.clientId(), c.identity.authenticationName(), "recheck", code, f.reason());
            c.close(code, f.reason());
            return false;
        }
        if (!(outcome instanceof AuthOutcome.Success s)) {
            return true; // a recheck cannot start an exchange with the client
        }
        ClientIdentity was = c.identity;
        c.identity = authorizer.connected(new ClientIdentity(was.clientId(),
                s.authenticationName() == null ? was.authenticationName() : s.authenticationName(), was.listener(),
                s.attributes()));
        c.session.reauthenticated(c.identity);
        return true;
    }
}
