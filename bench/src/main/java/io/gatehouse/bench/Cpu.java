package io.gatehouse.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU used so far: by this JVM, by every process on the machine (cgroup CPU accounting, -1 where there is none)
 * and the CPU pressure stall total (Linux PSI: time some runnable task waited for a CPU, -1 where there is none).
 * The kernel's cgroup accounting is exact; /proc/stat is not used because it samples on timer ticks, and a load
 * that wakes on timers, like this one, slips between the ticks.
 */
record Cpu(long wallNanos, long processNanos, long machineNanos, long pressureMicros) {

    private static final List<String> MACHINE_USAGE = List.of(
            "/sys/fs/cgroup/cpuacct/cpuacct.usage", "/sys/fs/cgroup/cpu,cpuacct/cpuacct.usage", "/sys/fs/cgroup/cpu.stat");

    /** The share of the whole machine (all CPUs) this JVM used since {@code from}, in percent. */
    double jvmPercentSince(Cpu from) {
        return 100.0 * (processNanos - from.processNanos) / machineNanosAvailable(from);
    }

    /** The share of the whole machine busy (any process) since {@code from}, in percent; NaN where that is not known. */
    double machineBusyPercentSince(Cpu from) {
        return machineNanos < 0 || from.machineNanos < 0 ? Double.NaN : 100.0 * (machineNanos - from.machineNanos) / machineNanosAvailable(from);
    }

    /** The share of the time since {@code from} some runnable task waited for a CPU (Linux PSI), in percent; NaN if unknown. */
    double pressurePercentSince(Cpu from) {
        return pressureMicros < 0 || from.pressureMicros < 0 ? Double.NaN
                : 100.0 * (pressureMicros - from.pressureMicros) * 1000 / (wallNanos - from.wallNanos);
    }

    private double machineNanosAvailable(Cpu from) {
        return (double) (wallNanos - from.wallNanos) * Runtime.getRuntime().availableProcessors();
    }

    static Cpu now() {
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        return new Cpu(System.nanoTime(), process, readMachineNanos(), readPressureMicros());
    }

    private static long readMachineNanos() {
        for (String file : MACHINE_USAGE) {
            try {
                if (file.endsWith("cpu.stat")) { // cgroup v2: "usage_usec N"
                    for (String line : Files.readAllLines(Path.of(file))) {
                        if (line.startsWith("usage_usec ")) {
                            return Long.parseLong(line.substring(11).strip()) * 1000;
                        }
                    }
                } else {
                    return Long.parseLong(Files.readString(Path.of(file)).strip());
                }
            } catch (IOException | RuntimeException e) {
                // try the next layout
            }
        }
        return -1;
    }

    private static long readPressureMicros() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/pressure/cpu"))) {
                int at = line.indexOf("total=");
                if (line.startsWith("some ") && at >= 0) {
                    return Long.parseLong(line.substring(at + 6).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no PSI
        }
        return -1;
    }
}
