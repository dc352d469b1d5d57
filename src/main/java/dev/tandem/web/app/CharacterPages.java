package dev.tandem.web.app;

import dev.tandem.companion.Accounts;
import dev.tandem.companion.Affinity;
import dev.tandem.companion.CharacterCards;
import dev.tandem.companion.CharacterDraft;
import dev.tandem.companion.CharacterView;
import dev.tandem.companion.Characters;
import dev.tandem.companion.Chat;
import dev.tandem.companion.Chats;
import dev.tandem.companion.Profile;
import dev.tandem.companion.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/** A character's page; making, editing, importing and exporting characters; likes; starting a chat. */
@Controller
class CharacterPages {

    private final AppContext context;
    private final Characters characters;
    private final Chats chats;
    private final Accounts accounts;
    private final Affinity affinity;

    CharacterPages(AppContext context, Characters characters, Chats chats, Accounts accounts, Affinity affinity) {
        this.context = context;
        this.characters = characters;
        this.chats = chats;
        this.accounts = accounts;
        this.affinity = affinity;
    }

    @GetMapping("/c/{id}")
    String character(@PathVariable String id, HttpServletRequest request, Model model) {
        Viewer viewer = context.viewer(request);
        CharacterView c = characters.find(viewer, id);
        context.page(request, model, c.name());
        model.addAttribute("c", c);
        model.addAttribute("mine", viewer.is(c.creatorId()));
        if (viewer.personId() != null) {
            model.addAttribute("liked", characters.likes(viewer.personId(), id));
            model.addAttribute("personas", accounts.personas(viewer.personId()));
            model.addAttribute("bond", affinity.bond(viewer.personId(), id));
            model.addAttribute("chats", chats.list(viewer.personId(), id));
            // other characters the person chats with, to start a group chat with this one
            java.util.Map<String, String> others = new java.util.LinkedHashMap<>();
            for (Chat ch : chats.list(viewer.personId())) {
                if (!ch.characterId().equals(id) && others.size() < 12) {
                    others.putIfAbsent(ch.characterId(), ch.characterName());
                }
            }
            model.addAttribute("groupable", others);
        }
        if (viewer.is(c.creatorId())) {
            java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                    .withZone(java.time.ZoneOffset.UTC);
            model.addAttribute("versions", characters.versions(viewer.personId(), id).stream()
                    .map(v -> new Version((int) v[0], f.format(java.time.Instant.ofEpochMilli(v[1])),
                            v[0] == c.version())).toList());
        }
        return "app/character";
    }

    /** A saved version, as the character page lists it. */
    record Version(int number, String savedAt, boolean current) {
    }

