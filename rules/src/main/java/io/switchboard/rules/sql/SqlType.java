package io.switchboard.rules.sql;

/** The types of AWS IoT SQL ("Data types" in its reference), and Binary for a payload that is not JSON. */
public enum SqlType {
    INT("Int"),
    DECIMAL("Decimal"),
    BOOLEAN("Boolean"),
    STRING("String"),
    ARRAY("Array"),
    OBJECT("Object"),
    NULL("Null"),
    UNDEFINED("Undefined"),
    BINARY("Binary");

    private final String awsName;

    SqlType(String awsName) {
        this.awsName = awsName;
    }

    /** The name AWS's reference uses: {@code Int}, {@code Decimal}, ... */
    public String awsName() {
        return awsName;
    }
}
