package io.switchboard.rpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The JSON helpers' one Jackson mapper, and what the JSON wire formats need: a payload embedded in
 * an envelope as it is (its bytes, not a re-serialised copy) and taken out again the same way.
 */
final class Json {
    static final String CONTENT_TYPE = "application/json";
    static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private Json() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
        }
    }

    static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("the payload is not JSON for " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    /** The first token of {@code bytes} when they are exactly one JSON value (whitespace around allowed), else null. */
    static JsonToken valueType(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            p.skipChildren();
            return p.nextToken() == null ? first : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** One top-level member of a JSON object: its kind, its text when a scalar, and where its value lies. */
    record Field(JsonToken token, String text, byte[] source, int start, int end) {
        /** The value's bytes as they were sent. */
        byte[] raw() {
            return Arrays.copyOfRange(source, start, end);
        }

        String rawText() {
            return new String(source, start, end - start, StandardCharsets.UTF_8);
        }

        boolean isString() {
            return token == JsonToken.VALUE_STRING;
        }

        boolean isNumber() {
            return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
        }

        boolean isObject() {
            return token == JsonToken.START_OBJECT;
        }
    }

    /**
     * The members of the JSON object {@code bytes}, by name (the last of a repeated name), or null
     * when the bytes are not one JSON object.
     */
    static Map<String, Field> fields(byte[] bytes) {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, Field> out = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                int start = (int) p.currentTokenLocation().getByteOffset();
                String text = t.isScalarValue() ? p.getText() : null;
                p.skipChildren();
                p.finishToken();
                int end = (int) p.currentLocation().getByteOffset();
                out.put(name, new Field(t, text, bytes, start, end));
            }
            return p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null ? out : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes a JSON object with {@code body}; IOExceptions cannot happen on a byte array. */
    static byte[] object(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes a member's value that is already JSON text, byte for byte. */
    static void writeRaw(JsonGenerator g, String name, byte[] json) throws IOException {
        g.writeFieldName(name);
        g.writeRawValue(new String(json, StandardCharsets.UTF_8));
    }

    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }
}
