package dev.baton.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorReclaimTest {

    /**
     * A million generators, each dropped while suspended, in a JVM whose heap could hold a small
     * fraction of their threads: it finishes, and their finally blocks ran. Real time, bounded
     * (240 s): it needs its own JVM to fix the heap size.
     */
    @Test
    void aMillionAbandonedGeneratorsFitInA32MiBHeapAndAreClosed() throws Exception {
        int count = 1_000_000;
        String last = ForkedJvm.lastLine(List.of("-Xmx32m"), AbandonedGenerators.class, 240, String.valueOf(count));
        assertTrue(last.startsWith("created " + count + " sum " + count + " closed "), last);
        long closed = Long.parseLong(last.substring(last.lastIndexOf(' ') + 1));
        // Most are closed while the program runs; the ones dropped since the last collection are not yet.
        assertTrue(closed > count / 2, "closed only " + closed + " of " + count);
        System.out.println("GeneratorReclaimTest: " + last);
    }
}
