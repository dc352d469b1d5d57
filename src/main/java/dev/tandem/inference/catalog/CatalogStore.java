package dev.tandem.inference.catalog;

import dev.tandem.inference.ModelSettings;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * The model catalog in the database ({@code model_channels}): one row per channel, its settings as JSON and its
 * upstream key sealed by {@link SecretBox}. Every change bumps {@code catalog_revision} in its transaction, which
 * every node polls. Channel names are fixed when a model is stored, so an operator's switch names the same
 * channel on every node.
 */
final class CatalogStore {

    private static final Logger log = LoggerFactory.getLogger(CatalogStore.class);

    /** A stored channel: its settings (API key opened) and whether it is in service. */
    record Row(ModelSettings settings, boolean enabled) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final SecretBox secrets;
    private final Clock clock;

    CatalogStore(JdbcClient jdbc, TransactionTemplate tx, ObjectMapper json, SecretBox secrets, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** API keys this node's configuration gives, by model and channel: used when a sealed key cannot be opened. */
    private final Map<String, String> configuredKeys = new ConcurrentHashMap<>();

    /**
     * Opens a channel's sealed key; when it was sealed with another node's master key but this node's
     * configuration names the same channel, the configured key is used (nodes sharing configuration need not
     * share a master key for configured models).
     */
    private String open(ModelSettings s, String sealed) {
        try {
            return secrets.open(sealed);
        } catch (IllegalStateException e) {
            String configured = configuredKeys.get(s.id() + "\u0000" + s.channel());
            if (configured != null) {
                return configured;
            }
            throw e;
        }
    }

    long revision() {
        return jdbc.sql("SELECT revision FROM catalog_revision WHERE id = 1").query(Long.class).single();
    }

    /** Every channel in the database, model by model, in position order; unreadable rows are left out. */
    List<Row> load() {
        return jdbc.sql("SELECT model, position, settings, api_key, enabled FROM model_channels "
                + "ORDER BY model, position").query((rs, i) -> {
                    String model = rs.getString(1);
                    try {
                        ModelSettings s = json.readValue(rs.getString(3), ModelSettings.class);
                        String sealed = rs.getString(4);
                        return new Row(withKey(s, sealed == null ? null : open(s, sealed)), rs.getInt(5) == 1);
                    } catch (RuntimeException e) {
                        log.error("model {} channel {} in the database cannot be used: {}", model, rs.getInt(2),
                                e.getMessage());
                        return null;
                    }
                }).list().stream().filter(r -> r != null).toList();
    }

    /**
     * Stores each configured model the database does not have yet, or whose configuration changed since it was
     * last stored from it; a model whose configuration did not change keeps what was changed at runtime.
     */
    void seed(List<ModelSettings> configured) {
        Map<String, List<ModelSettings>> groups = group(configured);
        groups.forEach((model, channels) -> named(channels).forEach(s -> {
            if (s.apiKey() != null) {
                configuredKeys.put(model + "\u0000" + s.channel(), s.apiKey());
            }
        }));
        tx.executeWithoutResult(t -> {
            boolean any = false;
            for (Map.Entry<String, List<ModelSettings>> g : groups.entrySet()) {
                String model = g.getKey();
                String hash = hash(g.getValue());
                String seen = jdbc.sql("SELECT hash FROM catalog_seeds WHERE model = :m").param("m", model)
                        .query(String.class).optional().orElse(null);
                long present = jdbc.sql("SELECT COUNT(*) FROM model_channels WHERE model = :m").param("m", model)
                        .query(Long.class).single();
                if (present > 0 && hash.equals(seen)) {
                    continue;
                }
                if (present > 0 && seen == null) {
                    // stored before at runtime: configuration now names it too, and wins
                    log.info("model {}: configuration replaces the stored settings", model);
                }
                jdbc.sql("DELETE FROM model_channels WHERE model = :m").param("m", model).update();
                insert(model, g.getValue());
                jdbc.sql("DELETE FROM catalog_seeds WHERE model = :m").param("m", model).update();
                jdbc.sql("INSERT INTO catalog_seeds (model, hash) VALUES (:m, :h)").param("m", model)
                        .param("h", hash).update();
                any = true;
            }
            if (any) {
                bump();
            }
        });
    }

    /** A digest of a model's configured settings, its API keys included (so a new key counts as a change). */
    private String hash(List<ModelSettings> channels) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (ModelSettings s : named(channels)) {
                d.update(json.writeValueAsBytes(s));
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces every channel of {@code model}; channels named as before keep their enabled switch. */
    void put(String model, List<ModelSettings> channels) {
        tx.executeWithoutResult(t -> {
            List<String> disabled = jdbc.sql("SELECT settings FROM model_channels WHERE model = :m AND enabled = 0")
                    .param("m", model).query((rs, i) -> json.readValue(rs.getString(1), ModelSettings.class)
                            .channel()).list();
            jdbc.sql("DELETE FROM model_channels WHERE model = :m").param("m", model).update();
            insert(model, channels);
            disabled.forEach(channel -> setEnabledRow(model, channel, false));
            bump();
        });
    }

    boolean delete(String model) {
        return Boolean.TRUE.equals(tx.execute(t -> {
            int n = jdbc.sql("DELETE FROM model_channels WHERE model = :m").param("m", model).update();
            if (n > 0) {
                bump();
            }
            return n > 0;
        }));
    }

    /** Takes a channel out of service on every node, or puts it back; false when there is no such channel. */
    boolean setEnabled(String model, String channel, boolean enabled) {
        return Boolean.TRUE.equals(tx.execute(t -> {
            boolean found = setEnabledRow(model, channel, enabled);
            if (found) {
                bump();
            }
            return found;
        }));
    }

    private boolean setEnabledRow(String model, String channel, boolean enabled) {
        List<Integer> positions = jdbc.sql("SELECT position, settings FROM model_channels WHERE model = :m")
                .param("m", model).query((rs, i) -> json.readValue(rs.getString(2), ModelSettings.class)
                        .channel().equals(channel) ? rs.getInt(1) : -1).list();
        boolean found = false;
        for (int p : positions) {
            if (p >= 0) {
                jdbc.sql("UPDATE model_channels SET enabled = :e, updated_at = :at WHERE model = :m AND position = :p")
                        .param("e", enabled ? 1 : 0).param("at", clock.millis()).param("m", model).param("p", p)
                        .update();
                found = true;
            }
        }
        return found;
    }

    private void insert(String model, List<ModelSettings> channels) {
        List<ModelSettings> named = named(channels);
        for (int i = 0; i < named.size(); i++) {
            ModelSettings s = named.get(i);
            jdbc.sql("INSERT INTO model_channels (model, position, settings, api_key, enabled, updated_at) "
                    + "VALUES (:m, :p, :s, :k, 1, :at)")
                    .param("m", model).param("p", i).param("s", json.writeValueAsString(withKey(s, null)))
                    .param("k", s.apiKey() == null || s.apiKey().isBlank() ? null : secrets.seal(s.apiKey()))
                    .param("at", clock.millis()).update();
        }
    }

    private void bump() {
        jdbc.sql("UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1").update();
    }

    /** The channels of one model, each with its name fixed: its own, or its engine and the model id. */
    static List<ModelSettings> named(List<ModelSettings> channels) {
        List<ModelSettings> out = new ArrayList<>(channels.size());
        for (int i = 0; i < channels.size(); i++) {
            ModelSettings s = channels.get(i);
            String name = s.channel() != null && !s.channel().isBlank() ? s.channel()
                    : s.engine() + ":" + s.id() + (channels.size() > 1 ? "#" + (i + 1) : "");
            out.add(withChannel(s, name));
        }
        return out;
    }

    static Map<String, List<ModelSettings>> group(List<ModelSettings> all) {
        Map<String, List<ModelSettings>> byId = new LinkedHashMap<>();
        for (ModelSettings s : all) {
            byId.computeIfAbsent(s.id(), id -> new ArrayList<>()).add(s);
        }
        return byId;
    }

    static ModelSettings withKey(ModelSettings s, @Nullable String apiKey) {
        return copy(s, apiKey, s.channel());
    }

    private static ModelSettings withChannel(ModelSettings s, String channel) {
        return copy(s, s.apiKey(), channel);
    }

    /** {@code s} with another API key and channel name. */
    private static ModelSettings copy(ModelSettings s, @Nullable String apiKey, @Nullable String channel) {
        return new ModelSettings(s.id(), s.engine(), s.path(), s.url(), s.sha256(), s.contextSize(), s.parallel(),
                s.threads(), s.chatTemplate(), s.baseUrl(), apiKey, s.upstreamModel(), s.reasoningFormat(),
                s.headers(), s.connectTimeout(), s.readTimeout(), s.contextLength(), s.maxOutputTokens(),
                s.maxQueue(), s.queueTimeout(), s.ownedBy(), s.priority(), s.weight(), channel,
                s.maxConcurrency(), s.firstTokenTimeout(), s.totalTimeout(), s.aliases(), s.fallbacks(),
                s.machineCostPerHour(), s.cost());
    }
}
