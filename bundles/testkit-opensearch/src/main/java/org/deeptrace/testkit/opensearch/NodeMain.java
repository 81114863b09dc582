package org.deeptrace.testkit.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * The main class of a forked OpenSearch node JVM, started by {@link OpenSearchNode}. Arguments are
 * {@code key=value} node settings; the node runs until its parent closes this process's standard input (so a
 * crashed test JVM never leaves a node behind) or the process is killed.
 */
public final class NodeMain {

    private NodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Settings.Builder settings = Settings.builder();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Settings prepared = settings.build();
        Environment env = InternalSettingsPreparer.prepareEnvironment(prepared, new HashMap<>(),
                Path.of(prepared.get("path.home")).resolve("config"), () -> prepared.get("node.name"));
        List<Class<? extends Plugin>> plugins = Arrays.asList(Netty4Plugin.class);
        Node node = new PluginNode(env, plugins);
        node.start();
        System.out.println("deeptrace-testkit: node started");
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(node)));
        waitForParentToLetGo(System.in);
        Runtime.getRuntime().halt(0);
    }

    private static void waitForParentToLetGo(InputStream in) {
        try {
            while (in.read() >= 0) {
                // the parent never writes; EOF means it closed the pipe or died
            }
        } catch (IOException e) {
            // same as EOF
        }
    }

    private static void close(Node node) {
        try {
            node.close();
        } catch (IOException e) {
            e.printStackTrace();
        }
    }

    /** {@link Node}'s plugin-taking constructor is protected: the same trick OpenSearch's own MockNode uses. */
    private static final class PluginNode extends Node {
        PluginNode(Environment env, List<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }
}
