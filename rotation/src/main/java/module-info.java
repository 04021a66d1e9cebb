/**
 * Log rotation on a Baton loop: {@link dev.baton.rotation.Rotation#rotate rotate(path, keep)} and
 * the interval, daily and size policies.
 */
module dev.baton.rotation {
    requires transitive dev.baton.core;
    requires org.slf4j;

    exports dev.baton.rotation;
}
