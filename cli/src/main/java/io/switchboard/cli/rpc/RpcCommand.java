package io.switchboard.cli.rpc;

import io.switchboard.cli.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code switchboard rpc}: request/response from the command line. */
@Command(name = "rpc", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Request/response over MQTT 5 (docs/rpc.md): call a responder, or serve requests",
            "with a command. Works with any MQTT 5 broker."},
        subcommands = {CallCommand.class, ServeCommand.class},
        exitCodeListHeading = "%nExit status (rpc call):%n",
        exitCodeList = {"0:the reply was printed", "1:the broker refused the request, or another failure",
            "2:wrong usage", "3:no reply within --timeout (or the request expired before delivery)",
            "4:no responder is subscribed to the topic", "5:the responder answered with an error",
            "6:the broker could not be reached, or the connection was lost"})
public final class RpcCommand implements Runnable {
    static final int REFUSED = 1;
    static final int TIMEOUT = 3;
    static final int NO_RESPONDER = 4;
    static final int RESPONDER_ERROR = 5;
    static final int CONNECTION = 6;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
