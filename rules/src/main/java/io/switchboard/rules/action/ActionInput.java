package io.switchboard.rules.action;

import io.switchboard.rules.sql.RuleInput;

/**
 * What an action runs on.
 *
 * @param rule the rule's name
 * @param message the message the rule ran on (its templates are evaluated against it)
 * @param output the rule's output as JSON bytes (for an error action: the error record)
 */
public record ActionInput(String rule, RuleInput message, byte[] output) {
}
