package dev.baton.demo;

/** Bad command-line arguments: the message is the one-line reason, naming the option. Exit code 2. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
