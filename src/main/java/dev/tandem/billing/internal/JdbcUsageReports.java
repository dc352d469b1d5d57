package dev.tandem.billing.internal;

import dev.tandem.billing.UsageReports;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@link UsageReports} as SQL over {@code usage_hourly} and {@code usage_daily}. */
@Component
class JdbcUsageReports implements UsageReports {

    private final JdbcClient jdbc;

    JdbcUsageReports(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Sum> usage(Query query) {
        List<Sum> sums = new ArrayList<>();
        forEach(query, sums::add);
        return sums;
    }

    @Override
    public void forEach(Query q, Consumer<Sum> each) {
        String table = q.period() == Period.HOUR ? "usage_hourly" : "usage_daily";
        String period = q.period() == Period.HOUR ? "hour" : "day";
        String groups = period + (q.byModel() ? ", model" : "") + (q.byKey() ? ", api_key_id" : "");
        StringBuilder sql = new StringBuilder("SELECT ").append(period).append(", ")
                .append(q.byModel() ? "model" : "NULL").append(", ").append(q.byKey() ? "api_key_id" : "NULL")
                .append(", SUM(requests), SUM(input_tokens), SUM(cached_tokens), SUM(output_tokens), ")
                .append("SUM(reasoning_tokens), SUM(price), SUM(cost) FROM ").append(table)
                .append(" WHERE organization_id = :org AND ").append(period).append(" >= :from AND ").append(period)
                .append(" < :to");
        if (!q.models().isEmpty()) {
            sql.append(" AND model IN (:models)");
        }
        if (!q.apiKeyIds().isEmpty()) {
            sql.append(" AND api_key_id IN (:keys)");
        }
        sql.append(" GROUP BY ").append(groups).append(" ORDER BY ").append(groups);
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString()).param("org", q.organizationId())
                .param("from", q.from()).param("to", q.to());
        if (!q.models().isEmpty()) {
            statement = statement.param("models", List.copyOf(q.models()));
        }
        if (!q.apiKeyIds().isEmpty()) {
            statement = statement.param("keys", List.copyOf(q.apiKeyIds()));
        }
        statement.query((ResultSet rs) -> {
            each.accept(sum(rs));
        });
    }

    private static Sum sum(ResultSet rs) throws SQLException {
        return new Sum(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10));
    }
}
