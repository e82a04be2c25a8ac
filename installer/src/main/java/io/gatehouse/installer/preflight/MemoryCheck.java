package io.gatehouse.installer.preflight;

import java.util.List;
import java.util.OptionalLong;

/** 4 GB of memory. The kernel keeps some for itself, so a "4 GB" machine reports about 3.8 GiB: that passes. */
final class MemoryCheck implements Check {

    static final long MIN_BYTES = 3800L * 1024 * 1024;

    @Override
    public List<CheckResult> run(PreflightContext context) {
        OptionalLong memory = context.host().probes().memoryBytes();
        if (memory.isEmpty()) {
            return List.of(CheckResult.warn("memory", "cannot read /proc/meminfo: make sure the host has 4 GB of memory"));
        }
        String amount = String.format("%.1f GiB", memory.getAsLong() / (1024.0 * 1024 * 1024));
        return List.of(memory.getAsLong() >= MIN_BYTES ? CheckResult.pass("memory", amount)
                : CheckResult.fail("memory", amount + ": Gatehouse needs 4 GB (portal 2 GB, PostgreSQL 1 GB, MongoDB 1 GB); add memory"));
    }
}
