package org.clusterdrill.k8s;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated {@link KindCluster} class only where kind can start a cluster: the
 * {@code kind} binary is on {@code PATH} and the class's node image is in the Docker engine.
 * Elsewhere the class is skipped with a reason that names what is missing.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(KindAvailableCondition.class)
public @interface EnabledIfKindAvailable {
}
