package org.deeptrace.cli;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Explains why a service did not appear: bundles that did not start, and Declarative Services components that
 * are not satisfied (missing reference, missing required configuration, failed activation).
 *
 * <p>The DS runtime API lives in a bundle, not on the launcher's class path, so its DTOs are read by
 * reflection; this runs only on the failure path.
 */
final class ComponentDiagnostics {

    private static final String SCR = "org.osgi.service.component.runtime.ServiceComponentRuntime";
    private static final String DESCRIPTION_DTO = "org.osgi.service.component.runtime.dto.ComponentDescriptionDTO";
    // ComponentConfigurationDTO states
    private static final int UNSATISFIED_CONFIGURATION = 1;
    private static final int UNSATISFIED_REFERENCE = 2;
    private static final int FAILED_ACTIVATION = 16;

    private ComponentDiagnostics() {
    }

    /** One line per problem found, indented for printing under the error message. */
    static List<String> explain(BundleContext context, Map<Bundle, String> startFailures) {
        List<String> lines = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getBundleId() == 0 || bundle.getState() == Bundle.ACTIVE
                    || bundle.getHeaders().get("Fragment-Host") != null) {
                continue;
            }
            String reason = startFailures.getOrDefault(bundle, stateName(bundle.getState()));
            lines.add("  bundle " + bundle.getSymbolicName() + " " + bundle.getVersion() + " not started: " + reason);
        }
        try {
            lines.addAll(components(context));
        } catch (ReflectiveOperationException | RuntimeException e) {
            lines.add("  (components could not be inspected: " + e + ")");
        }
        return lines;
    }

    private static List<String> components(BundleContext context) throws ReflectiveOperationException {
        ServiceReference<?> ref = context.getServiceReference(SCR);
        if (ref == null) {
            return List.of("  no Declarative Services runtime (org.apache.felix.scr) is running");
        }
        Object scr = context.getService(ref);
        try {
            Class<?> api = ref.getBundle().loadClass(SCR);
            Class<?> descriptionType = ref.getBundle().loadClass(DESCRIPTION_DTO);
            Method descriptions = api.getMethod("getComponentDescriptionDTOs", Bundle[].class);
            Method configurations = api.getMethod("getComponentConfigurationDTOs", descriptionType);
            Method enabled = api.getMethod("isComponentEnabled", descriptionType);
            List<String> lines = new ArrayList<>();
            for (Object description : (Collection<?>) descriptions.invoke(scr, (Object) new Bundle[0])) {
                if (!(Boolean) enabled.invoke(scr, description)) {
                    continue;
                }
                String name = (String) field(description, "name");
                Collection<?> configs = (Collection<?>) configurations.invoke(scr, description);
                if (configs.isEmpty() && "require".equals(field(description, "configurationPolicy"))) {
                    lines.add("  component " + name + " waits for its configuration (pid "
                            + String.join(", ", (String[]) field(description, "configurationPid")) + ")");
                }
                for (Object config : configs) {
                    int state = (Integer) field(config, "state");
                    if (state == UNSATISFIED_REFERENCE) {
                        lines.add("  component " + name + " is missing " + unsatisfied(config));
                    } else if (state == UNSATISFIED_CONFIGURATION) {
                        lines.add("  component " + name + " waits for its configuration");
                    } else if (state == FAILED_ACTIVATION) {
                        lines.add("  component " + name + " failed to activate: " + optionalField(config, "failure"));
                    }
                }
            }
            return lines;
        } finally {
            context.ungetService(ref);
        }
    }

    private static String unsatisfied(Object config) throws ReflectiveOperationException {
        Object references = field(config, "unsatisfiedReferences");
        List<String> names = new ArrayList<>();
        for (int i = 0; references != null && i < Array.getLength(references); i++) {
            Object reference = Array.get(references, i);
            String target = (String) field(reference, "target");
            names.add("reference " + field(reference, "name") + (target == null ? "" : " " + target));
        }
        return names.isEmpty() ? "a reference" : String.join(", ", names);
    }

    private static Object field(Object dto, String name) throws ReflectiveOperationException {
        Field field = dto.getClass().getField(name);
        return field.get(dto);
    }

    private static Object optionalField(Object dto, String name) {
        try {
            return field(dto, name);
        } catch (ReflectiveOperationException e) {
            return "(no reason given)";
        }
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "not resolved (installed)";
            case Bundle.RESOLVED -> "resolved, not started";
            case Bundle.STARTING -> "starting (lazy activation)";
            case Bundle.STOPPING -> "stopping";
            default -> "state " + state;
        };
    }
}
