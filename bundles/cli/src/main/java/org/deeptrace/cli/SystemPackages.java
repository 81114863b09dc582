package org.deeptrace.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * The packages the system bundle exports on top of the JDK's ({@code org.osgi.framework.system.packages.extra}).
 *
 * <p>The launcher itself uses the DeepTrace API (ReplayService, ReplayRequest, ReplayReport) and the ConfigAdmin
 * API. Exporting them from the system bundle, with the versions their jars declare, makes the bundles wire to the
 * very classes the launcher holds; so the API bundle is not installed, and the service objects are usable
 * without reflection. The exports are read from the jars' own manifests, so they follow the API's versions.
 */
final class SystemPackages {

    /** Symbolic names of the class-path jars whose packages the system bundle exports. */
    static final List<String> SHARED_BUNDLES = List.of("org.deeptrace.api", "org.osgi.service.cm");

    private SystemPackages() {
    }

    /** The Export-Package headers of the class-path jars named in {@link #SHARED_BUNDLES}, joined. */
    static String extraExports(ClassLoader loader) throws CliException {
        Map<String, String> exports = new LinkedHashMap<>();
        try {
            Enumeration<URL> manifests = loader.getResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                URL url = manifests.nextElement();
                Attributes main;
                try (InputStream in = url.openStream()) {
                    main = new Manifest(in).getMainAttributes();
                }
                String bsn = symbolicName(main.getValue("Bundle-SymbolicName"));
                String export = main.getValue("Export-Package");
                if (bsn != null && export != null && SHARED_BUNDLES.contains(bsn)) {
                    exports.putIfAbsent(bsn, export);
                }
            }
        } catch (IOException e) {
            throw CliException.failed("cannot read the launcher's class path: " + e.getMessage(), e);
        }
        for (String bsn : SHARED_BUNDLES) {
            if (!exports.containsKey(bsn)) {
                throw CliException.failed("the jar of bundle " + bsn + " is not on the launcher's class path (lib/cli/)");
            }
        }
        return String.join(",", new ArrayList<>(exports.values()));
    }

    /** {@code org.foo;singleton:=true} gives {@code org.foo}. */
    static String symbolicName(String header) {
        if (header == null) {
            return null;
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).strip();
    }
}
