package dev.baton.demo;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGHUP for a real run. Daemons reload on it; Baton does not reload its config, so a hangup stops
 * the run cleanly, as SIGTERM does, but says why on stderr and ends with {@link Main#HANGUP}: a
 * systemd unit with {@code Restart=on-failure} then starts it again, which reads the config as it
 * is now, while a terminal's hangup stops it as before.
 */
final class Hangup {
    /*
     * Design notes.
     *
     * The JVM's own SIGHUP handling runs the shutdown hooks with nothing to tell that signal from
     * SIGTERM, so the run could only exit 0. sun.misc.Signal (jdk.unsupported, in every JDK) lets
     * the demo see it: the handler notes the hangup, then starts the same exit the other signals
     * take, so the run's shutdown hook stops the loop and ends the JVM with this code. Where the
     * signal cannot be handled, nothing changes: started under nohup, which ignores it, the JVM
     * leaves it ignored (sun.misc.Signal then returns SIG_IGN and installs nothing), as the operator
     * asked; with -Xrs the JVM refuses it.
     */

    private Hangup() {
    }

    /**
     * Handles SIGHUP from now on, unless the process ignores it (nohup) or the JVM keeps it (-Xrs):
     * notes it in {@code seen}, says so on {@code err}, and exits.
     */
    @SuppressWarnings("removal") // sun.misc.Signal: the JDK's only way to tell one signal from another
    static void handle(AtomicBoolean seen, PrintStream err) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                seen.set(true);
                err.println("baton-demo: SIGHUP: stopping; Baton does not reload its config: it exits with code "
                        + Main.HANGUP + ", on which the systemd unit starts it again with the config as it is now");
                err.flush();
                Thread.ofPlatform().name("baton-demo-hangup").start(() -> System.exit(Main.HANGUP));
            });
        } catch (IllegalArgumentException | UnsupportedOperationException takenByTheJvm) {
            // -Xrs: the JVM's default stays
        }
    }
}
