package dev.baton.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that fails on purpose: the extension's tests run it through
 * {@link EngineKit} and assert how it fails. Surefire excludes the tag (see the pom), and any other
 * launcher, such as an IDE running the whole package, sees it skipped.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Tag(Fixture.TAG)
@ExtendWith(Fixture.OnlyThroughEngineKit.class)
@interface Fixture {
    String TAG = "engine-kit-fixture";

    /** Enables a fixture only when {@link EngineKit} runs it. */
    final class OnlyThroughEngineKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(EngineKit.ENABLE).isPresent()
                    ? ConditionEvaluationResult.enabled("run by EngineKit")
                    : ConditionEvaluationResult.disabled("a fixture that fails on purpose; its test runs it through EngineKit");
        }
    }
}
