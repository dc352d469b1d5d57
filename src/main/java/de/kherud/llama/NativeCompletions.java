package de.kherud.llama;

/**
 * Tandem's bridge to the package-private completion calls of {@link LlamaModel}.
 *
 * <p>The library's public {@code generate(InferenceParameters)} can only send the parameters its builder knows
 * and cannot pass the prompt as token ids. Tandem needs both (token-exact prompts and usage, grammars, cancelling
 * from the thread that reads), so it speaks the native JSON protocol of llama.cpp's server directly. This class
 * lives in the library's package only to reach those calls; it holds no logic.
 */
public final class NativeCompletions {

    private NativeCompletions() {
    }

    /** Queues a completion described by llama.cpp server JSON; returns its task id. */
    public static int request(LlamaModel model, String json) {
        return model.requestCompletion(json);
    }

    /** Blocks until the next result of the task. */
    public static LlamaOutput receive(LlamaModel model, int taskId) {
        return model.receiveCompletion(taskId);
    }

    /** Whether {@code output} is the task's last result. */
    public static boolean isFinal(LlamaOutput output) {
        return output.stop;
    }

    /** Stops the task and frees its slot. */
    public static void cancel(LlamaModel model, int taskId) {
        model.cancelCompletion(taskId);
    }

    /** Releases the bookkeeping of a finished task. */
    public static void release(LlamaModel model, int taskId) {
        model.releaseTask(taskId);
    }
}
