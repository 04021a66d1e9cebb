package dev.baton.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Turns JUnit's generic "No ParameterResolver registered" for a {@code Loop}, {@code Trace} or
 * other type {@link VirtualTime} injects, on a test without {@code @VirtualTime}, into an error
 * that says what to add. Registered through JUnit's extension auto-detection (this jar's
 * {@code META-INF/services}), which is off unless the JUnit configuration parameter
 * {@code junit.jupiter.extensions.autodetection.enabled} is {@code true}. Where
 * {@code @VirtualTime} applies, it steps aside.
 */
public final class MissingVirtualTime implements ParameterResolver {
    /*
     * Design notes.
     *
     * Public with a public constructor only because ServiceLoader needs it; it has no API. It
     * claims the parameter (supportsParameter true) so that JUnit calls resolveParameter, whose
     * exception JUnit reports as the test's failure.
     */

    /** For ServiceLoader. */
    public MissingVirtualTime() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return VirtualTimeExtension.INJECTED.contains(parameter.getParameter().getType()) && !underVirtualTime(context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        throw new ParameterResolutionException("the " + parameter.getParameter().getType().getSimpleName() + " parameter of "
                + parameter.getDeclaringExecutable() + " needs @VirtualTime on the test method or its class:"
                + " it gives each test its own loop and injects Loop, VirtualClock, LoopClock, Trace, LoopTester,"
                + " java.time.Clock and ScheduledExecutorService (import dev.baton.testing.VirtualTime)");
    }

    private static boolean underVirtualTime(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<AnnotatedElement> element = c.get().getElement();
            if (element.flatMap(e -> AnnotationSupport.findAnnotation(e, VirtualTime.class)).isPresent()) {
                return true;
            }
        }
        return false;
    }
}
