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
        if (!(log instanceof NOPLogger)) {
            try {
                log.warn(message);
                return;
            } catch (Throwable loggingFailed) {
                print("logging failed (" + describe(loggingFailed) + "); " + message, null);
                return;
            }
        }
        print(message, null);
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
