package org.deeptrace.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The plugin SDK end to end, as a third-party author uses it: generate a project from the installed archetype
 * ({@code mvn archetype:generate}, offline), build it with its own tests ({@code mvn package}), drop the bundle
 * into {@code deploy/} of a running distribution, see the protocol listed and parsing its own fixture pcap in
 * the container and in {@code bin/deeptrace replay}, then delete the bundle and see it gone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginSdkIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String PROTOCOL = "SdkProbe";
    static final String PACKAGE = "com.example.itest.sdkprobe";
    static final String ARTIFACT = "sdkprobe-protocol";
    static final String VERSION = "1.2.0";
    static final String GOLDEN = "src/test/resources/golden/example.messages.jsonl";
    static final String PCAP = "src/test/resources/golden/example.pcap";

    Path work;
    Path project;
    Path bundle;
    Distribution dist;

    @BeforeAll
    void cleanWorkDir() throws IOException {
        work = Distribution.WORK.resolve("sdk");
        Distribution.deleteTree(work);
        Files.createDirectories(work);
        project = work.resolve(ARTIFACT);
    }

    @AfterAll
    void shutdown() throws Exception {
        if (dist != null) {
            dist.stop();
        }
    }

    @Test
    @Order(1)
    void theArchetypeGeneratesAPluginProjectOffline() throws Exception {
        Distribution.Result r = mvn(work, "org.apache.maven.plugins:maven-archetype-plugin:"
                        + System.getProperty("deeptrace.archetypePluginVersion") + ":generate",
                "-DarchetypeGroupId=org.deeptrace", "-DarchetypeArtifactId=deeptrace-protocol-archetype",
                "-DarchetypeVersion=" + System.getProperty("deeptrace.version"),
                "-DgroupId=com.example.itest", "-DartifactId=" + ARTIFACT, "-Dversion=" + VERSION,
                "-Dpackage=" + PACKAGE, "-DprotocolName=" + PROTOCOL, "-DinteractiveMode=false");
        assertEquals(0, r.code(), r.toString());
        Path sources = project.resolve("src/main/java/" + PACKAGE.replace('.', '/') + "/internal");
        for (Path p : List.of(project.resolve("pom.xml"), project.resolve("README.md"), project.resolve(".gitignore"),
                sources.resolve(PROTOCOL + "Protocol.java"), sources.resolve(PROTOCOL + "Parser.java"),
                project.resolve(PCAP), project.resolve(GOLDEN), project.resolve("src/test/recording/record.sh"))) {
            assertTrue(Files.isRegularFile(p), "generated: " + p);
        }
        String component = Files.readString(sources.resolve(PROTOCOL + "Protocol.java"));
        assertTrue(component.contains("package " + PACKAGE + ".internal;"), component);
        assertTrue(component.contains("PROTOCOL = \"" + PROTOCOL + "\""), component);
        assertTrue(Files.readAllLines(project.resolve(GOLDEN)).stream()
                .allMatch(l -> l.contains("\"protocol\":\"" + PROTOCOL + "\"")), "the golden records carry the name");
    }

    @Test
    @Order(2)
    void theGeneratedProjectBuildsABundleAndItsOwnTestsPass() throws Exception {
        Distribution.Result r = mvn(project, "package");
        assertEquals(0, r.code(), r.toString());
        bundle = project.resolve("target/" + ARTIFACT + "-" + VERSION + ".jar");
        assertTrue(Files.isRegularFile(bundle), bundle.toString());

        int tests = 0;
        int failed = 0;
        List<String> classes = new ArrayList<>();
        try (Stream<Path> reports = Files.list(project.resolve("target/surefire-reports"))) {
            for (Path report : (Iterable<Path>) reports.filter(p -> p.getFileName().toString().startsWith("TEST-"))::iterator) {
                String xml = Files.readString(report);
                tests += attribute(xml, "tests");
                failed += attribute(xml, "failures") + attribute(xml, "errors");
                classes.add(report.getFileName().toString());
            }
        }
        assertTrue(classes.stream().anyMatch(c -> c.contains(PROTOCOL + "GoldenTest")), classes.toString());
        assertTrue(classes.stream().anyMatch(c -> c.contains(PROTOCOL + "ParserTest")), classes.toString());
        assertTrue(tests >= 10, "the generated tests ran: " + tests);
        assertEquals(0, failed);

        String manifest = manifest(bundle);
        assertTrue(manifest.contains("Bundle-SymbolicName: " + PACKAGE), manifest);
        assertTrue(manifest.contains("Service-Component:"), manifest);
        assertTrue(manifest.replace("\r\n ", "").contains("org.deeptrace.api.protocol;version=\"[1."), manifest);
    }

    @Test
    @Order(3)
    void theBundleHotDeploysParsesItsFixtureAndLeavesCleanly() throws Exception {
        dist = Distribution.freshCopy("sdk-container");
        dist.start();
        assertFalse(hasProtocol(), "not there before the drop");

        Path deployed = dist.home().resolve("deploy/" + bundle.getFileName());
        Files.copy(bundle, deployed, StandardCopyOption.REPLACE_EXISTING);
        Distribution.await(WAIT, PROTOCOL + " among the protocols", this::hasProtocol);
        JsonNode entry = protocolEntry();
        assertEquals(PACKAGE, entry.get("bundle").asText());
        assertEquals(VERSION, entry.get("version").asText());

        List<String> golden = Files.readAllLines(project.resolve(GOLDEN));
        Path pcap = project.resolve(PCAP);

        // Through the running container: the hot-deployed parser turns the fixture into the golden records.
        Path containerOut = work.resolve("container.messages.jsonl");
        Distribution.Result shell = dist.client("deeptrace:replay --no-publish --messages " + containerOut + " " + pcap + "\n");
        assertEquals(0, shell.code(), shell.toString());
        assertEquals(golden, ownMessages(containerOut), "container replay of the fixture:\n" + shell.out());

        // Offline: bin/deeptrace replay installs the plugins of deploy/ as well.
        Path cliOut = work.resolve("cli.messages.jsonl");
        Distribution.Result cli = dist.run(work, "replay", pcap.toString(), "--messages", cliOut.toString());
        assertEquals(0, cli.code(), cli.toString());
        assertEquals(golden, ownMessages(cliOut), "bin/deeptrace replay of the fixture:\n" + cli.out());

        Files.delete(deployed);
        Distribution.await(WAIT, PROTOCOL + " gone from the protocols", () -> !hasProtocol());
        assertTrue(protocolNames().contains("HTTP1"), "the other plugins stay");

        Path withoutOut = work.resolve("cli-without.messages.jsonl");
        Distribution.Result without = dist.run(work, "replay", pcap.toString(), "--messages", withoutOut.toString());
        assertEquals(0, without.code(), without.toString());
        assertEquals(List.of(), ownMessages(withoutOut), "without the bundle nobody parses " + PROTOCOL);
    }

    private static List<String> ownMessages(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.contains("\"protocol\":\"" + PROTOCOL + "\"")).toList();
    }

    private boolean hasProtocol() {
        return protocolNames().contains(PROTOCOL);
    }

    private List<String> protocolNames() {
        List<String> names = new ArrayList<>();
        try {
            for (JsonNode p : JSON.readTree(dist.get("protocols").body())) {
                names.add(p.get("name").asText());
            }
        } catch (Exception e) {
            // not answering yet: no names
        }
        return names;
    }

    private JsonNode protocolEntry() throws Exception {
        for (JsonNode p : JSON.readTree(dist.get("protocols").body())) {
            if (PROTOCOL.equals(p.get("name").asText())) {
                return p;
            }
        }
        throw new AssertionError(PROTOCOL + " not listed");
    }

    private static int attribute(String xml, String name) {
        Matcher m = Pattern.compile("<testsuite[^>]*\\s" + name + "=\"(\\d+)\"").matcher(xml);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String manifest(Path jar) throws IOException {
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            j.getManifest().write(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Runs Maven offline, batch mode, on the local repository this build uses (where the reactor installed the
     * archetype, the API and the test kits).
     */
    private static Distribution.Result mvn(Path cwd, String... args) throws IOException, InterruptedException {
        String mavenHome = System.getProperty("deeptrace.mavenHome", "");
        List<String> cmd = new ArrayList<>();
        cmd.add(mavenHome.isEmpty() ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString());
        cmd.addAll(List.of("-B", "-o", "-ntp"));
        String repo = System.getProperty("deeptrace.localRepository", "");
        if (!repo.isEmpty()) {
            cmd.add("-Dmaven.repo.local=" + repo);
        }
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("dt-mvn", ".log");
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("Maven did not finish in 10 minutes: " + cmd);
        }
        String out = Files.readString(log);
        Files.delete(log);
        return new Distribution.Result(p.exitValue(), "$ " + String.join(" ", cmd) + "\n" + tail(out), "");
    }

    private static String tail(String out) {
        return out.length() <= 20_000 ? out : "...\n" + out.substring(out.length() - 20_000);
    }
}
