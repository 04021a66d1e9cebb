/**
 * The runnable demo: the seed program's four rotation policies, a config file, and
 * {@code --simulate} on virtual time. Its main class is {@code dev.baton.demo.Main}.
 */
@SuppressWarnings("requires-automatic") // Jimfs: see below
module dev.baton.demo {
    requires dev.baton.core;
    requires dev.baton.rotation;
    requires org.slf4j;
    // sun.misc.Signal, to tell SIGHUP from SIGTERM (Hangup).
    requires jdk.unsupported;
    // --simulate runs on an in-memory file system.
    requires com.google.common.jimfs;
    // Jimfs is an automatic module, which declares nothing it needs; Guava is named here for it.
    requires com.google.common;
}
