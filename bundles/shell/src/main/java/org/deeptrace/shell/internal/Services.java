package org.deeptrace.shell.internal;

import org.apache.karaf.shell.support.CommandException;

/**
 * The commands take their services as optional references, so they stay listed while the pipeline is down;
 * this turns a missing one into a one-line message instead of a NullPointerException.
 */
final class Services {
    private Services() {
    }

    static <T> T require(T service, String what) throws CommandException {
        if (service == null) {
            throw new CommandException(what + " is not available: is the DeepTrace pipeline installed and started?");
        }
        return service;
    }
}
