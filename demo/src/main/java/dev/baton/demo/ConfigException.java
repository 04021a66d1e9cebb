package dev.baton.demo;

import java.util.List;

/** A config file that cannot be used: every error found, each as {@code FILE:LINE: reason}. Exit code 2. */
final class ConfigException extends Exception {
    private final List<String> errors;

    ConfigException(List<String> errors) {
        super(String.join(System.lineSeparator(), errors));
        this.errors = List.copyOf(errors);
    }

    /** The errors in the order of the file, each {@code FILE:LINE: reason}. */
    List<String> errors() {
        return errors;
    }
}
