package io.switchboard.rules.sql;

import io.switchboard.rules.sql.Functions.Def;
import io.switchboard.rules.sql.Functions.Fn;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Type tests, collections, encodings, hashes and time: the functions that are neither strings nor arithmetic. */
final class ValueFunctions {
    private ValueFunctions() {
    }

    static List<Def> defs() {
        List<Def> defs = new ArrayList<>(List.of(
                Functions.fixed("isUndefined", 1, "isUndefined(Any)", "isUndefined(floor([1,2,3])) = true",
                        (s, a) -> SqlValue.of(a[0] == SqlValue.UNDEFINED)),
                Functions.fixed("isNull", 1, "isNull(Any)", "isNull(Null) = true",
                        (s, a) -> SqlValue.of(a[0] == SqlValue.NULL)),
                // "Returns the first argument if it is a valid Decimal. Otherwise, the second argument is returned":
                // Undefined and Null give the second; there is no NaN Decimal here
                Functions.fixed("nanvl", 2, "nanvl(Any, Any)", "nanvl(missing, 3) = 3",
                        (s, a) -> a[0] == SqlValue.UNDEFINED || a[0] == SqlValue.NULL ? a[1] : a[0]),
                Functions.fixed("get", 2, "get(Array|String|Object, Any)", "get(['a', 'b', 'c'], 1) = \"b\"",
                        (s, a) -> Expr.get(a[0], a[1])),
                new Def("encode", 2, 2, true, "encode(Any, 'base64')", "encode(*, 'base64') = \"eyJhIjoxfQ==\"",
                        ValueFunctions::encode),
                new Def("decode", 2, 2, true, "decode(String, 'base64')", "decode('MjMuNw==', 'base64') = 23.7",
                        ValueFunctions::decode),
                new Def("transform", 3, 3, true, "transform('enrichArray', Object, Array)",
                        "transform('enrichArray', {'k': 1}, [{'a': 3}]) = [{\"a\":3,\"k\":1}]",
                        args -> ValueFunctions::transform),
                new Def("parse_time", 2, 3, true, "parse_time(String, Int[, String])",
                        "parse_time('yyyy-MM-dd', 0) = \"1970-01-01\"", ValueFunctions::parseTime),
                new Def("time_to_epoch", 2, 2, true, "time_to_epoch(String, String)",
                        "time_to_epoch('18 December 2015', 'dd MMMM yyyy') = 1450396800000",
                        ValueFunctions::timeToEpoch)));
        for (String hash : List.of("md2", "md5", "sha1", "sha224", "sha256", "sha384", "sha512")) {
            defs.add(hash(hash));
        }
        return defs;
    }

    /** The conversion {@code cast(value AS type)} applies, by type keyword (case-insensitive); null if unknown. */
    static UnaryOperator<SqlValue> castTo(String type) {
        switch (type.toLowerCase(Locale.ROOT)) {
            case "string": case "nvarchar": case "text": case "ntext": case "varchar":
                return Conversions::castToString;
            case "int": case "integer":
                return Conversions::castToInt;
            case "double":
                return Conversions::castToDouble;
            case "decimal":
                return Conversions::castToDecimal;
            case "bool": case "boolean":
                return Conversions::castToBoolean;
            default:
                return null;
        }
    }

    static final List<String> CAST_TYPES = List.of("String", "Nvarchar", "Text", "Ntext", "varchar", "Int", "Integer",
            "Double", "Decimal", "Bool", "Boolean");

    /** {@code cast(value AS type)}. */
    static final class Cast extends Expr {
        final Expr operand;
        final UnaryOperator<SqlValue> conversion;

        Cast(int offset, Expr operand, UnaryOperator<SqlValue> conversion) {
            super(offset);
            this.operand = operand;
            this.conversion = conversion;
        }

        @Override
        SqlValue eval(Scope scope) {
            SqlValue v = operand.eval(scope);
            return v == SqlValue.UNDEFINED ? v : conversion.apply(v);
        }

        @Override
        List<Expr> children() {
            return List.of(operand);
        }

        @Override
        boolean constant() {
            return operand.constant();
        }
    }

    /** "Currently, only 'base64' is supported": checked at load when the scheme is a literal. */
    private static boolean base64Scheme(Functions.Args args, String function) {
        String scheme = args.literalString(1);
        if (scheme == null || !scheme.equalsIgnoreCase("base64")) {
            args.error(1, function + " supports only the scheme 'base64'", "write " + function + "(value, 'base64')");
            return false;
        }
        return true;
    }

    /**
     * "You can specify * to encode the entire payload, regardless of whether it's in JSON format. If you supply an
     * expression, the result of the evaluation is converted to a string before it is encoded."
     */
    private static Fn encode(Functions.Args args) {
        base64Scheme(args, "encode");
        if (args.get(0) instanceof Expr.Star star) {
            args.exprs.set(0, new Expr.RawPayload(star.offset));
        }
        return (s, a) -> {
            byte[] bytes;
            if (a[0] instanceof SqlValue.BinaryValue b) {
                bytes = b.bytes();
            } else {
                String t = Conversions.toText(a[0]);
                if (t == null) {
                    return SqlValue.UNDEFINED;
                }
                bytes = t.getBytes(StandardCharsets.UTF_8);
            }
            return SqlValue.of(Base64.getEncoder().encodeToString(bytes));
        };
    }

