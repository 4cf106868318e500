package io.switchboard.rules.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled select list: the items of {@code SELECT a, b AS c, *} or the one expression of {@code SELECT VALUE},
 * and how it makes a row's output (an Object whose keys are the items' names, in order, Undefined values left out).
 */
final class Select {

    /** One item: an expression and its output key, or {@code *} (star: the row's members). */
    record Item(Expr expr, String name, int offset, boolean star) {
    }

    final boolean value;
    final Item[] items;
    private final boolean top;

    Select(boolean value, List<Item> items, boolean top) {
        this.value = value;
        this.items = items.toArray(new Item[0]);
        this.top = top;
    }

    /** {@code SELECT *} and nothing else. */
    boolean starOnly() {
        return !value && items.length == 1 && items[0].star;
    }

    /** The star item of a list that has other items too, or null: it needs the payload to be a JSON object. */
    Item mergedStar() {
        if (value || items.length < 2) {
            return null;
        }
        for (Item item : items) {
            if (item.star) {
                return item;
            }
        }
        return null;
    }

    SqlValue project(Scope scope) {
        if (value) {
            return items[0].expr.eval(scope);
        }
        Map<String, SqlValue> out = new LinkedHashMap<>(items.length * 2 + 2);
        for (Item item : items) {
            if (item.star) {
                star(scope, out, item);
                continue;
            }
            SqlValue v = item.expr.eval(scope);
            if (v == SqlValue.UNDEFINED) {
                continue; // "{"foo":null, "bar":undefined} is serialized to JSON as: {"foo":null}"
            }
            if (v instanceof SqlValue.BinaryValue) {
                throw new EvalError(Evaluation.Kind.RUNTIME_ERROR, item.offset, "'" + item.name
                        + "' is the raw bytes of a payload that is not JSON, which a JSON object cannot hold;"
                        + " encode them with encode(*, 'base64')");
            }
            out.put(item.name, v);
        }
        return SqlValue.object(out);
    }

    private void star(Scope scope, Map<String, SqlValue> out, Item item) {
        SqlValue row = scope.star();
        if (row instanceof SqlValue.ObjectValue o) {
            out.putAll(o.members());
        } else if (top && row instanceof SqlValue.BinaryValue) {
            throw new EvalError(Evaluation.Kind.PAYLOAD_NOT_JSON, item.offset,
                    "SELECT * with other items adds them to the payload's JSON object, and the payload is not JSON");
        } else if (top) {
            throw new EvalError(Evaluation.Kind.PAYLOAD_NOT_OBJECT, item.offset,
                    "SELECT * with other items adds them to the payload's JSON object, and the payload is a JSON "
                            + row.type().awsName());
        }
        // in a nested SELECT, an element that is not an object adds nothing
    }

    /**
     * A nested SELECT, {@code (SELECT v FROM e WHERE n = 'temperature')}: over an Array, the output of each element
     * the WHERE lets through, as an Array; over an Object, its output alone (Undefined if the WHERE refuses it).
     * Names inside refer to the element; AWS: "Nested object queries".
     */
    static final class SubQuery extends Expr {
        final Select select;
        final Expr from;
        final Expr where;

        SubQuery(int offset, Select select, Expr from, Expr where) {
            super(offset);
            this.select = select;
            this.from = from;
            this.where = where;
        }

        @Override
        SqlValue eval(Scope scope) {
            SqlValue source = from.eval(scope);
            if (source instanceof SqlValue.ArrayValue a) {
                List<SqlValue> out = new ArrayList<>(a.items().size());
                for (SqlValue element : a.items()) {
                    SqlValue r = row(scope.nested(element));
                    if (r != SqlValue.UNDEFINED) {
                        out.add(r);
                    }
                }
                return SqlValue.array(out);
            }
            if (source instanceof SqlValue.ObjectValue) {
                return row(scope.nested(source));
            }
            return SqlValue.UNDEFINED;
        }

        private SqlValue row(Scope inner) {
            if (where != null && !SqlStatement.isTrue(where.eval(inner))) {
                return SqlValue.UNDEFINED;
            }
            return select.project(inner);
        }

        /** Only FROM is evaluated in the enclosing scope; the rest sees the elements. */
        @Override
        List<Expr> children() {
            return List.of(from);
        }
    }
}
