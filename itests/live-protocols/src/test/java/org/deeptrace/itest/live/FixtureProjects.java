package org.deeptrace.itest.live;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The plugins' fixture programs that are small Maven projects of their own (grpc-java, Dubbo, ...): built once
 * per module build into target/fixtures/NAME, with {@code cp.txt} holding their class path, as the record
 * scripts build them. Offline first (the artifacts are usually in the local repository), then online.
 */
final class FixtureProjects {
    private FixtureProjects() {
    }

    static synchronized Path build(String name, Path source) throws Exception {
        Path dir = LiveEnv.WORK.resolveSibling("fixtures").resolve(name);
        if (Files.exists(dir.resolve("cp.txt")) && Files.isDirectory(dir.resolve("target/classes"))) {
            return dir;
        }
        LiveSession.deleteTree(dir);
        Files.createDirectories(dir);
        try (var paths = Files.walk(source)) {
            for (Path p : paths.toList()) {
                Path to = dir.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        String mvnHome = System.getProperty("deeptrace.mavenHome");
        String mvn = mvnHome != null && Files.isExecutable(Path.of(mvnHome, "bin/mvn"))
                ? Path.of(mvnHome, "bin/mvn").toString() : LiveEnv.require("mvn", "maven");
        List<String> goals = List.of("-B", "-q", "-ntp", "compile", "dependency:build-classpath",
                "-Dmdep.outputFile=cp.txt");
        List<String> offline = new ArrayList<>(List.of(mvn, "-o"));
        offline.addAll(goals);
        try {
            Processes.run(dir, dir.resolve("build.log"), Duration.ofMinutes(5), Map.of(), offline);
        } catch (AssertionError notAllOffline) {
            List<String> online = new ArrayList<>(List.of(mvn));
            online.addAll(goals);
            Processes.run(dir, dir.resolve("build.log"), Duration.ofMinutes(10), Map.of(), online);
        }
        return dir;
    }
}
