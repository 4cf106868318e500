package io.switchboard.cli;

import picocli.CommandLine;

/** The version printed by {@code --version} and in the first log line. */
public final class Version implements CommandLine.IVersionProvider {

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Switchboard " + current()};
    }
}
