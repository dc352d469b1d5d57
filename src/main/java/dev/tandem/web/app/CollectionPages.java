package dev.tandem.web.app;

import dev.tandem.companion.CharacterView;
import dev.tandem.companion.Characters;
import dev.tandem.companion.CompanionException;
import dev.tandem.companion.Profile;
import dev.tandem.companion.Viewer;
import dev.tandem.gacha.Banners;
import dev.tandem.gacha.Card;
import dev.tandem.gacha.CardCollection;
import dev.tandem.gacha.CardDraft;
import dev.tandem.gacha.Cards;
import dev.tandem.gacha.Rarity;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * Cards: the person's collection and shards, a card's page (its unlocked story or greeting once owned, and the
 * shard shop's non-random path to it), a character's card set, and the set's editor for its creator.
 */
@Controller
class CollectionPages {

    private final AppContext context;
    private final Cards cards;
    private final CardCollection collection;
    private final Characters characters;
    private final Banners banners;

    CollectionPages(AppContext context, Cards cards, CardCollection collection, Characters characters,
            Banners banners) {
        this.context = context;
        this.cards = cards;
        this.collection = collection;
        this.characters = characters;
        this.banners = banners;
    }

    @GetMapping("/collection")
    String collection(HttpServletRequest request, Model model) {
        Profile me = context.person(request);
        context.page(request, model, "Collection");
        model.addAttribute("owned", collection.owned(me.personId()));
        model.addAttribute("shards", collection.shards(me.personId()));
        model.addAttribute("moves", collection.shardHistory(me.personId(), 20));
        model.addAttribute("prices", prices());
        return "app/collection";
    }

    @GetMapping("/cards/{id}")
    String card(@PathVariable String id, HttpServletRequest request, Model model) {
        Viewer viewer = context.viewer(request);
        Card card;
        CharacterView character = null;
        try {
            card = cards.visible(viewer, id);
            character = cards.character(viewer, card);
        } catch (CompanionException hidden) {
            // a card one owns stays theirs to see when its character is deleted or made private
            card = cards.find(id).filter(c -> viewer.personId() != null
                    && collection.copies(viewer.personId(), id) > 0).orElseThrow(() -> hidden);
        }
        context.page(request, model, card.name());
        model.addAttribute("card", card);
        model.addAttribute("character", character);
        model.addAttribute("price", collection.price(card.rarity()));
        model.addAttribute("banners", banners.holding(id));
        model.addAttribute("mayEdit", cards.mayEdit(viewer.personId(), card.characterId()));
        if (viewer.personId() != null) {
            model.addAttribute("copies", collection.copies(viewer.personId(), id));
            model.addAttribute("shards", collection.shards(viewer.personId()));
            model.addAttribute("key", UUID.randomUUID().toString());
        }
        return "app/card";
    }

    @PostMapping("/cards/{id}/buy")
    String buy(@PathVariable String id, @RequestParam(defaultValue = "") String key, HttpServletRequest request) {
        Profile me = context.person(request);
        collection.buy(me.personId(), id, key);
        return "redirect:/cards/" + id + "?bought";
    }

    @GetMapping("/sets/{characterId}")
    String set(@PathVariable String characterId, HttpServletRequest request, Model model) {
        Viewer viewer = context.viewer(request);
        CharacterView c = characters.find(viewer, characterId);
        context.page(request, model, "Cards of " + c.name());
        model.addAttribute("c", c);
        model.addAttribute("set", cards.ofCharacter(characterId));
        model.addAttribute("owned", viewer.personId() == null ? Map.of() : collection.copiesByCard(viewer.personId()));
        model.addAttribute("prices", prices());
        model.addAttribute("mayEdit", cards.mayEdit(viewer.personId(), characterId));
        model.addAttribute("rarities", List.of(Rarity.values()));
        return "app/set";
    }

    @PostMapping("/sets/{characterId}/cards")
    String create(@PathVariable String characterId, @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String rarity, @RequestParam(name = "unlock_kind", defaultValue = "story")
            String unlockKind, @RequestParam(name = "unlock_text", defaultValue = "") String unlockText,
            @RequestParam(required = false) MultipartFile art, HttpServletRequest request) throws IOException {
        Profile me = context.person(request);
        Card card = cards.create(new Cards.Editor(me.personId(), false), characterId,
                CardDraft.of(name, rarity, unlockKind, unlockText), bytes(art));
        return "redirect:/cards/" + card.id();
    }

    @GetMapping("/cards/{id}/edit")
    String edit(@PathVariable String id, HttpServletRequest request, Model model) {
        Profile me = context.person(request);
        Card card = cards.visible(new Viewer(me.personId(), false), id);
        if (!cards.mayEdit(me.personId(), card.characterId())) {
            return "redirect:/cards/" + id;
        }
        context.page(request, model, "Edit " + card.name());
        model.addAttribute("card", card);
        model.addAttribute("rarities", List.of(Rarity.values()));
        return "app/card-edit";
    }

    @PostMapping("/cards/{id}/edit")
    String update(@PathVariable String id, @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String rarity, @RequestParam(name = "unlock_kind", defaultValue = "story")
            String unlockKind, @RequestParam(name = "unlock_text", defaultValue = "") String unlockText,
            @RequestParam(required = false) MultipartFile art, HttpServletRequest request) throws IOException {
        Profile me = context.person(request);
        cards.update(new Cards.Editor(me.personId(), false), id, CardDraft.of(name, rarity, unlockKind, unlockText),
                bytes(art));
        return "redirect:/cards/" + id;
    }

    private Map<Rarity, Long> prices() {
        Map<Rarity, Long> out = new java.util.EnumMap<>(Rarity.class);
        for (Rarity r : Rarity.values()) {
            out.put(r, collection.price(r));
        }
        return out;
    }

    private static byte[] bytes(MultipartFile file) throws IOException {
        return file == null || file.isEmpty() ? null : file.getBytes();
    }
}
