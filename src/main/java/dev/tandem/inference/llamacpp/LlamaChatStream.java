package dev.tandem.inference.llamacpp;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.NativeCompletions;
import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.FinishReason;
import dev.tandem.inference.InferenceException;
import dev.tandem.inference.Usage;
import dev.tandem.inference.engine.ToolCallIds;
import dev.tandem.inference.output.ModelOutputParser;
import dev.tandem.inference.output.StopSequenceMatcher;
import dev.tandem.inference.output.ToolCallSyntax;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One answer of a {@link LlamaCppEngine}. A platform thread reads llama.cpp's results (one per generated token)
 * into a queue; the consumer turns them into events: stop sequences are cut here, then reasoning and tool calls are
 * split from the text. Closing sets a flag the reader checks after every token: it cancels the native task, which
 * frees the slot.
 */
final class LlamaChatStream implements ChatStream {

    private sealed interface Item {
        record Token(String text) implements Item {}

        record End() implements Item {}

        record Failure(RuntimeException error) implements Item {}

        record Closed() implements Item {}
    }

    private static final Item END = new Item.End();
    private static final Item CLOSED = new Item.Closed();

    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final ArrayDeque<ChatEvent> events = new ArrayDeque<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final StopSequenceMatcher stops;
    private final ModelOutputParser parser;
    private final int promptTokens;
    private final int maxTokens;
    private int outputTokens;
    private int reasoningTokens;
    private int toolIndex;
    private boolean finished; // read and written by the consumer thread only

    LlamaChatStream(LlamaModel model, String requestJson, int promptTokens, int maxTokens, ToolCallSyntax syntax,
            boolean startsReasoning, List<String> stopSequences, ExecutorService readers, Runnable releaseSlot) {
        this.promptTokens = promptTokens;
        this.maxTokens = maxTokens;
        this.stops = new StopSequenceMatcher(stopSequences);
        this.parser = new ModelOutputParser(syntax, startsReasoning, this::onPiece);
        readers.execute(() -> read(model, requestJson, releaseSlot));
    }

    private void read(LlamaModel model, String requestJson, Runnable releaseSlot) {
        int task = -1;
        try {
            task = NativeCompletions.request(model, requestJson);
            while (!cancelled.get()) {
                LlamaOutput out = NativeCompletions.receive(model, task);
                if (NativeCompletions.isFinal(out)) {
                    NativeCompletions.release(model, task);
                    task = -1;
                    items.add(END);
                    return;
                }
                items.add(new Item.Token(out.text));
            }
        } catch (RuntimeException e) {
            items.add(new Item.Failure(new InferenceException(InferenceException.Kind.INTERNAL,
                    "llama.cpp failed: " + e.getMessage(), null, null, e)));
        } finally {
            if (task >= 0) {
                NativeCompletions.cancel(model, task);
            }
            releaseSlot.run();
        }
    }

    @Override
    public @Nullable ChatEvent next() {
        while (events.isEmpty()) {
            if (finished) {
                return null;
            }
            Item item;
            try {
                item = items.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new InferenceException(InferenceException.Kind.INTERNAL, "interrupted while generating");
            }
            handle(item);
        }
        return events.poll();
    }

    private void handle(Item item) {
        switch (item) {
            case Item.Token t -> {
                outputTokens++;
                if (parser.reasoning()) {
                    reasoningTokens++;
                }
                String text = stops.accept(t.text());
                if (!text.isEmpty()) {
                    parser.accept(text);
                }
                if (stops.matched() != null) {
                    cancelled.set(true);
                    finish(FinishReason.STOP_SEQUENCE);
                }
            }
            case Item.End e -> {
                String rest = stops.flush();
                if (!rest.isEmpty()) {
                    parser.accept(rest);
                }
                finish(outputTokens >= maxTokens ? FinishReason.LENGTH
                        : parser.toolCalls() > 0 ? FinishReason.TOOL_CALLS : FinishReason.STOP);
            }
            case Item.Failure f -> {
                finished = true;
                cancelled.set(true);
                throw f.error();
            }
            case Item.Closed c -> finished = true;
        }
    }

    private void finish(FinishReason reason) {
        parser.finish();
        FinishReason r = reason == FinishReason.STOP && parser.toolCalls() > 0 ? FinishReason.TOOL_CALLS : reason;
        events.add(new ChatEvent.Done(r, usageSoFar(), r == FinishReason.STOP_SEQUENCE ? stops.matched() : null));
        finished = true;
    }

    private void onPiece(ModelOutputParser.Piece piece) {
        switch (piece) {
            case ModelOutputParser.Piece.Reasoning r -> events.add(new ChatEvent.ReasoningDelta(r.text()));
            case ModelOutputParser.Piece.Text t -> events.add(new ChatEvent.TextDelta(t.text()));
            case ModelOutputParser.Piece.ToolCall c -> {
                int index = toolIndex++;
                events.add(new ChatEvent.ToolCallStart(index, ToolCallIds.next(), c.name()));
                events.add(new ChatEvent.ToolCallDelta(index, c.arguments()));
            }
        }
    }

    @Override
    public boolean ready() {
        return !events.isEmpty() || finished || !items.isEmpty();
    }

    @Override
    public Usage usageSoFar() {
        return new Usage(promptTokens, 0, outputTokens, reasoningTokens);
    }

    @Override
    public void close() {
        if (cancelled.compareAndSet(false, true)) {
            items.add(CLOSED); // wakes a consumer blocked in next()
        }
    }
}
