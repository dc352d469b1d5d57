package dev.tandem.web.app;

import dev.tandem.companion.Affinity;
import dev.tandem.companion.CharacterView;
import dev.tandem.companion.Chat;
import dev.tandem.companion.ChatLine;
import dev.tandem.companion.Chats;
import dev.tandem.companion.CompanionException;
import dev.tandem.companion.Profile;
import dev.tandem.companion.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chats: the list, a chat's page, and what the person does in it. Sending, regenerating and continuing answer in
 * two ways: to a browser that asks for {@code text/event-stream} (the page's script), the reply streams as SSE
 * events — {@code delta} with each piece of text, then {@code done} (or {@code error}); to a plain form post, the
 * whole reply is written and the page reloads.
 */
@Controller
class ChatPages {

    private final AppContext context;
    private final Chats chats;
    private final Affinity affinity;
    private final JsonMapper json;

    ChatPages(AppContext context, Chats chats, Affinity affinity, JsonMapper json) {
        this.context = context;
        this.chats = chats;
        this.affinity = affinity;
        this.json = json;
    }

    @GetMapping("/chats")
    String list(HttpServletRequest request, Model model) {
        Profile me = context.person(request);
        context.page(request, model, "Chats");
        model.addAttribute("chats", chats.list(me.personId()));
        return "app/chats";
    }

    @GetMapping("/chats/{id}")
    String chat(@PathVariable String id, HttpServletRequest request, Model model) {
        return page(id, request, model, "");
    }

    /** The chat page with a suggested message in the composer, to edit or send. */
    @PostMapping("/chats/{id}/suggest")
    String suggest(@PathVariable String id, HttpServletRequest request, Model model) {
        context.person(request);
        return page(id, request, model, chats.suggest(context.viewer(request), id));
    }

    private String page(String id, HttpServletRequest request, Model model, String draft) {
        Profile me = context.person(request);
        Viewer viewer = context.viewer(request);
        Chat chat = chats.chat(me.personId(), id);
        context.page(request, model, chat.title());
        model.addAttribute("chat", chat);
        java.util.List<ChatLine> lines = chats.lines(me.personId(), id);
        model.addAttribute("lines", lines);
        dev.tandem.companion.Persona persona = chats.persona(chat);
        model.addAttribute("persona", persona);
        model.addAttribute("draft", draft);
        java.util.Map<String, String> members = chats.memberNames(chat);
        model.addAttribute("members", members);
        java.util.Map<String, String> who = new java.util.HashMap<>();
        for (ChatLine l : lines) {
            who.put(l.id(), !l.fromCharacter() ? persona.name() : l.speakerId() != null
                    ? members.getOrDefault(l.speakerId(), chat.characterName()) : chat.characterName());
        }
        model.addAttribute("who", who);
        try {
            CharacterView c = chats.character(viewer, chat);
            model.addAttribute("c", c);
            model.addAttribute("bond", affinity.bond(me.personId(), c.id()));
        } catch (CompanionException gone) {
            model.addAttribute("c", null); // deleted or no longer visible: the chat is read-only
        }
        return "app/chat";
    }

    @PostMapping("/chats/{id}/send")
    String send(@PathVariable String id, @RequestParam(defaultValue = "") String text, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        context.person(request);
        Viewer viewer = context.viewer(request);
        return answer(request, response, id, sink -> chats.send(viewer, id, text, sink));
    }

    @PostMapping("/chats/{id}/regenerate")
    String regenerate(@PathVariable String id, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        context.person(request);
        Viewer viewer = context.viewer(request);
        return answer(request, response, id, sink -> chats.regenerate(viewer, id, sink));
    }

    /** In a group chat, one of its characters writes the next message. */
    @PostMapping("/chats/{id}/speak")
    String speak(@PathVariable String id, @RequestParam(defaultValue = "") String character,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        context.person(request);
        Viewer viewer = context.viewer(request);
        return answer(request, response, id, sink -> chats.speak(viewer, id, character, sink));
    }

    @PostMapping("/chats/{id}/continue")
    String continueReply(@PathVariable String id, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        context.person(request);
        Viewer viewer = context.viewer(request);
        return answer(request, response, id, sink -> chats.continueReply(viewer, id, sink));
    }

    @PostMapping("/chats/{id}/lines/{line}/swipe")
    String swipe(@PathVariable String id, @PathVariable String line, @RequestParam int index,
            HttpServletRequest request) {
        Profile me = context.person(request);
        chats.swipe(me.personId(), id, line, index);
        return "redirect:/chats/" + id + "#" + line;
    }

    @PostMapping("/chats/{id}/lines/{line}/edit")
    String edit(@PathVariable String id, @PathVariable String line, @RequestParam(defaultValue = "") String text,
            HttpServletRequest request) {
        Profile me = context.person(request);
        chats.edit(me.personId(), id, line, text);
        return "redirect:/chats/" + id + "#" + line;
    }

    @PostMapping("/chats/{id}/lines/{line}/delete")
    String deleteLine(@PathVariable String id, @PathVariable String line, HttpServletRequest request) {
        Profile me = context.person(request);
        chats.delete(me.personId(), id, line);
        return "redirect:/chats/" + id;
    }

    @PostMapping("/chats/{id}/lines/{line}/rate")
    String rate(@PathVariable String id, @PathVariable String line, @RequestParam int stars,
            HttpServletRequest request) {
        Profile me = context.person(request);
        chats.rate(me.personId(), id, line, stars);
        return "redirect:/chats/" + id + "#" + line;
    }

    @GetMapping("/chats/{id}/export")
    ResponseEntity<byte[]> export(@PathVariable String id, HttpServletRequest request) {
        Profile me = context.person(request);
        Chat chat = chats.chat(me.personId(), id);
        String name = chat.characterName().replaceAll("[^\\p{L}\\p{N} _-]", "").strip();
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/jsonl"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + (name.isEmpty() ? "chat" : name)
                        + " - chat.jsonl\"").body(chats.exportSillyTavern(me.personId(), id));
    }

    @PostMapping("/chats/{id}/lines/{line}/branch")
    String branch(@PathVariable String id, @PathVariable String line, HttpServletRequest request) {
        context.person(request);
        return "redirect:/chats/" + chats.branch(context.viewer(request), id, line).id();
    }

    @PostMapping("/chats/{id}/note")
    String note(@PathVariable String id, @RequestParam(defaultValue = "") String text,
            @RequestParam(defaultValue = "4") int depth, HttpServletRequest request) {
        Profile me = context.person(request);
        chats.setAuthorsNote(me.personId(), id, text, depth);
        return "redirect:/chats/" + id;
    }

    @PostMapping("/chats/{id}/delete")
    String deleteChat(@PathVariable String id, HttpServletRequest request) {
        Profile me = context.person(request);
        chats.deleteChat(me.personId(), id);
        return "redirect:/chats";
    }

    /** Something that writes a reply into a sink. */
    @FunctionalInterface
    private interface Writing {
        ChatLine run(Chats.Sink sink);
    }

    private String answer(HttpServletRequest request, HttpServletResponse response, String chatId, Writing writing)
            throws IOException {
        String accept = request.getHeader("accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            writing.run(text -> { });
            return "redirect:/chats/" + chatId + "#bottom";
        }
        response.setContentType("text/event-stream;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        OutputStream out = response.getOutputStream();
        event(out, "typing", "{}");
        try {
            ChatLine line = writing.run(text -> event(out, "delta", json.writeValueAsString(
                    java.util.Map.of("text", text))));
            event(out, "done", json.writeValueAsString(java.util.Map.of("id", line.id(), "text", line.text(),
                    "swipe", line.swipe(), "swipes", line.swipes().size())));
        } catch (CompanionException e) {
            event(out, "error", json.writeValueAsString(java.util.Map.of("message", e.getMessage())));
        }
        return null;
    }

    private static void event(OutputStream out, String name, String data) throws IOException {
        out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
