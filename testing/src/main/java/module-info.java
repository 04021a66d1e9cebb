/**
 * Testing on virtual time: the {@link dev.baton.testing.VirtualTime @VirtualTime} JUnit 5
 * extension, {@link dev.baton.testing.Trace} and {@link dev.baton.testing.LoopTester}.
 */
module dev.baton.testing {
    requires transitive dev.baton.core;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.commons;
    requires org.opentest4j;
    // For MissingVirtualTimeHint; a JUnit runner always brings the launcher.
    requires static org.junit.platform.launcher;
    // The real-time guard reads the JVM's arguments (ManagementFactory) to see whether a debugger is attached.
    requires java.management;

    exports dev.baton.testing;
    provides org.junit.platform.launcher.TestExecutionListener with dev.baton.testing.MissingVirtualTimeHint;
    // JUnit creates the package-private extension that @VirtualTime names by reflection.
    opens dev.baton.testing to org.junit.platform.commons;
}
