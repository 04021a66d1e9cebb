package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OneCarrierTest {

    /**
     * Primitives park virtual threads, never carriers: with exactly one carrier thread (and the
     * scheduler forbidden to add one), a producer and a consumer still run to the end; a blocked
     * carrier would leave them hanging until the 30 s bound. Real time, bounded: it needs its own
     * JVM for the scheduler settings.
     */
    @Test
    void primitivesNeverBlockTheOnlyCarrier() throws Exception {
        String last = ForkedJvm.lastLine(ForkedJvm.ONE_SHARED_CARRIER, OneCarrierPrimitives.class, 30);
        assertEquals("took 1, took 2, took 3, producer saw done", last);
    }
}
