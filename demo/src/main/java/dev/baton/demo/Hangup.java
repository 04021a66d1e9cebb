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
     * signal cannot be handled (started under nohup, which ignores it), nothing changes.
     */

    private Hangup() {
    }

    /**
     * Handles SIGHUP from now on: notes it in {@code seen}, says so on {@code err}, and exits.
     *
     * @return whether the handler was installed
     */
    @SuppressWarnings("removal") // sun.misc.Signal: the JDK's only way to tell one signal from another
    static boolean handle(AtomicBoolean seen, PrintStream err) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                seen.set(true);
                err.println("baton-demo: SIGHUP: stopping; Baton does not reload its config: it exits with code "
                        + Main.HANGUP + ", on which the systemd unit starts it again with the config as it is now");
                err.flush();
                Thread.ofPlatform().name("baton-demo-hangup").start(() -> System.exit(Main.HANGUP));
            });
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException ignoredOrTaken) {
            return false; // ignored (nohup) or used by the JVM (-Xrs): the default stays
        }
    }
}
