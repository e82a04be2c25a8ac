package io.gatehouse.installer.preflight;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs every check and prints the table. */
public final class Preflight {

    private static final List<Check> CHECKS = List.of(new DockerEngineCheck(), new ComposeCheck(), new PortCheck(),
            new DiskCheck(), new MemoryCheck(), new ClockCheck());

    private Preflight() {
    }

    public static List<CheckResult> run(PreflightContext context) {
        List<CheckResult> results = new ArrayList<>();
        for (Check check : CHECKS) {
            results.addAll(check.run(context));
        }
        return results;
    }

    /** Prints the table; true when nothing failed. */
    public static boolean print(List<CheckResult> results, PrintWriter out) {
        int width = results.stream().mapToInt(r -> r.name().length()).max().orElse(10);
        for (CheckResult result : results) {
            out.printf("%-4s  %-" + width + "s  %s%n", result.status(), result.name(), result.detail());
        }
        boolean ok = results.stream().noneMatch(r -> r.status() == CheckResult.Status.FAIL);
        out.println(ok ? "preflight passed" : "preflight failed: fix every FAIL above, then run it again");
        out.flush();
        return ok;
    }
}
