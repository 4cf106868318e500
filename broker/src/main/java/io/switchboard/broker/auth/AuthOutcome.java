package io.switchboard.broker.auth;

import io.switchboard.codec.ReasonCode;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** The result of one step of authentication. */
public sealed interface AuthOutcome {

    /**
     * The client is authenticated.
     *
     * @param authenticationName the name it authenticated as, or null to take the certificate name,
     *     else the user name
     * @param attributes attributes for authorization
     * @param authenticationData 5.0 enhanced authentication: data for the CONNACK or AUTH 0x00, or null
     */
    record Success(String authenticationName, Map<String, Object> attributes, byte[] authenticationData)
            implements AuthOutcome {
        public Success {
            attributes = Map.copyOf(attributes);
        }
    }

    /**
     * 5.0 enhanced authentication goes on: the broker sends AUTH 0x18 (Continue authentication) with
     * {@code authenticationData}; the client's next AUTH data is given to {@code next}.
     */
    record Continue(byte[] authenticationData, Function<byte[], CompletionStage<AuthOutcome>> next)
            implements AuthOutcome {
    }

    /**
     * The client is refused: CONNACK (or, for a re-authentication, DISCONNECT) with this reason code
     * (0x86 Bad user name or password, 0x87 Not authorized, 0x8C Bad authentication method...) and a
     * reason string. In 3.1.1 the nearest return code is used.
     */
    record Failure(ReasonCode reasonCode, String reason) implements AuthOutcome {
    }

    /** Success with no name of its own, no attributes and no data. */
    static AuthOutcome success() {
        return new Success(null, Map.of(), null);
    }
}
