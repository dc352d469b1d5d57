package dev.tandem.support;

/** Closes what a test class started, in order, skipping what never started; the first failure is rethrown. */
public final class Closing {

    private Closing() {
    }

    public static void all(AutoCloseable... things) {
        RuntimeException first = null;
        for (AutoCloseable c : things) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("could not close " + c, e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
