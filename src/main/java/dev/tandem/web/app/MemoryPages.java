package dev.tandem.web.app;

import dev.tandem.companion.Chat;
import dev.tandem.companion.Chats;
import dev.tandem.companion.CompanionException;
import dev.tandem.companion.Profile;
import dev.tandem.companion.memory.ChatMemory;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** What a character remembers of a chat: seen, pinned, edited, deleted or added by the person. */
@Controller
class MemoryPages {

    private final AppContext context;
    private final Chats chats;
    private final ChatMemory memory;

    MemoryPages(AppContext context, Chats chats, ChatMemory memory) {
        this.context = context;
        this.chats = chats;
        this.memory = memory;
    }

    @GetMapping("/chats/{id}/memories")
    String memories(@PathVariable String id, HttpServletRequest request, Model model) {
        Profile me = context.person(request);
        Chat chat = chats.chat(me.personId(), id);
        context.page(request, model, "Memories · " + chat.title());
        model.addAttribute("chat", chat);
        model.addAttribute("memories", memory.list(id));
        return "app/memories";
    }

    @PostMapping("/chats/{id}/memories")
    String add(@PathVariable String id, @RequestParam(defaultValue = "") String text, HttpServletRequest request) {
        Profile me = context.person(request);
        chats.chat(me.personId(), id);
        try {
            memory.note(id, me.personId(), text);
        } catch (IllegalArgumentException e) {
            throw CompanionException.invalid("text", e.getMessage());
        }
        return "redirect:/chats/" + id + "/memories";
    }

    @PostMapping("/chats/{id}/memories/{memory}/edit")
    String edit(@PathVariable String id, @PathVariable("memory") String memoryId,
            @RequestParam(defaultValue = "") String text, HttpServletRequest request) {
        Profile me = context.person(request);
        chats.chat(me.personId(), id);
        try {
            memory.edit(id, memoryId, text).orElseThrow(() -> CompanionException.notFound("The memory"));
        } catch (IllegalArgumentException e) {
            throw CompanionException.invalid("text", e.getMessage());
        }
        return "redirect:/chats/" + id + "/memories";
    }

    @PostMapping("/chats/{id}/memories/{memory}/pin")
    String pin(@PathVariable String id, @PathVariable("memory") String memoryId,
            @RequestParam(defaultValue = "true") boolean pinned, HttpServletRequest request) {
        Profile me = context.person(request);
        chats.chat(me.personId(), id);
        if (!memory.pin(id, memoryId, pinned)) {
            throw CompanionException.notFound("The memory");
        }
        return "redirect:/chats/" + id + "/memories";
    }

    @PostMapping("/chats/{id}/memories/{memory}/delete")
    String delete(@PathVariable String id, @PathVariable("memory") String memoryId, HttpServletRequest request) {
        Profile me = context.person(request);
        chats.chat(me.personId(), id);
        if (!memory.delete(id, memoryId)) {
            throw CompanionException.notFound("The memory");
        }
        return "redirect:/chats/" + id + "/memories";
    }
}
