package dev.nvmeof.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ops4j.pax.exam.Option;

/** Pax Exam options provisioning the runtime and the stack's bundles, by file URL from the build (no downloads). */
final class StackOptions {
    private StackOptions() {
    }

    static Option[] stack() {
        List<Option> options = new ArrayList<>();
        for (String property : List.of("nvmeof.runtime", "nvmeof.bundles")) {
            Arrays.stream(System.getProperty(property, "").split("\\s+")).filter(s -> !s.isBlank())
                    .forEach(path -> options.add(bundle(new File(path).toURI().toString())));
        }
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(junitBundles());
        return options.toArray(new Option[0]);
    }
}
