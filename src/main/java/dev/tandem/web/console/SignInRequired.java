package dev.tandem.web.console;

/** The request has no live session: the person is sent to the sign-in page. */
final class SignInRequired extends RuntimeException {

    SignInRequired() {
        super("sign in", null, false, false);
    }
}
