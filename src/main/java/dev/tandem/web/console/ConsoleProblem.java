package dev.tandem.web.console;

/**
 * A console request that cannot go on, shown as an error page with {@code status}: a page of an organization
 * the person has no part in (404), a role without the permission or a refused CSRF check (403).
 */
final class ConsoleProblem extends RuntimeException {

    private final int status;

    ConsoleProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
