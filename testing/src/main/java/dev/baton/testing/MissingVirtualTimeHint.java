package dev.baton.testing;

import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Where JUnit's extension auto-detection is off (its default, so {@link MissingVirtualTime} is not
 * registered), a test that takes a {@code Loop} or another type {@link VirtualTime} injects, without
 * {@code @VirtualTime}, fails with JUnit's generic "No ParameterResolver registered". This listener,
 * which JUnit's launcher finds by itself (this jar's {@code META-INF/services}), prints under that
 * failure what to add. It changes no result.
 */
public final class MissingVirtualTimeHint implements TestExecutionListener {
    /*
     * Design notes.
     *
     * Public with a public constructor only because ServiceLoader needs it; it has no API. The
     * launcher registers TestExecutionListeners from the class path without any opt-in, unlike
     * Jupiter extensions; so this is the one place a library can speak up for a test whose
     * parameter nobody resolved.
     */

    /** For ServiceLoader. */
    public MissingVirtualTimeHint() {
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        result.getThrowable().map(failure -> hint(test.getDisplayName(), failure)).ifPresent(System.err::println);
    }

    /** The hint for {@code failure}, or null if it is not a parameter of ours nobody resolved. */
    static String hint(String test, Throwable failure) {
        if (!(failure instanceof ParameterResolutionException) || failure.getMessage() == null
                || !failure.getMessage().startsWith("No ParameterResolver registered for parameter [")) {
            return null;
        }
        for (Class<?> type : VirtualTimeExtension.INJECTED) { // loaded only for such a failure
            if (failure.getMessage().contains("[" + type.getName() + " ")) {
                return "baton-testing: " + test + " takes a " + type.getSimpleName()
                        + " parameter, which @VirtualTime injects: annotate the test method or its class with"
                        + " @VirtualTime (import dev.baton.testing.VirtualTime)";
            }
        }
        return null;
    }
}
