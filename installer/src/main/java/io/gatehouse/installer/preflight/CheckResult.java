package io.gatehouse.installer.preflight;

/** One preflight line: PASS, WARN (works, but fix it) or FAIL (Gatehouse will not run), with what to do. */
public record CheckResult(String name, Status status, String detail) {

    public enum Status { PASS, WARN, FAIL }

    public static CheckResult pass(String name, String detail) {
        return new CheckResult(name, Status.PASS, detail);
    }

    public static CheckResult warn(String name, String detail) {
        return new CheckResult(name, Status.WARN, detail);
    }

    public static CheckResult fail(String name, String detail) {
        return new CheckResult(name, Status.FAIL, detail);
    }
}
