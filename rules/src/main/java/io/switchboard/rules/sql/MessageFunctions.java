package io.switchboard.rules.sql;

import io.switchboard.rules.sql.Functions.Def;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Functions about the message rather than its payload: topic, client, time, MQTT 5 properties. */
final class MessageFunctions {
    /** The names {@code get_mqtt_property} knows (AWS IoT SQL reference, get_mqtt_property). */
    static final List<String> MQTT_PROPERTIES = List.of("content_type", "format_indicator", "response_topic",
            "correlation_data");

    private MessageFunctions() {
    }

    static List<Def> defs() {
        return List.of(
                new Def("topic", 0, 1, false, "topic([Int])", "topic(2) = \"b\"", args -> MessageFunctions::topic),
                new Def("clientid", 0, 0, false, "clientid()", "clientid() = \"sensor-17\"", args -> (s, a) -> {
                    String id = s.message().clientId();
                    // "Returns the ID of the MQTT client sending the message, or n/a if the message wasn't sent
                    // over MQTT"
                    return SqlValue.of(id == null ? "n/a" : id);
                }),
                new Def("principal", 0, 0, false, "principal()",
                        "principal() = \"ba67293af50bf2506f5f93469686da660c7c844e7b3950bfb16813e0d31e9373\"",
                        args -> (s, a) -> Functions.string(s.message().principal())),
                new Def("timestamp", 0, 0, false, "timestamp()", "timestamp() = 1481825251155",
                        args -> (s, a) -> SqlValue.of(s.message().timestampMillis())),
                new Def("newuuid", 0, 0, false, "newuuid()", "newuuid() = \"123a4567-b89c-42d3-a456-789012345000\"",
                        args -> (s, a) -> SqlValue.of(uuid())),
                new Def("get_user_property", 1, 1, false, "get_user_property(String)",
                        "get_user_property('Content-Type') = \"base64\"", args -> MessageFunctions::userProperty),
                new Def("get_user_properties", 0, 1, false, "get_user_properties([String])",
                        "get_user_properties('k') = [\"v1\",\"v2\"]", args -> MessageFunctions::userProperties),
                new Def("get_mqtt_property", 1, 1, false, "get_mqtt_property(String)",
                        "get_mqtt_property('content_type') = \"application/json\"", MessageFunctions::mqttProperty),
                Functions.fixed("sql_version", 0, "sql_version()", "sql_version() = \"2016-03-23\"",
                        (s, a) -> SqlValue.of(SqlStatement.SQL_VERSION)));
    }

    /**
     * "topic(Decimal): If no parameter is specified, the entire topic is returned. The Decimal parameter is used to
     * specify a specific topic segment, with 1 designating the first segment."
     */
    private static SqlValue topic(Scope s, SqlValue[] a) {
        String topic = s.message().topic();
        if (a.length == 0) {
            return SqlValue.of(topic);
        }
        Long n = Conversions.toLongFloor(a[0]);
        if (n == null || n < 1) {
            return SqlValue.UNDEFINED;
        }
        int start = 0;
        for (long level = 1; level < n; level++) {
            int slash = topic.indexOf('/', start);
            if (slash < 0) {
                return SqlValue.UNDEFINED;
            }
            start = slash + 1;
        }
        int end = topic.indexOf('/', start);
        return SqlValue.of(end < 0 ? topic.substring(start) : topic.substring(start, end));
    }

    private static SqlValue userProperty(Scope s, SqlValue[] a) {
        String name = Conversions.toText(a[0]);
        if (name == null) {
            return SqlValue.UNDEFINED;
        }
        for (UserProperty p : s.message().userProperties()) {
            if (p.name().equals(name)) {
                return SqlValue.of(p.value());
            }
        }
        return SqlValue.UNDEFINED;
    }

    /**
     * With a name, the values of every User Property of that name, in order (MQTT 5 lets a name repeat); without,
     * every property as a one-member object, in order. Undefined when there is none.
     */
    private static SqlValue userProperties(Scope s, SqlValue[] a) {
        List<UserProperty> props = s.message().userProperties();
        List<SqlValue> out = new ArrayList<>();
        if (a.length == 0) {
            for (UserProperty p : props) {
                Map<String, SqlValue> one = new LinkedHashMap<>(2);
                one.put(p.name(), SqlValue.of(p.value()));
                out.add(SqlValue.object(one));
            }
        } else {
            String name = Conversions.toText(a[0]);
            if (name == null) {
                return SqlValue.UNDEFINED;
            }
            for (UserProperty p : props) {
                if (p.name().equals(name)) {
                    out.add(SqlValue.of(p.value()));
                }
            }
        }
        return out.isEmpty() ? SqlValue.UNDEFINED : SqlValue.array(out);
    }

    private static Functions.Fn mqttProperty(Functions.Args args) {
        String literal = args.literalString(0);
        if (literal != null && !MQTT_PROPERTIES.contains(literal)) {
            String close = Suggestions.closest(literal, MQTT_PROPERTIES);
            args.error(0, "get_mqtt_property does not know '" + literal + "'"
                            + (close == null ? "" : " (did you mean " + close + "?)"),
                    "it takes one of 'content_type', 'format_indicator', 'response_topic', 'correlation_data'");
        }
        return (s, a) -> mqttProperty(s.message(), Conversions.toText(a[0]));
    }

    static SqlValue mqttProperty(MessageContext m, String name) {
        if (name == null) {
            return SqlValue.UNDEFINED;
        }
        switch (name) {
            case "content_type":
                return Functions.string(m.contentType());
            case "format_indicator":
                // absent means 0 [MQTT-3.3.2.3.2]: "0 ... Unspecified bytes"
                return SqlValue.of(m.payloadFormatIndicator() == 1 ? "UTF8_DATA" : "UNSPECIFIED_BYTES");
            case "response_topic":
                return Functions.string(m.responseTopic());
            case "correlation_data":
                byte[] data = m.correlationData();
                return data == null ? SqlValue.UNDEFINED : SqlValue.of(Base64.getEncoder().encodeToString(data));
            default:
                return SqlValue.UNDEFINED;
        }
    }

    /** A random (version 4) UUID, from the thread's generator rather than the shared secure one. */
    static String uuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new java.util.UUID(hi, lo).toString();
    }
}
