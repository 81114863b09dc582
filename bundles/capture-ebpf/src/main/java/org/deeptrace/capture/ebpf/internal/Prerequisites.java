package org.deeptrace.capture.ebpf.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the live capture needs from the host, checked before loading anything, each gap said in words. */
final class Prerequisites {

    static final Path BTF = Path.of("/sys/kernel/btf/vmlinux");
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;

    private Prerequisites() {
    }

    /** Empty when everything is there. */
    static List<String> missing() {
        List<String> missing = new ArrayList<>();
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            missing.add("the native part is built for Linux x86-64 only (this is " + os + " " + arch + ")");
            return missing;
        }
        if (!Files.isReadable(BTF)) {
            missing.add("kernel BTF (" + BTF + ", CONFIG_DEBUG_INFO_BTF) is missing: CO-RE programs cannot load");
        }
        BigInteger caps = effectiveCapabilities();
        if (caps != null && !caps.testBit(CAP_SYS_ADMIN) && !(caps.testBit(CAP_BPF) && caps.testBit(CAP_PERFMON))) {
            missing.add("not privileged: needs root or CAP_BPF+CAP_PERFMON (effective capabilities 0x"
                    + caps.toString(16) + ", uid " + uid() + ")");
        }
        String library = NativeBridge.load();
        if (library != null) {
            missing.add(library);
        }
        return missing;
    }

    /** CapEff of /proc/self/status, or null when unreadable. */
    static BigInteger effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return new BigInteger(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static String uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1];
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }
}
