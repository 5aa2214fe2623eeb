package org.clusterdrill.k8s;

import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Disables a {@link KindCluster} class where {@link KindPreconditions} finds something missing. */
class KindAvailableCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<KindCluster> annotation = context.getTestClass()
                .flatMap(type -> AnnotationSupport.findAnnotation(type, KindCluster.class));
        if (annotation.isEmpty()) {
            return ConditionEvaluationResult.enabled("no @KindCluster on " + context.getDisplayName());
        }
        Optional<String> missing = KindPreconditions.missing(KindSettings.from(annotation.get()));
        return missing.map(reason -> ConditionEvaluationResult.disabled("Skipped because kind cannot run here: " + reason))
                .orElseGet(() -> ConditionEvaluationResult.enabled("kind and its node image are available"));
    }
}
