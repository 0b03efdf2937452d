package dev.nvmeof.console.internal.ds;

import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;

import dev.nvmeof.console.internal.ConsoleOptions;

/**
 * {@code -v}/{@code -vv} as early as possible: the bnd launcher registers its command line before it starts the
 * bundles, and this component (no logging reference of its own) sets {@value ConsoleOptions#LEVEL_PROPERTY} from it
 * before the logging backend reads its configuration, when the bundle order lets it. If the backend is already up,
 * {@link ConsoleLogLevel} has it read its configuration again. Bad arguments are {@link ConsoleComponent}'s to report.
 */
@Component(immediate = true)
public final class ConsoleLevelComponent {
    @Activate
    public ConsoleLevelComponent(BundleContext context, @Reference(service = Object.class,
            target = "(" + AppliancePhase.LAUNCHER_ARGUMENTS + "=*)", cardinality = ReferenceCardinality.OPTIONAL)
            Map<String, Object> launcher) throws Exception {
        String mode = context.getProperty(ConsoleOptions.MODE_PROPERTY);
        if (launcher == null || mode == null) {
            return;
        }
        ConsoleOptions options;
        try {
            options = ConsoleOptions.parse(List.of((String[]) launcher.get(AppliancePhase.LAUNCHER_ARGUMENTS)),
                    mode.strip(), false, Map.of());
        } catch (ConsoleOptions.UsageException e) {
            return;
        }
        if (!options.levelFromArguments()) {
            return;
        }
        ServiceReference<?> logging = context.getServiceReference("org.osgi.service.log.LoggerFactory");
        if (logging == null) {
            ConsoleLogLevel.setProperties(options.consoleLevel());
        } else {
            ConsoleLogLevel.raise(options.consoleLevel(), context);
        }
    }
}
