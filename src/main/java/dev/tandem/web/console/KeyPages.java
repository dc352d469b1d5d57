package dev.tandem.web.console;

import dev.tandem.billing.Money;
import dev.tandem.identity.ApiKeyInfo;
import dev.tandem.identity.ApiKeys;
import dev.tandem.identity.ConsoleSession;
import dev.tandem.identity.CreatedKey;
import dev.tandem.identity.IdentityException;
import dev.tandem.identity.KeyRole;
import dev.tandem.identity.KeySpec;
import dev.tandem.identity.Permission;
import dev.tandem.inference.Inference;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * An organization's API keys: list, create (the secret shown once), change limits, allow-lists and expiry, rotate,
 * revoke. Who may do what follows {@link dev.tandem.identity.MemberRole}: developers make developer keys and
 * manage the ones they made; owners and admins manage all.
 */
@Controller
class KeyPages {

    private final ConsolePages pages;
    private final ApiKeys keys;
    private final Inference inference;

    KeyPages(ConsolePages pages, ApiKeys keys, Inference inference) {
        this.pages = pages;
        this.keys = keys;
        this.inference = inference;
    }

    /** A key as the page shows it; the text fields are also what its edit form starts with. */
    record Row(String id, String name, String prefix, String role, String status, String created, String lastUsed,
            String expires, String models, String ipAllow, String daily, String monthly, String rpm, String tpm,
            String streams, boolean changeable, boolean active) {
    }

    @GetMapping("/console/orgs/{org}/keys")
    String list(@PathVariable String org, HttpServletRequest request, Model model) {
        ConsoleSession s = pages.session(request);
        return page(s, pages.place(s, org, Permission.READ_KEYS), model);
    }

    @PostMapping("/console/orgs/{org}/keys")
    String create(@PathVariable String org, @RequestParam Map<String, String> form, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        return pages.form(request, response, model, org, Permission.CREATE_KEYS, (place, m) -> {
            KeySpec spec = KeyForm.read(form, KeyRole.DEVELOPER, inference);
            requireRole(place, spec.role());
            CreatedKey created = keys.create(place.id(), spec, place.actor());
            m.addAttribute("secret", created.secret());
            m.addAttribute("notice", "Key '" + spec.name() + "' created. Copy its secret now: it is shown only "
                    + "this once.");
        }, this::page);
    }

    @PostMapping("/console/orgs/{org}/keys/{key}")
    String update(@PathVariable String org, @PathVariable String key, @RequestParam Map<String, String> form,
            HttpServletRequest request, HttpServletResponse response, Model model) {
        return pages.form(request, response, model, org, Permission.CREATE_KEYS, (place, m) -> {
            ApiKeyInfo current = changeable(place, key);
            KeySpec spec = KeyForm.read(form, current.spec().role(), inference);
            requireRole(place, spec.role());
            keys.update(place.id(), key, spec);
            m.addAttribute("notice", "Key '" + spec.name() + "' updated.");
        }, this::page);
    }

    @PostMapping("/console/orgs/{org}/keys/{key}/rotate")
    String rotate(@PathVariable String org, @PathVariable String key, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        return pages.form(request, response, model, org, Permission.CREATE_KEYS, (place, m) -> {
            ApiKeyInfo current = changeable(place, key);
            CreatedKey created = keys.rotate(place.id(), key).orElseThrow(() -> noKey(key));
            m.addAttribute("secret", created.secret());
            m.addAttribute("notice", "Key '" + current.spec().name() + "' rotated: the old secret no longer "
                    + "works. Copy the new one now: it is shown only this once.");
        }, this::page);
    }

    @PostMapping("/console/orgs/{org}/keys/{key}/revoke")
    String revoke(@PathVariable String org, @PathVariable String key, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        return pages.form(request, response, model, org, Permission.CREATE_KEYS, (place, m) -> {
            ApiKeyInfo current = changeable(place, key);
            keys.revoke(place.id(), key);
            m.addAttribute("notice", "Key '" + current.spec().name() + "' revoked.");
        }, this::page);
    }

    private String page(ConsoleSession s, ConsolePages.Place place, Model model) {
        pages.frame(model, s, place, "keys");
        model.addAttribute("mayCreate", place.may(Permission.CREATE_KEYS));
        model.addAttribute("mayMakeAdmin", place.role().mayGive(KeyRole.ADMIN));
        model.addAttribute("keys", keys.list(place.id()).reversed().stream().map(k -> row(k, place)).toList());
        return "console/keys";
    }

    private ApiKeyInfo changeable(ConsolePages.Place place, String key) {
        ApiKeyInfo k = keys.find(place.id(), key).filter(i -> i.revokedAt() == null).orElseThrow(() -> noKey(key));
        if (!place.role().mayChange(k, place.actor())) {
            throw new IdentityException(IdentityException.Reason.FORBIDDEN, "Your role (" + place.role().wire()
                    + ") may change only the keys you made yourself.", "key");
        }
        return k;
    }

    private static void requireRole(ConsolePages.Place place, KeyRole role) {
        if (!place.role().mayGive(role)) {
            throw new IdentityException(IdentityException.Reason.FORBIDDEN, "Your role (" + place.role().wire()
                    + ") may make developer keys only; admin keys need the owner or admin role.", "role");
        }
    }

    private static IdentityException noKey(String key) {
        return new IdentityException(IdentityException.Reason.NOT_FOUND, "No valid API key '" + key
                + "' in this organization.", "key");
    }

    /** {@code active}, {@code revoked} or {@code expired}. */
    static String status(ApiKeyInfo k) {
        if (k.revokedAt() != null) {
            return "revoked";
        }
        Long expires = k.spec().expiresAt();
        return expires != null && expires <= System.currentTimeMillis() ? "expired" : "active";
    }

    private static Row row(ApiKeyInfo k, ConsolePages.Place place) {
        KeySpec spec = k.spec();
        String status = status(k);
        return new Row(k.id(), spec.name(), k.prefix(), spec.role().wire(), status, ConsolePages.time(k.createdAt()),
                k.lastUsedAt() == null ? "never" : ConsolePages.time(k.lastUsedAt()), date(spec.expiresAt()),
                String.join(", ", spec.models()), String.join(", ", spec.ipAllow()), money(spec.spendLimitDaily()),
                money(spec.spendLimitMonthly()), number(spec.rpm()), number(spec.tpm()), number(spec.maxStreams()),
                k.revokedAt() == null && place.role().mayChange(k, place.actor()), status.equals("active"));
    }

    private static String date(@Nullable Long millis) {
        return millis == null ? "" : Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    private static String money(@Nullable Long micros) {
        return micros == null ? "" : Money.format(micros);
    }

    private static String number(@Nullable Integer n) {
        return n == null ? "" : n.toString();
    }
}
