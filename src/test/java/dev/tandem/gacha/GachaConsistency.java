package dev.tandem.gacha;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What must hold between draws, cards, shards and gems whatever happened (a crash included), checked in SQL on
 * SQLite and PostgreSQL alike; one line per difference.
 */
final class GachaConsistency {

    private GachaConsistency() {
    }

    static final String[][] CHECKS = {
        {"a draw without exactly its pulls' cards", """
            SELECT d.id FROM gacha_draws d LEFT JOIN gacha_draw_cards c ON c.draw_id = d.id
            GROUP BY d.id, d.pulls HAVING COUNT(c.seq) <> d.pulls"""},
        {"a draw whose gems spend is not exactly its cost", """
            SELECT d.id FROM gacha_draws d WHERE d.cost <> COALESCE((SELECT -SUM(e.amount) FROM ledger_transactions t
              JOIN ledger_entries e ON e.transaction_id = t.id WHERE t.idempotency_key = 'gems:' || d.gems_key
              AND e.account_id IN ('person:' || d.person_id || ':gems:paid', 'person:' || d.person_id || ':gems:free')), 0)"""},
        {"a gems spend for a draw that was not recorded", """
            SELECT t.id FROM ledger_transactions t WHERE t.kind = 'draw'
              AND NOT EXISTS (SELECT 1 FROM gacha_draws d WHERE 'gems:' || d.gems_key = t.idempotency_key)"""},
        {"a collection count that is not its draws plus its shop purchases", """
            SELECT o.person_id || ' ' || o.card_id FROM gacha_collection o WHERE o.copies <>
              (SELECT COUNT(*) FROM gacha_draw_cards c JOIN gacha_draws d ON d.id = c.draw_id
                 WHERE d.person_id = o.person_id AND c.card_id = o.card_id)
              + (SELECT COUNT(*) FROM gacha_shard_moves m WHERE m.person_id = o.person_id AND m.kind = 'shop'
                 AND m.reference = o.card_id)"""},
        {"a drawn card missing from its owner's collection", """
            SELECT d.person_id || ' ' || c.card_id FROM gacha_draw_cards c JOIN gacha_draws d ON d.id = c.draw_id
            WHERE NOT EXISTS (SELECT 1 FROM gacha_collection o WHERE o.person_id = d.person_id AND o.card_id = c.card_id)"""},
        {"a shard balance that is not the sum of its moves, or below zero", """
            SELECT s.person_id FROM gacha_shards s WHERE s.balance < 0 OR s.balance <>
              COALESCE((SELECT SUM(m.amount) FROM gacha_shard_moves m WHERE m.person_id = s.person_id), 0)"""},
        {"a draw whose duplicates' shards were not moved exactly once", """
            SELECT d.id FROM gacha_draws d WHERE d.shards <> COALESCE((SELECT SUM(c.shards) FROM gacha_draw_cards c
              WHERE c.draw_id = d.id), 0) OR (d.shards > 0 AND NOT EXISTS (SELECT 1 FROM gacha_shard_moves m
              WHERE m.idempotency_key = 'draw:' || d.id AND m.amount = d.shards))"""},
        {"a nonce used twice under one server seed", """
            SELECT server_hash || ' ' || nonce FROM gacha_draws GROUP BY server_hash, nonce HAVING COUNT(*) > 1"""},
        {"a seed in use whose next nonce is not its draw count", """
            SELECT p.person_id FROM gacha_players p WHERE p.next_nonce <>
              (SELECT COUNT(*) FROM gacha_draws d WHERE d.server_hash = p.server_hash)"""},
    };

    static List<String> problems(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            for (String[] check : CHECKS) {
                try (ResultSet rs = s.executeQuery(check[1])) {
                    while (rs.next()) {
                        out.add(check[0] + ": " + rs.getString(1));
                    }
                }
            }
        }
        return out;
    }
}
