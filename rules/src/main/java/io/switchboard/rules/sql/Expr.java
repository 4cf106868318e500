package io.switchboard.rules.sql;

import io.switchboard.rules.sql.SqlValue.ArrayValue;
import io.switchboard.rules.sql.SqlValue.ObjectValue;
import io.switchboard.rules.sql.SqlValue.StringValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An expression compiled for evaluation: a tree of nodes, each evaluating its children and applying its
 * operation, built once when the statement is parsed (functions resolved, literal patterns compiled, constant
 * parts folded) and then evaluated for each message with no parsing, lookup by name or reflection.
 *
 * <p>Nodes are immutable and may be evaluated by several threads at once. {@link #offset} is where the
 * expression starts in the SQL, for the position of a runtime failure.
 */
abstract class Expr {
    final int offset;

    Expr(int offset) {
        this.offset = offset;
    }

    abstract SqlValue eval(Scope scope);

    /** The sub-expressions evaluated in the same scope as this one (for the analysis of what a statement reads). */
    abstract List<Expr> children();

    /** Whether the value is known without a message. */
    boolean constant() {
        return false;
    }

    /** {@code get(container, key)}, also {@code container[key]}: "Extracts a value from a collection-like type". */
    static SqlValue get(SqlValue container, SqlValue key) {
        if (container instanceof ArrayValue a) {
            Long i = Conversions.toLongFloor(key);
            return i == null || i < 0 || i >= a.items().size() ? SqlValue.UNDEFINED : a.items().get((int) (long) i);
        }
        if (container instanceof StringValue s) {
            Long i = Conversions.toLongFloor(key);
            String str = s.value();
            if (i == null || i < 0 || i >= str.codePointCount(0, str.length())) {
                return SqlValue.UNDEFINED;
            }
            int at = str.offsetByCodePoints(0, (int) (long) i);
            return SqlValue.of(new String(Character.toChars(str.codePointAt(at))));
        }
        if (container instanceof ObjectValue o && key instanceof StringValue k) {
            return o.get(k.value());
        }
        return SqlValue.UNDEFINED;
    }

    static final class Literal extends Expr {
        final SqlValue value;

        Literal(int offset, SqlValue value) {
            super(offset);
            this.value = value;
        }

        @Override
        SqlValue eval(Scope scope) {
            return value;
        }

        @Override
        List<Expr> children() {
            return List.of();
        }

        @Override
        boolean constant() {
            return true;
        }
    }

    /** A bare name: a key of the row (the payload's object at the top). */
    static final class Field extends Expr {
        final String name;

        Field(int offset, String name) {
            super(offset);
            this.name = name;
        }

        @Override
        SqlValue eval(Scope scope) {
            SqlValue row = scope.row();
            return row instanceof ObjectValue o ? o.get(name) : SqlValue.UNDEFINED;
        }

        @Override
        List<Expr> children() {
            return List.of();
        }
    }

    /** {@code target.name}. */
    static final class Member extends Expr {
        final Expr target;
        final String name;

        Member(int offset, Expr target, String name) {
            super(offset);
            this.target = target;
            this.name = name;
        }

        @Override
        SqlValue eval(Scope scope) {
            SqlValue t = target.eval(scope);
            return t instanceof ObjectValue o ? o.get(name) : SqlValue.UNDEFINED;
        }

        @Override
        List<Expr> children() {
            return List.of(target);
        }
    }

    /** {@code target[index]}: as {@code get(target, index)}. */
    static final class Index extends Expr {
        final Expr target;
        final Expr index;

        Index(int offset, Expr target, Expr index) {
            super(offset);
            this.target = target;
            this.index = index;
        }

        @Override
        SqlValue eval(Scope scope) {
            return get(target.eval(scope), index.eval(scope));
        }

        @Override
        List<Expr> children() {
            return List.of(target, index);
        }
    }

    /** {@code *} in an expression: the payload (JSON, or raw bytes), or the element in a nested SELECT. */
    static final class Star extends Expr {
        Star(int offset) {
            super(offset);
        }

        @Override
        SqlValue eval(Scope scope) {
            return scope.star();
        }

        @Override
        List<Expr> children() {
            return List.of();
        }
    }

    /** {@code *} given to {@code encode}: the payload's bytes, "regardless of whether it's in JSON format". */
    static final class RawPayload extends Expr {
        RawPayload(int offset) {
            super(offset);
        }

        @Override
        SqlValue eval(Scope scope) {
            return scope.input.rawPayload();
        }

        @Override
        List<Expr> children() {
            return List.of();
        }
    }

    /** An operator before one operand. */
    abstract static class Unary extends Expr {
        final Expr operand;

        Unary(int offset, Expr operand) {
            super(offset);
            this.operand = operand;
        }

        @Override
        final List<Expr> children() {
            return List.of(operand);
        }
    }

    static final class Negate extends Unary {
        Negate(int offset, Expr operand) {
            super(offset, operand);
        }

        @Override
        SqlValue eval(Scope scope) {
            return Operators.negate(operand.eval(scope));
        }
    }

    static final class Not extends Unary {
        Not(int offset, Expr operand) {
            super(offset, operand);
        }

        @Override
        SqlValue eval(Scope scope) {
            return Operators.not(operand.eval(scope));
        }
    }

    /** An operator between two operands. */
    abstract static class Binary extends Expr {
        final Expr left;
        final Expr right;

        Binary(int offset, Expr left, Expr right) {
            super(offset);
            this.left = left;
            this.right = right;
        }

        @Override
        final List<Expr> children() {
            return List.of(left, right);
        }
    }

    static final class Arithmetic extends Binary {
        final Operators.Arithmetic op;

        Arithmetic(int offset, Operators.Arithmetic op, Expr left, Expr right) {
            super(offset, left, right);
            this.op = op;
        }

        @Override
        SqlValue eval(Scope scope) {
            return Operators.arithmetic(op, left.eval(scope), right.eval(scope));
        }
    }

    static final class Compare extends Binary {
        final Operators.Comparison op;

        Compare(int offset, Operators.Comparison op, Expr left, Expr right) {
            super(offset, left, right);
            this.op = op;
        }

        @Override
        SqlValue eval(Scope scope) {
            return Operators.compare(op, left.eval(scope), right.eval(scope));
        }
    }

    /**
     * AND and OR. Operands are Booleans or "true"/"false" Strings; anything else is Undefined. Undefined is
     * "unknown" as in SQL: {@code false AND x} is false and {@code true OR x} is true whatever x is (and x is not
     * evaluated), otherwise an Undefined operand makes the result Undefined.
     */
    static final class Logical extends Binary {
        final boolean and;

        Logical(int offset, boolean and, Expr left, Expr right) {
            super(offset, left, right);
            this.and = and;
        }

        @Override
        SqlValue eval(Scope scope) {
            Boolean l = Operators.logical(left.eval(scope));
            if (l != null && l != and) {
                return SqlValue.of(l); // false AND ..., true OR ...
            }
            Boolean r = Operators.logical(right.eval(scope));
            if (r != null && r != and) {
                return SqlValue.of(r);
            }
            return l == null || r == null ? SqlValue.UNDEFINED : SqlValue.of(and);
        }
    }

    /** {@code CASE v WHEN t THEN r ... [ELSE e] END}: the first t equal to v; Undefined when v is. */
    static final class Case extends Expr {
        final Expr subject;
        final Expr[] whens;
        final Expr[] thens;
        final Expr otherwise;

        Case(int offset, Expr subject, Expr[] whens, Expr[] thens, Expr otherwise) {
            super(offset);
            this.subject = subject;
            this.whens = whens;
            this.thens = thens;
            this.otherwise = otherwise;
        }

        @Override
        SqlValue eval(Scope scope) {
            SqlValue v = subject.eval(scope);
            if (v == SqlValue.UNDEFINED) {
                return SqlValue.UNDEFINED; // "If v is Undefined, the result of the case statement is Undefined."
            }
            for (int i = 0; i < whens.length; i++) {
                SqlValue t = whens[i].eval(scope);
                if (t != SqlValue.UNDEFINED && Operators.equal(v, t)) {
                    return thens[i].eval(scope);
                }
            }
            return otherwise == null ? SqlValue.UNDEFINED : otherwise.eval(scope);
        }

        @Override
        List<Expr> children() {
            List<Expr> all = new ArrayList<>();
            all.add(subject);
            all.addAll(List.of(whens));
            all.addAll(List.of(thens));
            if (otherwise != null) {
                all.add(otherwise);
            }
            return all;
        }
    }

    /** {@code {'key': value, ...}}: an Object literal; Undefined values are left out. */
    static final class ObjectLiteral extends Expr {
        final String[] keys;
        final Expr[] values;

        ObjectLiteral(int offset, String[] keys, Expr[] values) {
            super(offset);
            this.keys = keys;
            this.values = values;
        }

        @Override
        SqlValue eval(Scope scope) {
            Map<String, SqlValue> members = new LinkedHashMap<>(keys.length * 2);
            for (int i = 0; i < keys.length; i++) {
                SqlValue v = values[i].eval(scope);
                if (v != SqlValue.UNDEFINED) {
                    members.put(keys[i], v);
                }
            }
            return SqlValue.object(members);
        }

        @Override
        List<Expr> children() {
            return List.of(values);
        }
    }

    /** {@code [a, b, ...]}: an Array literal; Undefined items are left out. */
    static final class ArrayLiteral extends Expr {
        final Expr[] items;

        ArrayLiteral(int offset, Expr[] items) {
            super(offset);
            this.items = items;
        }

        @Override
        SqlValue eval(Scope scope) {
            List<SqlValue> out = new ArrayList<>(items.length);
            for (Expr item : items) {
                SqlValue v = item.eval(scope);
                if (v != SqlValue.UNDEFINED) {
                    out.add(v);
                }
            }
            return SqlValue.array(out);
        }

        @Override
        List<Expr> children() {
            return List.of(items);
        }
    }
}
