package org.clusterdrill.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every test method a {@link Drill}, injectable as a parameter, and writes its JSON and HTML
 * reports after the test, also when the test failed.
 *
 * <p>Platform annotations such as {@code @SwarmCluster} register this extension themselves. Each
 * phase's duration is also published as a JUnit report entry named {@code drill.<phase>.millis}.
 */
public class DrillExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(DrillExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DrillExtension.class);
    private static final String DRILL_KEY = "drill";

    /** Returns the drill of the test that the context belongs to, if one is running. */
    public static Optional<Drill> current(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE).get(DRILL_KEY, Drill.class));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        context.getStore(NAMESPACE).put(DRILL_KEY, new Drill(name));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Drill drill = context.getStore(NAMESPACE).remove(DRILL_KEY, Drill.class);
        if (drill == null) {
            return;
        }
        Optional<Throwable> failure = context.getExecutionException();
        String outcome = failure.isEmpty() ? "passed"
                : failure.get() instanceof org.opentest4j.TestAbortedException ? "aborted" : "failed";
        for (PhaseRecord phase : drill.phases()) {
            context.publishReportEntry("drill." + phase.phase().label() + ".millis", String.valueOf(phase.duration().toMillis()));
        }
        drill.recoveryTime().ifPresent(recovery ->
                context.publishReportEntry("drill.recovery.millis", String.valueOf(recovery.toMillis())));
        try {
            Path report = DrillReportWriter.write(drill, drill.name() + uniqueSuffix(context), outcome,
                    failure.map(Throwable::getMessage).orElse(null));
            Path page = report.resolveSibling(report.getFileName().toString().replaceFirst("\\.json$", ".html"));
            LOG.info("Drill '{}' {}; report: {}", drill.name(), outcome, page.toAbsolutePath());
        } catch (IOException e) {
            // The test's own outcome matters more than its report, so the failure is logged, not thrown.
            LOG.error("Could not write the report of drill '{}'", drill.name(), e);
        }
    }

    private static String uniqueSuffix(ExtensionContext context) {
        String id = context.getUniqueId();
        return id.contains("invocation:") ? "-" + Integer.toHexString(id.hashCode()) : "";
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Drill.class
                && parameterContext.getDeclaringExecutable() instanceof java.lang.reflect.Method;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return current(extensionContext).orElseThrow(() -> new org.junit.jupiter.api.extension.ParameterResolutionException(
                "A Drill exists only while a test method runs; inject it into a test method or a @BeforeEach or @AfterEach method"));
    }
}
