package dev.tandem.web.admin;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ManagementCalls;
import dev.tandem.store.Store;
import dev.tandem.store.StoreAudit;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The store's audit log over the management API, platform admin only: {@code GET /v1/admin/store/audit} with the
 * optional query parameters {@code store} ({@code apple}, {@code google_play}, {@code stripe}), {@code outcome},
 * {@code reason}, {@code person_id}, {@code limit} (1 to 200, 50) and {@code after} (the last id of the previous
 * page); newest first, with {@code has_more}.
 */
@RestController
class StoreAdminApi {

    private final ManagementCalls calls;
    private final StoreAudit audit;
    private final JsonMapper json;

    StoreAdminApi(ManagementCalls calls, StoreAudit audit, JsonMapper json) {
        this.calls = calls;
        this.audit = audit;
        this.json = json;
    }

    @GetMapping("/v1/admin/store/audit")
    void list(HttpServletRequest request, HttpServletResponse response) {
        calls.platformAdmin(request, response, r -> {
            StoreAudit.Filter filter;
            try {
                String after = param(request, "after");
                StoreAudit.Entry before = after == null ? null : audit.find(after).orElseThrow(() ->
                        ApiError.invalid("after: no audit entry '" + after + "'", "after"));
                filter = new StoreAudit.Filter(store(param(request, "store")), lower(param(request, "outcome")),
                        param(request, "reason"), param(request, "person_id"), before, limit(param(request, "limit")));
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid(e.getMessage(), null);
            }
            List<StoreAudit.Entry> found = audit.list(filter);
            boolean more = found.size() > filter.limit();
            ObjectNode o = json.createObjectNode();
            o.put("object", "list");
            ArrayNode data = o.putArray("data");
            for (StoreAudit.Entry e : more ? found.subList(0, filter.limit()) : found) {
                ObjectNode row = data.addObject();
                row.put("object", "store.audit_entry");
                row.put("id", e.id());
                row.put("store", e.store().name().toLowerCase(Locale.ROOT));
                row.put("outcome", e.outcome());
                row.put("reason", e.reason());
                row.put("person_id", e.personId());
                row.put("transaction_id", e.transactionId());
                row.put("notification_id", e.notificationId());
                row.put("detail", e.detail());
                row.put("created_at", e.at().getEpochSecond());
            }
            o.put("has_more", more);
            return new ManagementCalls.Reply(200, o);
        });
    }

    private static @Nullable String param(HttpServletRequest request, String name) {
        String v = request.getParameter(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static @Nullable String lower(@Nullable String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static @Nullable Store store(@Nullable String s) {
        if (s == null) {
            return null;
        }
        try {
            return Store.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("store: apple, google_play or stripe, was '" + s + "'");
        }
    }

    private static int limit(@Nullable String s) {
        if (s == null) {
            return 50;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit: a whole number from 1 to 200, was '" + s + "'");
        }
    }
}
