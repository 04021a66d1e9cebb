package dev.baton.rotation;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One rotation attempt by a {@link RotationPolicy}, as reported to its {@link RotationListener}.
 *
 * @param instant the loop clock's wall time when the attempt was made
 * @param path the file the policy rotates
 * @param policy the policy's kind: {@code "interval"}, {@code "daily"} or {@code "size"}
 * @param outcome what happened
 * @param error why it failed: non-null when {@code outcome} is {@link Outcome#FAILED}; with
 *     {@link Outcome#ROTATED}, the failure of a step after the rotation (the postrotate script, a
 *     compression, removing an old version, recording it in the state file), which stands, or
 *     null if none failed; null for the skips
 */
public record RotationEvent(Instant instant, Path path, String policy, Outcome outcome, Throwable error) {

    /** What a rotation attempt did. */
    public enum Outcome {
        /** The file was rotated; {@link RotationEvent#error()} is set if a step after it failed (postrotate, compression, removing an old version, the state record). */
        ROTATED,
        /** The file did not exist, so there was nothing to rotate; this is normal. */
        SKIPPED_MISSING,
        /** The file was empty and the options say {@code notifempty}. */
        SKIPPED_EMPTY,
        /** A time-triggered rotation found the file smaller than {@code minsize}. */
        SKIPPED_SMALL,
        /** The rotation failed; {@link RotationEvent#error()} says why. It was also logged. */
        FAILED
    }

    /**
     * Checks the components.
     *
     * @throws NullPointerException if any argument but {@code error} is null
     * @throws IllegalArgumentException if {@code error} is null for a failure, or set for a skip
     */
    public RotationEvent {
        Objects.requireNonNull(instant, "instant must not be null");
        Objects.requireNonNull(path, "path must not be null");
        Objects.requireNonNull(policy, "policy must not be null");
        Objects.requireNonNull(outcome, "outcome must not be null");
        if (outcome == Outcome.FAILED ? error == null : error != null && outcome != Outcome.ROTATED) {
            throw new IllegalArgumentException("error must be set when the outcome is FAILED, may be set when it is ROTATED"
                    + " (a step after the rotation failed), and must not be set otherwise; outcome was " + outcome + ", error " + error);
        }
    }

    /**
     * Whether anything failed: the rotation, or a step after it.
     *
     * @return true if {@link #error()} is set
     */
    public boolean hasError() {
        return error != null;
    }
}
