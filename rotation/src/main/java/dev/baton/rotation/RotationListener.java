package dev.baton.rotation;

/**
 * Observes every rotation attempt of a {@link RotationPolicy}, without parsing logs.
 *
 * <p>Thread rules: it is called on the policy's coroutine, holding the loop's baton, right after
 * the attempt and before the policy schedules its next one. It may therefore touch state shared
 * with other coroutines of the same loop without locks, and it may suspend ({@code Loop.sleep}),
 * which delays this policy only: the interval and size policies stay on their fixed-rate schedule
 * as long as the listener returns within one period. A listener that throws a
 * {@link RuntimeException} is logged and ignored; the policy goes on.
 */
@FunctionalInterface
public interface RotationListener {
    /**
     * Called once per rotation attempt; see the interface documentation for the thread rules.
     *
     * @param event what was attempted, when, and how it ended
     */
    void onRotation(RotationEvent event);
}