    /** One saved version's card as Character Card V3 JSON, to look at before restoring it. */
    @GetMapping("/c/{id}/versions/{version}")
    ResponseEntity<byte[]> version(@PathVariable String id, @PathVariable int version, HttpServletRequest request) {
        Profile me = context.person(request);
        byte[] json = CharacterCards.toV3Json(characters.version(me.personId(), id, version));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).header(HttpHeaders.CONTENT_DISPOSITION,
                "attachment; filename=\"version-" + version + ".json\"").body(json);
    }

    @PostMapping("/c/{id}/versions/{version}/restore")
    String restore(@PathVariable String id, @PathVariable int version, HttpServletRequest request) {
        Profile me = context.person(request);
        characters.restore(me.personId(), id, version);
        return "redirect:/c/" + id;
    }

    @PostMapping("/c/{id}/like")
    String like(@PathVariable String id, @RequestParam(defaultValue = "true") boolean like,
            HttpServletRequest request) {
        context.person(request);
        characters.like(context.viewer(request), id, like);
        return "redirect:/c/" + id;
    }

    @PostMapping("/c/{id}/chats")
    String startChat(@PathVariable String id, @RequestParam(required = false) String persona,
            HttpServletRequest request) {
        context.person(request);
        Chat chat = chats.start(context.viewer(request), id, persona);
        return "redirect:/chats/" + chat.id();
    }

    @PostMapping("/c/{id}/group-chats")
    String startGroup(@PathVariable String id, @RequestParam(name = "with", required = false) List<String> with,
            @RequestParam(required = false) String persona, HttpServletRequest request) {
        context.person(request);
        List<String> members = new java.util.ArrayList<>(List.of(id));
        if (with != null) {
            members.addAll(with);
        }
        Chat chat = chats.startGroup(context.viewer(request), members, persona);
        return "redirect:/chats/" + chat.id();
    }

    @PostMapping("/c/{id}/chats/import")
    String importChat(@PathVariable String id, @RequestParam(required = false) String persona,
            @RequestParam(required = false) MultipartFile file, HttpServletRequest request) throws IOException {
        context.person(request);
        byte[] bytes = bytes(file);
        Chat chat = chats.importSillyTavern(context.viewer(request), id, persona, bytes == null ? new byte[0] : bytes);
        return "redirect:/chats/" + chat.id();
    }

    @GetMapping("/c/{id}/export")
    ResponseEntity<byte[]> export(@PathVariable String id, @RequestParam(defaultValue = "png") String format,
            HttpServletRequest request) {
        Viewer viewer = context.viewer(request);
        CharacterView c = characters.find(viewer, id);
        byte[] file = characters.export(viewer, id, format);
        String ext = switch (format) {
            case "png" -> "png";
            case "charx" -> "charx";
            default -> "json";
        };
        MediaType type = switch (ext) {
            case "png" -> MediaType.IMAGE_PNG;
            case "charx" -> MediaType.parseMediaType("application/zip");
            default -> MediaType.APPLICATION_JSON;
        };
        String name = c.name().replaceAll("[^\\p{L}\\p{N} _-]", "").strip();
        return ResponseEntity.ok().contentType(type).header(HttpHeaders.CONTENT_DISPOSITION,
                "attachment; filename=\"" + (name.isEmpty() ? "character" : name) + "." + ext + "\"").body(file);
    }

    @GetMapping("/create")
    String createPage(HttpServletRequest request, Model model) {
        context.person(request);
        context.page(request, model, "Create a character");
        model.addAttribute("draft", null);
        return "app/edit";
    }

    @PostMapping("/create")
    String create(Form form, @RequestParam(required = false) MultipartFile avatar, HttpServletRequest request,
            Model model) throws IOException {
        Profile me = context.person(request);
        CharacterView c = characters.create(me.personId(), form.draft(), bytes(avatar));
        return "redirect:/c/" + c.id();
    }

    @GetMapping("/c/{id}/edit")
    String editPage(@PathVariable String id, HttpServletRequest request, Model model) {
        Profile me = context.person(request);
        CharacterView c = characters.find(new Viewer(me.personId(), false), id);
        if (!c.creatorId().equals(me.personId())) {
            return "redirect:/c/" + id;
        }
        context.page(request, model, "Edit " + c.name());
        model.addAttribute("c", c);
        return "app/edit";
    }

    @PostMapping("/c/{id}/edit")
    String edit(@PathVariable String id, Form form, @RequestParam(required = false) MultipartFile avatar,
            HttpServletRequest request) throws IOException {
        Profile me = context.person(request);
        characters.update(me.personId(), id, form.draft(), bytes(avatar));
        return "redirect:/c/" + id;
    }

    @PostMapping("/c/{id}/delete")
    String delete(@PathVariable String id, HttpServletRequest request) {
        Profile me = context.person(request);
        characters.delete(me.personId(), id);
        return "redirect:/u/" + me.handle();
    }

    @GetMapping("/import")
    String importPage(HttpServletRequest request, Model model) {
        context.person(request);
        context.page(request, model, "Import a card");
        return "app/import";
    }

    @PostMapping("/import")
    String importCard(@RequestParam(required = false) MultipartFile file,
            @RequestParam(defaultValue = "private") String visibility,
            @RequestParam(defaultValue = "teen") String rating, HttpServletRequest request) throws IOException {
        Profile me = context.person(request);
        CharacterView c = characters.importCard(me.personId(), bytes(file) == null ? new byte[0] : bytes(file),
                visibility, rating);
        return "redirect:/c/" + c.id();
    }

    private static byte[] bytes(MultipartFile file) throws IOException {
        return file == null || file.isEmpty() ? null : file.getBytes();
    }

    /** The editor's fields as posted; lists come one item per line (greetings: separated by a line of ---). */
    record Form(String name, String tagline, String description, String personality, String scenario,
            String firstMessage, String alternateGreetings, String exampleDialogues, String systemPrompt,
            String postHistoryInstructions, String creatorNotes, String tags, String visibility, String rating) {

        CharacterDraft draft() {
            List<String> greetings = alternateGreetings == null || alternateGreetings.isBlank() ? List.of()
                    : Arrays.stream(alternateGreetings.split("(?m)^---\\s*$")).map(String::strip)
                            .filter(g -> !g.isEmpty()).toList();
            List<String> tagList = tags == null ? List.of() : Arrays.stream(tags.split("[,\\n]")).map(String::strip)
                    .filter(t -> !t.isEmpty()).toList();
            return new CharacterDraft(v(name), v(tagline), v(description), v(personality), v(scenario),
                    v(firstMessage), greetings, v(exampleDialogues), v(systemPrompt), v(postHistoryInstructions),
                    v(creatorNotes), tagList, visibility == null ? "public" : visibility,
                    rating == null ? "everyone" : rating);
        }

        private static String v(String s) {
            return s == null ? "" : s;
        }
    }
}
