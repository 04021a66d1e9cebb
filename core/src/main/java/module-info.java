/**
 * Baton's core: the cooperative {@link dev.baton.core.Loop}, its coroutines on virtual threads,
 * generators, the primitives coroutines wait on, and the real and virtual clocks.
 */
module dev.baton.core {
    requires org.slf4j;
    requires java.management; // the watchdog discounts garbage-collection pauses

    exports dev.baton.core;
}
