package dev.baton.core;

/**
 * The confinement rule of the loop-local primitives: a primitive belongs to the loop of the first
 * coroutine that waits on it. Operations that wait must come from that loop's coroutines;
 * the others follow the loop's own rule (its thread while it runs, one thread at a time when not).
 */
final class LoopBound {
    private final String type;
    /** The owning loop; null until a coroutine first waits. Baton holder only. */
    private Scheduler loop;

    LoopBound(String type) {
        this.type = type;
    }

    /** The calling coroutine, which may wait on the primitive; binds it on first use. */
    Coroutine waiter(String operation) {
        Coroutine self = caller(operation);
        self.loop().enterSuspension(self, false);
        return self;
    }

    /**
     * The calling coroutine, for an operation that needs to know it but does not suspend (so does
     * not check cancellation); binds the primitive on first use.
     */
    Coroutine caller(String operation) {
        Coroutine self = Scheduler.currentCoroutine(type + "." + operation);
        if (loop == null) {
            loop = self.loop();
        } else if (loop != self.loop()) {
            throw new IllegalStateException(type + "." + operation + ": this " + type + " belongs to another loop;"
                    + " a primitive serves the coroutines of one loop");
        }
        return self;
    }

    /** Checks a call that does not wait. */
    void check(String operation) {
        if (loop != null) {
            loop.checkLoopThread(type + "." + operation);
        }
    }
}
