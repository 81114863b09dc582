package org.deeptrace.api.runtime;

/**
 * A plugin service as the platform sees it.
 *
 * @param name the protocol, correlator or sender name
 * @param bundle symbolic name of the bundle that provides it
 * @param version that bundle's version
 * @param active whether the pipeline uses it now (the chosen correlator, an attached sender)
 */
public record PluginInfo(String name, String bundle, String version, boolean active) {
}
