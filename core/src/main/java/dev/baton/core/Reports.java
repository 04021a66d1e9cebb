package dev.baton.core;

import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.helpers.NOPLogger;

/**
 * How the loop tells a person something went wrong: through SLF4J, and on standard error when
 * SLF4J has nowhere to send it (no provider bound, a library user's default) or when logging
 * itself fails. Nothing here throws: a report runs on the thread that holds the baton, and an
 * exception there would freeze the loop.
 */
final class Reports {
    private Reports() {
    }

    /** Logs {@code message} and {@code failure} at ERROR, or prints them if logging goes nowhere. */
    static void error(Logger log, String message, Throwable failure) {
        if (!(log instanceof NOPLogger)) {
            try {
                log.error(message, failure);
                return;
            } catch (Throwable loggingFailed) {
                print("logging failed (" + describe(loggingFailed) + "); " + message, failure);
                return;
            }
        }
        print(message, failure);
    }

    /** Logs {@code message} at WARN, or prints it if logging goes nowhere. */
    static void warn(Logger log, String message) {
        warn(log, message, null);
    }

    /** Logs {@code message} and {@code failure} (may be null) at WARN, or prints them if logging goes nowhere. */
    static void warn(Logger log, String message, Throwable failure) {
        if (!(log instanceof NOPLogger)) {
            try {
                log.warn(message, failure);
                return;
            } catch (Throwable loggingFailed) {
                print("logging failed (" + describe(loggingFailed) + "); " + message, failure);
                return;
            }
        }
        print(message, failure);
    }

    /** {@code String.valueOf(value)}, or its class name if its toString() throws. */
    static String describeValue(Object value) {
        try {
            return String.valueOf(value);
        } catch (Throwable broken) {
            return value.getClass().getName() + " (its toString() threw " + broken.getClass().getName() + ")";
        }
    }

    /** {@code failure.toString()}, or its class name if even that throws. */
    static String describe(Throwable failure) {
        try {
            return String.valueOf(failure);
        } catch (Throwable broken) {
            return failure.getClass().getName() + " (its message could not be read: " + broken.getClass().getName() + ")";
        }
    }

    private static void print(String message, Throwable failure) {
        try {
            PrintStream err = System.err;
            err.println("baton: " + message);
            if (failure != null) {
                try {
                    failure.printStackTrace(err);
                } catch (Throwable broken) {
                    err.println(describe(failure));
                }
            }
        } catch (Throwable ignored) {
            // Standard error itself is gone: there is no one left to tell.
        }
    }
}
