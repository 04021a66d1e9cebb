package dev.baton.core;

/**
 * A coroutine drives a generator whose body yields inside a class initializer, in a JVM with one
 * carrier for the loop (run by DiagnosticsTest): the body, parked inside the initializer, pins the
 * carrier, so the coroutine it handed the value to can never run again. The watchdog must name
 * both; this prints the warning and exits, or exits with 1 after 20 s of silence.
 */
public final class PinnedGenerator {
    private PinnedGenerator() {
    }

    /** The body's yielder, for the initializer to reach. */
    static volatile Generator.Yielder<String> yielder;

    /** Its initializer yields: the mistake this detects. */
    static final class Table {
        static final String VALUE;

        static {
            yielder.yield("from inside <clinit>");
            VALUE = "loaded";
        }

        private Table() {
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Loop loop = Loop.create();
        loop.spawn("driver", () -> {
            Generator<String> g = Generator.of(y -> {
                yielder = y;
                y.yield(Table.VALUE);
            });
            return g.next();
        });
        Thread.ofPlatform().daemon().start(loop::runForever);
        ForkedJvm.exitWithFirstLogContaining("'driver'");
    }
}
