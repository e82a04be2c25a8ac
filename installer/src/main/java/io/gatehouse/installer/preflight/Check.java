package io.gatehouse.installer.preflight;

import java.util.List;

/** One preflight check; it may report several lines (e.g. one per port). */
public interface Check {

    List<CheckResult> run(PreflightContext context);
}
