package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.baton.core.*;
import dev.baton.core.Queue;
import dev.baton.core.Semaphore;
import dev.baton.testing.VirtualTime;
import java.util.*;
import java.util.concurrent.*;
import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    @VirtualTime
    void batonsQueueAndSemaphoreWinOverTheWildcardImportsOfJavaUtil(Loop loop) {
        Queue<String> queue = Queue.bounded(1);                  // dev.baton.core.Queue
        Semaphore permits = Semaphore.create(1);                 // dev.baton.core.Semaphore
        List<String> taken = new ArrayList<>();                  // java.util.List, by the wildcard
        Task<Void> consumer = loop.spawn("consumer", () -> {
            permits.acquire();
            taken.add(queue.take());
            permits.release();
        });
        loop.spawn("producer", () -> queue.put("hello"));
        loop.runUntilComplete(consumer);
        assertEquals(List.of("hello"), taken);
    }
}
