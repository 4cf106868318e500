package io.switchboard.cli;

import io.switchboard.cli.rpc.RpcCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code switchboard} command: subcommands for the broker and for request/response. */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Switchboard: an MQTT 5 broker and request/response toolkit.",
        subcommands = {BrokerCommand.class, RpcCommand.class, PasswdCommand.class, TokenCommand.class,
            CommandLine.HelpCommand.class})
public final class SwitchboardCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SwitchboardCommand()).execute(args));
    }
}
