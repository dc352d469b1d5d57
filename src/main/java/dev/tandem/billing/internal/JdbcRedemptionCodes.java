package dev.tandem.billing.internal;

import dev.tandem.billing.Money;
import dev.tandem.billing.RedemptionCodes;
import dev.tandem.billing.Redemption;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link RedemptionCodes} in the database. A code is {@code TDM-} and 20 characters of Crockford's base-32
 * alphabet in groups of five (100 random bits); only its SHA-256 is stored, with {@code TDM-} and its first group
 * as the visible prefix. Redeeming goes through the ledger writer, so the check that the code is unused, the
 * mark that it is used and the credit are one transaction.
 */
@Component
class JdbcRedemptionCodes implements RedemptionCodes {

    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int CODE_CHARS = 20;
    private static final long MAX_AMOUNT = 1_000_000L * Money.MICROS_PER_UNIT;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate tx;
    private final LedgerWriter writer;
    private final Clock clock;

    JdbcRedemptionCodes(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate tx, LedgerWriter writer,
            Clock clock) {
        this.jdbc = jdbc;
        this.template = template;
        this.tx = tx;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public Created create(int count, long amount, @Nullable Long expiresAt, @Nullable String memo, String createdBy) {
        if (count < 1 || count > MAX_BATCH) {
            throw new IllegalArgumentException("count must be 1 to " + MAX_BATCH + ", was " + count);
        }
        if (amount <= 0 || amount > MAX_AMOUNT) {
            throw new IllegalArgumentException("amount must be more than 0 and at most " + Money.format(MAX_AMOUNT)
                    + ", was " + Money.format(amount));
        }
        long now = clock.millis();
        String batchId = "rcb_" + LedgerWriter.newId();
        List<String> codes = new ArrayList<>(count);
        List<Object[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String canonical = randomCode();
            codes.add(display(canonical));
            rows.add(new Object[] {"rc_" + LedgerWriter.newId(), batchId, prefix(canonical), hash(canonical)});
        }
        tx.executeWithoutResult(s -> {
            jdbc.sql("INSERT INTO redemption_batches (id, amount, code_count, expires_at, memo, created_by, created_at) "
                            + "VALUES (:id, :amount, :count, :expires, :memo, :by, :at)")
                    .param("id", batchId).param("amount", amount).param("count", count).param("expires", expiresAt)
                    .param("memo", memo).param("by", createdBy).param("at", now).update();
            template.batchUpdate("INSERT INTO redemption_codes (id, batch_id, prefix, code_hash, status) "
                    + "VALUES (?, ?, ?, ?, 'unused')", rows);
        });
        return new Created(batch(batchId).orElseThrow(), List.copyOf(codes));
    }

    private static String randomCode() {
        char[] c = new char[CODE_CHARS];
        for (int i = 0; i < c.length; i++) {
            c[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new String(c);
    }

    private static String display(String canonical) {
        StringBuilder b = new StringBuilder("TDM");
        for (int i = 0; i < canonical.length(); i += 5) {
            b.append('-').append(canonical, i, i + 5);
        }
        return b.toString();
    }

    private static String prefix(String canonical) {
        return "TDM-" + canonical.substring(0, 5);
    }

    /**
     * The 20 code characters of what a person typed: any case, dashes and spaces ignored, the {@code TDM} start
     * optional, and the letters Crockford's alphabet leaves out read as the digits they look like; null when it
     * cannot be a code.
     */
    static @Nullable String canonical(String typed) {
        String s = typed.toUpperCase(Locale.ROOT).replace("-", "").replace(" ", "");
        if (s.startsWith("TDM") && s.length() == CODE_CHARS + 3) {
            s = s.substring(3);
        }
        s = s.replace('O', '0').replace('I', '1').replace('L', '1');
        if (s.length() != CODE_CHARS) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (ALPHABET.indexOf(s.charAt(i)) < 0) {
                return null;
            }
        }
        return s;
    }

    private static String hash(String canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public List<Batch> batches() {
        return batchQuery("", null);
    }

    @Override
    public Optional<Batch> batch(String batchId) {
        return batchQuery("WHERE b.id = :id ", batchId).stream().findFirst();
    }

    private List<Batch> batchQuery(String where, @Nullable String batchId) {
        JdbcClient.StatementSpec q = jdbc.sql("""
                        SELECT b.id, b.amount, b.code_count, b.expires_at, b.memo, b.created_by, b.created_at,
                            SUM(CASE WHEN c.status = 'unused' AND (b.expires_at IS NULL OR b.expires_at > :now)
                                THEN 1 ELSE 0 END),
                            SUM(CASE WHEN c.status = 'redeemed' THEN 1 ELSE 0 END),
                            SUM(CASE WHEN c.status = 'revoked' THEN 1 ELSE 0 END),
                            SUM(CASE WHEN c.status = 'unused' AND b.expires_at <= :now THEN 1 ELSE 0 END)
                        FROM redemption_batches b JOIN redemption_codes c ON c.batch_id = b.id
                        """ + where + """
                        GROUP BY b.id, b.amount, b.code_count, b.expires_at, b.memo, b.created_by, b.created_at
                        ORDER BY b.created_at DESC, b.id""")
                .param("now", clock.millis());
        if (batchId != null) {
            q = q.param("id", batchId);
        }
        return q.query(JdbcRedemptionCodes::batchRow).list();
    }

    private static Batch batchRow(ResultSet rs, int i) throws SQLException {
        return new Batch(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getObject(4) == null ? null : rs.getLong(4),
                rs.getString(5), rs.getString(6), rs.getLong(7), rs.getInt(8), rs.getInt(9), rs.getInt(10),
                rs.getInt(11));
    }

    @Override
    public List<Code> codes(String batchId) {
        long now = clock.millis();
        return jdbc.sql("""
                        SELECT c.id, c.prefix, c.status, c.organization_id, c.redeemed_at, c.revoked_at, b.expires_at
                        FROM redemption_codes c JOIN redemption_batches b ON b.id = c.batch_id
                        WHERE c.batch_id = :batch ORDER BY c.id""")
                .param("batch", batchId)
                .query((rs, i) -> {
                    String status = rs.getString(3);
                    long expires = rs.getLong(7);
                    if (status.equals("unused") && !rs.wasNull() && expires <= now) {
                        status = "expired";
                    }
                    return new Code(rs.getString(1), rs.getString(2), status, rs.getString(4),
                            rs.getObject(5) == null ? null : rs.getLong(5),
                            rs.getObject(6) == null ? null : rs.getLong(6));
                })
                .list();
    }

    @Override
    public int revoke(String batchId, Set<String> codeIds) {
        String only = codeIds.isEmpty() ? "" : " AND id IN (:ids)";
        JdbcClient.StatementSpec q = jdbc.sql("UPDATE redemption_codes SET status = 'revoked', revoked_at = :now "
                        + "WHERE batch_id = :batch AND status = 'unused'" + only)
                .param("now", clock.millis()).param("batch", batchId);
        if (!codeIds.isEmpty()) {
            q = q.param("ids", List.copyOf(codeIds));
        }
        return q.update();
    }

    @Override
    public Redemption redeem(String organizationId, String code) {
        String canonical = canonical(code);
        if (canonical == null) {
            return new Redemption.Unknown();
        }
        CompletableFuture<Redemption> done = new CompletableFuture<>();
        return writer.submit(new LedgerWriter.Redeem(hash(canonical), organizationId, clock.millis(), done), done);
    }
}
