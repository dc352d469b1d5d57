package dev.tandem.gacha;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each person's provably fair seeds ({@code docs/provably-fair.md}): a server seed in use, whose SHA-256 is shown
 * before any draw under it; the client seed they chose (a random one until they do); the next nonce. Rotating
 * reveals the server seed in use and starts a new one at nonce 0; setting the client seed rotates too, so a
 * client seed is never chosen after seeing draws under the server seed. Thread-safe; every change locks the
 * person's row first, so it runs one at a time with the person's draws.
 */
@Service
public class Fairness {

    /**
     * The seeds a person's next draw uses.
     *
     * @param serverHash SHA-256 of the server seed in use: the commitment shown before drawing
     * @param nextNonce  the nonce of the next draw under it
     * @param since      when this server seed came into use (epoch ms)
     */
    public record Seeds(String serverHash, String clientSeed, long nextNonce, long since) {
    }

    /**
     * A server seed taken out of use, revealed.
     *
     * @param noncesUsed the draws made under it: nonces {@code 0..noncesUsed-1}
     */
    public record Revealed(String serverHash, String serverSeed, String clientSeed, long noncesUsed, long createdAt,
            long revealedAt) {
    }

    /** The locked row of a draw in progress: the secret seed, which never leaves the module. */
    record Player(ServerSeed serverSeed, String serverHash, String clientSeed, long nextNonce) {
    }

    private static final HexFormat HEX = HexFormat.of();

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Fairness(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /** The person's seeds, making them on first use: what a banner page shows before a draw. */
    public Seeds current(String personId) {
        Optional<Seeds> seeds = read(personId);
        if (seeds.isPresent()) {
            return seeds.get();
        }
        return tx.execute(s -> {
            Player p = lock(personId);
            return new Seeds(p.serverHash(), p.clientSeed(), p.nextNonce(), read(personId).orElseThrow().since());
        });
    }

    /**
     * Sets the client seed and rotates the server seed (the one in use is revealed).
     *
     * @throws GachaException INVALID when the seed is not 1 to 64 printable ASCII characters without spaces
     */
    public Revealed setClientSeed(String personId, String clientSeed) {
        String seed = clientSeed.strip();
        try {
            ProvablyFair.checkClientSeed(seed);
        } catch (IllegalArgumentException e) {
            throw GachaException.invalid("client_seed", "A client seed has 1 to 64 printable ASCII characters and no "
                    + "spaces.");
        }
        return rotate(personId, seed);
    }

    /** Reveals the server seed in use and starts a new one (nonce 0), keeping the client seed. */
    public Revealed rotate(String personId) {
        return rotate(personId, null);
    }

    /** The person's revealed server seeds, newest first. */
    public List<Revealed> revealed(String personId) {
        return jdbc.sql("SELECT server_hash, server_seed, client_seed, nonces_used, created_at, revealed_at "
                        + "FROM gacha_revealed_seeds WHERE person_id = :p ORDER BY revealed_at DESC, server_hash")
                .param("p", personId)
                .query((rs, i) -> new Revealed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6)))
                .list();
    }

    /** The revealed seed whose hash is {@code serverHash}; empty while it is still in use. */
    public Optional<Revealed> revealed(String personId, String serverHash) {
        return jdbc.sql("SELECT server_hash, server_seed, client_seed, nonces_used, created_at, revealed_at "
                        + "FROM gacha_revealed_seeds WHERE person_id = :p AND server_hash = :h")
                .param("p", personId).param("h", serverHash)
                .query((rs, i) -> new Revealed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6)))
                .optional();
    }

    private Revealed rotate(String personId, @Nullable String newClientSeed) {
        return tx.execute(s -> {
            Player p = lock(personId);
            long now = clock.millis();
            long since = read(personId).orElseThrow().since();
            jdbc.sql("INSERT INTO gacha_revealed_seeds (server_hash, person_id, server_seed, client_seed, nonces_used, "
                            + "created_at, revealed_at) VALUES (:h, :p, :s, :c, :n, :since, :now)")
                    .param("h", p.serverHash()).param("p", personId).param("s", p.serverSeed().hex())
                    .param("c", p.clientSeed()).param("n", p.nextNonce()).param("since", since).param("now", now)
                    .update();
            ServerSeed next = ServerSeed.generate(random);
            jdbc.sql("UPDATE gacha_players SET server_seed = :s, server_hash = :h, client_seed = :c, next_nonce = 0, "
                            + "seed_since = :now WHERE person_id = :p")
                    .param("s", next.hex()).param("h", next.hash())
                    .param("c", newClientSeed == null ? p.clientSeed() : newClientSeed).param("now", now)
                    .param("p", personId).update();
            return new Revealed(p.serverHash(), p.serverSeed().hex(), p.clientSeed(), p.nextNonce(), since, now);
        });
    }

    private Optional<Seeds> read(String personId) {
        return jdbc.sql("SELECT server_hash, client_seed, next_nonce, seed_since FROM gacha_players "
                        + "WHERE person_id = :p")
                .param("p", personId)
                .query((rs, i) -> new Seeds(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)))
                .optional();
    }

    /**
     * In the caller's transaction: makes the person's row if needed and takes its write lock (its first statement
     * writes, which on SQLite takes the database's write lock before anything is read), then reads it.
     */
    Player lock(String personId) {
        Optional<Player> locked = lockExisting(personId);
        if (locked.isPresent()) {
            return locked.get();
        }
        ServerSeed seed = ServerSeed.generate(random);
        byte[] client = new byte[8];
        random.nextBytes(client);
        long now = clock.millis();
        jdbc.sql("INSERT INTO gacha_players (person_id, server_seed, server_hash, client_seed, next_nonce, seed_since, "
                        + "created_at) VALUES (:p, :s, :h, :c, 0, :now, :now) ON CONFLICT (person_id) DO NOTHING")
                .param("p", personId).param("s", seed.hex()).param("h", seed.hash()).param("c", HEX.formatHex(client))
                .param("now", now).update();
        return lockExisting(personId).orElseThrow();
    }

    /** The write that locks the row (PostgreSQL: the row; SQLite: the database) and reads it in one statement. */
    private Optional<Player> lockExisting(String personId) {
        return jdbc.sql("UPDATE gacha_players SET next_nonce = next_nonce WHERE person_id = :p "
                        + "RETURNING server_seed, server_hash, client_seed, next_nonce")
                .param("p", personId)
                .query((rs, i) -> new Player(new ServerSeed(rs.getString(1)), rs.getString(2), rs.getString(3),
                        rs.getLong(4)))
                .optional();
    }

    /** In the caller's transaction, after {@link #lock}: the draw used the nonce; the next one is one more. */
    void advance(String personId) {
        jdbc.sql("UPDATE gacha_players SET next_nonce = next_nonce + 1 WHERE person_id = :p").param("p", personId)
                .update();
    }
}
