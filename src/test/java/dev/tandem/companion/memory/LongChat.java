package dev.tandem.companion.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A long chat as the person wrote it: mostly small talk, questions and requests to the character, some other facts
 * about themselves, and two facts early on (message 3: the dog, message 5: the job) that a later question asks
 * about. Seeded: the same chat every run.
 */
final class LongChat {

    private static final List<String> SMALL_TALK = List.of("haha that's funny", "ok", "lol", "good morning!",
            "How was your day?", "Tell me more about the castle.", "really?", "That sounds nice.", "I see",
            "What do you think about the rain?", "Can you sing me a song?", "oh no", "Why did the dragon leave?",
            "You're so sweet.", "Let's go to the market together.", "hmm, not sure about that", "Good night!",
            "What happened next?", "Describe the forest for me.", "yes please", "no way!", "That's wild.",
            "Do you remember the lake?", "Keep going.", "Wow, the stars are beautiful tonight.", "brb",
            "Could you explain that again?", "We should visit the lighthouse.", "Sure, why not.", "Aww.");
    private static final List<String> OTHER_FACTS = List.of("I like jazz, especially on rainy days.",
            "My favourite colour is green.", "I love pizza with extra olives.", "I'm learning Spanish at night school.",
            "My brother lives in Manchester.", "I play the guitar badly.", "I hate mornings.",
            "I enjoy reading fantasy novels.", "I have a cold this week.", "My mum is a teacher.",
            "I support Leeds United.", "I've been to Japan twice.", "I drive an old red Mini.",
            "I don't eat mushrooms.", "My best friend is called Priya.");

    private LongChat() {
    }

    static List<String> personMessages(int count) {
        Random random = new Random(42);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(switch (i) {
                case 0 -> "Hi there!";
                case 1 -> "How are you today?";
                case 2 -> "My dog is called Biscuit";
                case 3 -> "He is such a good boy lol";
                case 4 -> "I work as a nurse in Leeds";
                default -> i % 9 == 0 ? OTHER_FACTS.get(random.nextInt(OTHER_FACTS.size()))
                        : SMALL_TALK.get(random.nextInt(SMALL_TALK.size()));
            });
        }
        return out;
    }
}
