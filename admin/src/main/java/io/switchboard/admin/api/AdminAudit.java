package io.switchboard.admin.api;

import io.switchboard.admin.http.Request;
import io.switchboard.broker.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every change made through the API, logged with who made it (logger {@code io.switchboard.admin}). */
final class AdminAudit {
    private static final Logger LOG = LoggerFactory.getLogger("io.switchboard.admin");

    void changed(Request r, String what) {
        LOG.info("admin: {} from {}: {}", r.caller().describe(), r.remote(), LogText.escape(what));
    }
}
