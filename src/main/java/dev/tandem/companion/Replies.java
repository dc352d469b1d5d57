package dev.tandem.companion;

import dev.tandem.companion.memory.ChatMemory;
import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.ChatMessage;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.QueuePriority;
import dev.tandem.inference.Role;
import dev.tandem.inference.Sampling;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes a character's reply: assembles the prompt within the model's budget (system prompt, character, persona,
 * lorebook, recalled memories, recent history, post-history instructions) and streams the model's answer from the
 * platform client to a sink. A sink that fails (the person left) stops receiving, but the reply is still written
 * whole, so the chat stays consistent when they come back. A member's {@link MembershipPerks.Perks} recall more
 * memories, keep more turns verbatim, and send the reply to the plan's model when it has one; when that model
 * cannot take the call, the reply falls back to the app's model, so a member is never served worse than anyone.
 */
@Component
class Replies {

    static final String SYSTEM_PROMPT = "Write {{char}}'s next reply in a fictional chat between {{char}} and "
            + "{{user}}. Stay in character; write one reply only, and never speak for {{user}}.";
    static final int RECALLED = 6;
    static final int SUGGESTION_TOKENS = 60;
    private static final Logger log = LoggerFactory.getLogger(Replies.class);

    /** Where the reply's text goes as it is written. */
    @FunctionalInterface
    interface Sink {
        void delta(String text) throws IOException;
    }

    /** A written reply. */
    record Written(String text, int inputTokens, int outputTokens) {
    }

    private final PlatformClient platform;
    private final ChatMemory memory;
    private final CompanionProperties properties;
    private volatile @Nullable String model;

    Replies(PlatformClient platform, ChatMemory memory, CompanionProperties properties) {
        this.platform = platform;
        this.memory = memory;
        this.properties = properties;
    }

    /**
     * Who speaks to whom, and the person's standing instruction for the story.
     *
     * @param others the other characters of a group chat, by name; empty in a chat with one character
     */
    record Scene(CharacterCard card, Persona persona, PromptBuilder.AuthorsNote note, List<String> others) {
        Scene {
            others = List.copyOf(others);
        }

        /** The system message that tells the speaker it is one of several, or null in a chat with one character. */
        @Nullable String groupInstruction() {
            if (others.isEmpty()) {
                return null;
            }
            return "[A group chat: " + persona.name() + " with " + card.name() + ", " + String.join(", ", others)
                    + ". Write only " + card.name() + "'s next message; never write for " + persona.name() + " or "
                    + String.join(", ", others) + ".]";
        }

        /** Where a reply must stop: at a line that another speaker begins. */
        List<String> stops() {
            List<String> stops = new ArrayList<>();
            stops.add("\n" + persona.name() + ":");
            others.forEach(o -> stops.add("\n" + o + ":"));
            return stops;
        }
    }

    /**
     * @param history the chat so far, oldest first, ending with what to answer (or with the reply to continue)
     * @param query   the turn memories are recalled for
     */
    Written write(String chatId, MembershipPerks.Perks perks, Scene scene, List<PromptBuilder.Turn> history,
            String query, Sink sink) {
        List<String> remembered = recall(chatId, query, Math.max(RECALLED, perks.recalledMemories()));
        int recentTurns = Math.max(properties.recentTurns(), perks.recentTurns());
        if (perks.model() == null) {
            return write(chatId, model(), priority(perks), scene, history, remembered, recentTurns, sink);
        }
        boolean[] started = {false};
        try {
            return write(chatId, perks.model(), priority(perks), scene, history, remembered, recentTurns, text -> {
                started[0] = true;
                sink.delta(text);
            });
        } catch (CompanionException e) {
            if (started[0]) {
                throw e; // part of the reply was shown: a second one from another model would not fit
            }
            log.warn("chat {}: the members' model {} could not answer ({}); the app's model answers instead", chatId,
                    perks.model(), e.getMessage());
            return write(chatId, model(), priority(perks), scene, history, remembered, recentTurns, sink);
        }
    }

