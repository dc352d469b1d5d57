package dev.tandem.companion;

/** A file that is not a character card Tandem can read, with the reason in words a person understands. */
public class CardException extends RuntimeException {

    public CardException(String message) {
        super(message);
    }

    public CardException(String message, Throwable cause) {
        super(message, cause);
    }
}
