package dev.tandem.companion.memory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code chat_memories} table (migration V11): plain SQL that runs on SQLite and PostgreSQL. */
final class MemoryRows {

    private static final String COLUMNS = "id, chat_id, person_id, kind, content, pinned, source_message_id, "
            + "created_at, updated_at";

    /** A memory and its embedding, to insert. */
    record Row(Memory memory, float[] vector) {
    }

    private final JdbcClient jdbc;

    MemoryRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts all rows in one statement: all or none. */
    void insert(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO chat_memories (" + COLUMNS + ", embedding) VALUES ");
        List<Object> params = new ArrayList<>();
        for (Row r : rows) {
            sql.append(params.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            Memory m = r.memory();
            params.add(m.id());
            params.add(m.chatId());
            params.add(m.personId());
            params.add(m.kind().code());
            params.add(m.content());
            params.add(m.pinned() ? 1 : 0);
            params.add(m.sourceMessageId());
            params.add(m.createdAt());
            params.add(m.updatedAt());
            params.add(Vectors.toBytes(r.vector()));
        }
        jdbc.sql(sql.toString()).params(params).update();
    }

    Optional<Memory> find(String chatId, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM chat_memories WHERE chat_id = ? AND id = ?")
                .params(chatId, id).query((rs, n) -> memory(rs)).optional();
    }

    boolean updateContent(String chatId, String id, String content, float[] vector, long at) {
        return jdbc.sql("UPDATE chat_memories SET content = ?, embedding = ?, updated_at = ? WHERE chat_id = ? AND id = ?")
                .params(content, Vectors.toBytes(vector), at, chatId, id).update() == 1;
    }

    boolean updatePinned(String chatId, String id, boolean pinned, long at) {
        return jdbc.sql("UPDATE chat_memories SET pinned = ?, updated_at = ? WHERE chat_id = ? AND id = ?")
                .params(pinned ? 1 : 0, at, chatId, id).update() == 1;
    }

    boolean delete(String chatId, String id) {
        return jdbc.sql("DELETE FROM chat_memories WHERE chat_id = ? AND id = ?").params(chatId, id).update() == 1;
    }

    int deleteChat(String chatId) {
        return jdbc.sql("DELETE FROM chat_memories WHERE chat_id = ?").params(chatId).update();
    }

    int deletePerson(String personId) {
        return jdbc.sql("DELETE FROM chat_memories WHERE person_id = ?").params(personId).update();
    }

    /** Pinned first, newest first. */
    List<Memory> list(String chatId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM chat_memories WHERE chat_id = ? "
                + "ORDER BY pinned DESC, created_at DESC, id DESC").params(chatId).query((rs, n) -> memory(rs)).list();
    }

    /** Chat by chat, oldest first. */
    List<Memory> listForPerson(String personId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM chat_memories WHERE person_id = ? "
                + "ORDER BY chat_id, created_at, id").params(personId).query((rs, n) -> memory(rs)).list();
    }

    /** All of a chat's memories and embeddings, oldest first. */
    ChatVectors load(String chatId, long at) {
        List<Memory> memories = new ArrayList<>();
        float[][] matrix = {new float[64 * Embedder.DIMENSION]};
        jdbc.sql("SELECT " + COLUMNS + ", embedding FROM chat_memories WHERE chat_id = ? ORDER BY created_at, id")
                .params(chatId).query(rs -> {
                    int n = memories.size();
                    if ((n + 1) * Embedder.DIMENSION > matrix[0].length) {
                        matrix[0] = Arrays.copyOf(matrix[0], matrix[0].length * 2);
                    }
                    Vectors.read(rs.getBytes("embedding"), matrix[0], n * Embedder.DIMENSION);
                    memories.add(memory(rs));
                });
        return ChatVectors.of(memories, matrix[0], at);
    }

    /** Compared with {@link ChatVectors#fingerprint()} to tell whether the cached chat is still current. */
    ChatVectors.Fingerprint fingerprint(String chatId) {
        return jdbc.sql("SELECT COUNT(*) AS n, COALESCE(SUM(updated_at), 0) AS s FROM chat_memories WHERE chat_id = ?")
                .params(chatId)
                .query((rs, i) -> new ChatVectors.Fingerprint(rs.getLong("n"), rs.getLong("s"))).single();
    }

    private static Memory memory(ResultSet rs) throws SQLException {
        return new Memory(rs.getString("id"), rs.getString("chat_id"), rs.getString("person_id"),
                Memory.Kind.ofCode(rs.getString("kind")), rs.getString("content"), rs.getInt("pinned") != 0,
                rs.getString("source_message_id"), rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