    /** Members whose plan says so go ahead of others where the model is busy. */
    private static QueuePriority priority(MembershipPerks.Perks perks) {
        return perks.priority() ? QueuePriority.HIGH : QueuePriority.NORMAL;
    }

    private Written write(String chatId, String model, QueuePriority priority, Scene scene,
            List<PromptBuilder.Turn> history, List<String> remembered, int recentTurns, Sink sink) {
        Persona persona = scene.persona();
        int recent = Math.max(0, history.size() - recentTurns);
        List<PromptBuilder.Turn> window = history.subList(recent, history.size());
        // The budget is kept with an estimate of the model's tokens; the assembled prompt is then counted by the
        // platform, and when the estimate was short it is corrected by the measured ratio and assembled again.
        int context = Math.min(properties.contextTokens(), platform.contextTokens(model).orElse(Integer.MAX_VALUE));
        int replyTokens = Math.min(properties.replyTokens(), context / 4);
        Sampling sampling = new Sampling(replyTokens, 0.8, 0.95, null, null, scene.stops(), false);
        double scale = 1.0;
        ChatRequest request = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            double s = scale;
            PromptBuilder.Prompt prompt = PromptBuilder.build(scene.card(), new PromptBuilder.Persona(persona.name(),
                            persona.description()), window, null, remembered, scene.note(), context, replyTokens,
                    text -> (int) Math.ceil(tokens(text) * s), SYSTEM_PROMPT,
                    ThreadLocalRandom.current());
            List<ChatMessage> messages = new ArrayList<>();
            for (PromptBuilder.Message m : prompt.messages()) {
                messages.add(ChatMessage.of(Role.valueOf(m.role().toUpperCase(Locale.ROOT)), m.text()));
            }
            String group = scene.groupInstruction();
            if (group != null) {
                messages.add(1, ChatMessage.of(Role.SYSTEM, group));
            }
            request = ChatRequest.of(model, messages).withSampling(sampling);
            int budget = context - replyTokens;
            java.util.OptionalInt counted = platform.countTokens(request);
            if (counted.isEmpty() || counted.getAsInt() <= budget) {
                break;
            }
            scale = scale * counted.getAsInt() / Math.max(1, prompt.tokens()) * 1.05;
        }
        return stream(request.withStream(true).withPriority(priority), chatId, sink);
    }

    /**
     * A message the person might send next, written by the model in their persona's voice (SillyTavern's
     * "impersonate", the reply suggestions of Talkie and Character.AI): shown to them to edit or send, never sent by
     * itself. The same prompt as a reply's, ending with the request to write as the person.
     */
    String suggest(String chatId, Scene scene, List<PromptBuilder.Turn> history) {
        Persona persona = scene.persona();
        String model = model();
        int context = Math.min(properties.contextTokens(), platform.contextTokens(model).orElse(Integer.MAX_VALUE));
        int replyTokens = Math.min(SUGGESTION_TOKENS, context / 4);
        List<PromptBuilder.Turn> window = history.subList(Math.max(0, history.size() - properties.recentTurns()),
                history.size());
        // room for the closing request (a few dozen tokens) is kept out of the budget
        PromptBuilder.Prompt prompt = PromptBuilder.build(scene.card(), new PromptBuilder.Persona(persona.name(),
                        persona.description()), window, null, recall(chatId, window.isEmpty() ? ""
                        : window.getLast().text(), RECALLED), scene.note(), context - 64, replyTokens,
                text -> (int) Math.ceil(tokens(text)), SYSTEM_PROMPT, ThreadLocalRandom.current());
        List<ChatMessage> messages = new ArrayList<>();
        for (PromptBuilder.Message m : prompt.messages()) {
            messages.add(ChatMessage.of(Role.valueOf(m.role().toUpperCase(Locale.ROOT)), m.text()));
        }
        String character = scene.card().name();
        messages.add(ChatMessage.of(Role.SYSTEM, "[Now write " + persona.name() + "'s next message to " + character
                + ": one or two sentences in " + persona.name() + "'s own voice, first person. Write only the "
                + "message.]"));
        List<String> stops = new ArrayList<>(List.of("\n" + character + ":"));
        scene.others().forEach(o -> stops.add("\n" + o + ":"));
        ChatRequest request = ChatRequest.of(model, messages).withSampling(new Sampling(replyTokens, 0.9, 0.95, null,
                null, stops, false));
        String text = stream(request, chatId, t -> { }).text().strip();
        String prefix = persona.name() + ":";
        return text.startsWith(prefix) ? text.substring(prefix.length()).strip() : text;
    }

    /** What is remembered for a turn (see {@link ChatMemory#recallForTurn}). */
    List<String> recall(String chatId, String query, int limit) {
        return memory.recallForTurn(chatId, query, limit).stream().map(r -> r.memory().content()).toList();
    }

    /**
     * Asks the model for a short summary of a stretch of the chat (stored as a memory by the caller).
     *
     * @param stretch its lines as "Name: text"
     */
    String summarize(String chatId, List<String> stretch) {
        StringBuilder transcript = new StringBuilder();
        stretch.forEach(line -> transcript.append(line).append('\n'));
        List<ChatMessage> messages = List.of(
                ChatMessage.of(Role.SYSTEM, "Summarize what happened and what was learned in this part of a chat "
                        + "in at most three sentences. Write facts, not dialogue."),
                ChatMessage.of(Role.USER, transcript.toString()));
        ChatRequest request = ChatRequest.of(model(), messages).withSampling(Sampling.DEFAULT.withMaxTokens(120));
        return stream(request, chatId, text -> { }).text().strip();
    }

    private Written stream(ChatRequest request, String chatId, Sink sink) {
        StringBuilder text = new StringBuilder();
        boolean sinking = true;
        long deadline = System.nanoTime() + properties.replyTimeout().toNanos();
        try (ChatStream stream = platform.chat(request, chatId)) {
            ChatEvent event;
            while ((event = stream.next()) != null) {
                if (event instanceof ChatEvent.TextDelta d) {
                    text.append(d.text());
                    if (sinking) {
                        try {
                            sink.delta(d.text());
                        } catch (IOException gone) {
                            sinking = false; // the reply is still written whole and kept
                        }
                    }
                } else if (event instanceof ChatEvent.Done done) {
                    return new Written(text.toString(), done.usage().inputTokens(), done.usage().outputTokens());
                }
                if (System.nanoTime() > deadline) {
                    throw new CompanionException(CompanionException.Reason.UNAVAILABLE,
                            "The reply took too long and was stopped.", null);
                }
            }
            throw new CompanionException(CompanionException.Reason.UNAVAILABLE, "The reply broke off.", null);
        } catch (RuntimeException e) {
            if (e instanceof CompanionException) {
                throw e;
            }
            log.warn("chat {}: the reply failed: {}", chatId, e.toString());
            throw new CompanionException(CompanionException.Reason.UNAVAILABLE,
                    "The character could not answer just now: " + e.getMessage(), null);
        }
    }

    /** The configured model, or the first the platform offers. */
    String model() {
        String m = model;
        if (m == null) {
            m = properties.model().isEmpty() ? platform.models().stream().findFirst().orElseThrow(() ->
                    new CompanionException(CompanionException.Reason.UNAVAILABLE, "No model is available to "
                            + "answer; the operator has to add one.", null)) : properties.model();
            model = m;
        }
        return m;
    }

    /** A budget estimate without the model's tokenizer: about three characters a token, rounded up. */
    static int tokens(String text) {
        return text.length() / 3 + 1;
    }
}