    /**
     * "If the decoded string is a JSON document, an addressable object is returned. Otherwise, the decoded string
     * is returned as a string. The function returns NULL if the string cannot be decoded." Decoded bytes that are
     * not UTF-8 are returned as raw bytes.
     */
    private static Fn decode(Functions.Args args) {
        base64Scheme(args, "decode");
        return (s, a) -> {
            String t = Conversions.toText(a[0]);
            if (t == null) {
                return SqlValue.UNDEFINED;
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(t.strip());
            } catch (IllegalArgumentException notBase64) {
                return SqlValue.NULL;
            }
            SqlValue json = Json.parse(bytes);
            if (json != null) {
                return json;
            }
            try {
                return SqlValue.of(StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString());
            } catch (CharacterCodingException notText) {
                return new SqlValue.BinaryValue(bytes);
            }
        };
    }

    /** {@code transform('enrichArray', object, array)}: each object of the array with the object's members added. */
    private static SqlValue transform(Scope s, SqlValue[] a) {
        if (!(a[0] instanceof SqlValue.StringValue mode) || !mode.value().equals("enrichArray")
                || !(a[1] instanceof SqlValue.ObjectValue extra) || !(a[2] instanceof SqlValue.ArrayValue array)) {
            return SqlValue.UNDEFINED;
        }
        List<SqlValue> out = new ArrayList<>(array.items().size());
        for (SqlValue item : array.items()) {
            if (item instanceof SqlValue.ObjectValue o) {
                Map<String, SqlValue> members = new LinkedHashMap<>(o.members());
                members.putAll(extra.members());
                out.add(SqlValue.object(members));
            }
        }
        return SqlValue.array(out);
    }

    /** The digests of "hello", for the examples. */
    private static final Map<String, String> HELLO_DIGESTS = Map.of(
            "md2", "a9046c73e00331af68917d3804f70655",
            "md5", "5d41402abc4b2a76b9719d911017c592",
            "sha1", "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d",
            "sha224", "ea09ae9cc6768c50fcee903ed054556e5bfc8347907f12598aa24193",
            "sha256", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            "sha384", "59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa9"
                    + "0125a3c79f90397bdf5f6a13de828684f",
            "sha512", "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca7"
                    + "2323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043");

    private static Def hash(String name) {
        String algorithm = name.startsWith("sha") ? "SHA-" + name.substring(3) : name.toUpperCase(Locale.ROOT);
        if (name.equals("sha1")) {
            algorithm = "SHA-1";
        }
        String jdkName = algorithm;
        String example = name + "('hello') = \"" + HELLO_DIGESTS.get(name) + "\"";
        return Functions.fixed(name, 1, name + "(String)", example, (s, a) -> {
                    String t = Conversions.toText(a[0]);
                    if (t == null) {
                        return SqlValue.UNDEFINED;
                    }
                    try {
                        byte[] digest = MessageDigest.getInstance(jdkName).digest(t.getBytes(StandardCharsets.UTF_8));
                        return SqlValue.of(HexFormat.of().formatHex(digest));
                    } catch (NoSuchAlgorithmException e) {
                        return SqlValue.UNDEFINED;
                    }
                });
    }

    /** A date-time pattern; a literal one is checked (and compiled) at load. */
    private static DateTimeFormatter pattern(Functions.Args args, int i, boolean forParsing) {
        String literal = args.literalString(i);
        if (literal == null) {
            return null;
        }
        try {
            return formatter(literal, forParsing);
        } catch (IllegalArgumentException e) {
            args.error(i, "invalid date-time pattern: " + e.getMessage(),
                    "patterns are those of java.time's DateTimeFormatter, such as 'yyyy-MM-dd HH:mm:ss'");
            return null;
        }
    }

    private static DateTimeFormatter formatter(String pattern, boolean forParsing) {
        DateTimeFormatterBuilder b = new DateTimeFormatterBuilder().appendPattern(pattern);
        if (forParsing) {
            b.parseDefaulting(ChronoField.HOUR_OF_DAY, 0).parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
                    .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0).parseDefaulting(ChronoField.NANO_OF_SECOND, 0);
        }
        return b.toFormatter(Locale.US);
    }

    /** {@code parse_time(pattern, timestamp[, timezone])}: a time in milliseconds, formatted; UTC by default. */
    private static Fn parseTime(Functions.Args args) {
        DateTimeFormatter literal = pattern(args, 0, false);
        return (s, a) -> {
            Long millis = Conversions.toLongFloor(a[1]);
            String zone = a.length > 2 ? Conversions.toText(a[2]) : "UTC";
            if (millis == null || zone == null) {
                return SqlValue.UNDEFINED;
            }
            try {
                DateTimeFormatter f = literal != null ? literal : formatter(Conversions.toText(a[0]), false);
                return SqlValue.of(f.format(Instant.ofEpochMilli(millis).atZone(ZoneId.of(zone))));
            } catch (DateTimeException | IllegalArgumentException | NullPointerException e) {
                return SqlValue.UNDEFINED;
            }
        };
    }

    /** {@code time_to_epoch(timestamp, pattern)}: milliseconds since the epoch; UTC unless the text names a zone. */
    private static Fn timeToEpoch(Functions.Args args) {
        DateTimeFormatter literal = pattern(args, 1, true);
        return (s, a) -> {
            String text = Conversions.toText(a[0]);
            if (text == null) {
                return SqlValue.UNDEFINED;
            }
            try {
                DateTimeFormatter f = literal != null ? literal : formatter(Conversions.toText(a[1]), true);
                ZonedDateTime t = ZonedDateTime.parse(text, f.withZone(ZoneOffset.UTC));
                return SqlValue.of(t.toInstant().toEpochMilli());
            } catch (DateTimeException | IllegalArgumentException | NullPointerException e) {
                return SqlValue.UNDEFINED;
            }
        };
    }
}
