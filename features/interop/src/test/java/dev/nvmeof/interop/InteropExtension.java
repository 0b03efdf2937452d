package dev.nvmeof.interop;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * For interop test classes: a {@link GuestUnavailableException} thrown by a test or a {@code @BeforeAll}/
 * {@code @BeforeEach} method (QEMU or a package missing, the guest would not boot) skips the test, unless the
 * environment variable {@code CI} is set: then the test fails, since CI installs everything the harness needs.
 */
public final class InteropExtension implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw translate(throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw translate(throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw translate(throwable);
    }

    private static Throwable translate(Throwable throwable) {
        for (Throwable cause = throwable; cause != null; cause = cause.getCause()) {
            if (cause instanceof GuestUnavailableException unavailable) {
                if (System.getenv("CI") != null) {
                    return new AssertionFailedError("the interop harness cannot run and CI is set (.ci/run installs"
                            + " its packages): " + unavailable.getMessage(), unavailable);
                }
                return new TestAbortedException("interop harness unavailable, test skipped: "
                        + unavailable.getMessage(), unavailable);
            }
        }
        return throwable;
    }
}
