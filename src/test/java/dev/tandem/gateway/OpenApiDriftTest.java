package dev.tandem.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Browser;
import dev.tandem.support.TandemServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The served OpenAPI document and the server's request mappings under {@code /v1/admin/**},
 * {@code /v1/console/**} and {@code /v1/organization/**} list the same (method, path) pairs; the failure names
 * each pair missing on either side. The document is also checked for what a generator would trip over.
 */
class OpenApiDriftTest {

    static final List<String> PREFIXES = List.of("/v1/admin/", "/v1/console/", "/v1/organization/");
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    static TandemServer server;
    static JsonNode document;

    @BeforeAll
    static void start() {
        server = TandemServer.start(Map.of());
        Browser.Reply r = new Browser(server).get("/v1/openapi.json").ok();
        assertThat(r.header("content-type")).startsWith("application/json");
        document = r.json();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** {@code GET /v1/admin/organizations/{org}}. */
    static String pair(String method, String path) {
        return method.toUpperCase() + " " + path;
    }

    /** Path variables are compared by place, not by name. */
    static String key(String pair) {
        return pair.replaceAll("\\{[^}]+}", "{}");
    }

    /** The pairs of {@code pairs} whose key is not among {@code others}' keys. */
    static Set<String> missing(Set<String> pairs, Set<String> others) {
        Set<String> otherKeys = new TreeSet<>();
        others.forEach(o -> otherKeys.add(key(o)));
        Set<String> out = new TreeSet<>();
        pairs.stream().filter(p -> !otherKeys.contains(key(p))).forEach(out::add);
        return out;
    }

    static Set<String> mapped() {
        RequestMappingHandlerMapping mapping = server.context().getBean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class);
        Set<String> pairs = new TreeSet<>();
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (PREFIXES.stream().anyMatch(pattern::startsWith)) {
                    info.getMethodsCondition().getMethods().forEach(m -> pairs.add(pair(m.name(), pattern)));
                }
            }
        }
        return pairs;
    }

    static Set<String> documented() {
        Set<String> pairs = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) {
                pairs.add(pair(op.getKey(), path.getKey()));
            }
        }));
        return pairs;
    }

    @Test
    void theDocumentDescribesExactlyTheMappedEndpoints() {
        Set<String> code = mapped();
        Set<String> doc = documented();
        Set<String> undocumented = missing(code, doc);
        Set<String> unmapped = missing(doc, code);
        assertThat(code).as("the scan finds the management API").hasSizeGreaterThanOrEqualTo(20);
        assertThat(undocumented.isEmpty() && unmapped.isEmpty())
                .as("OpenAPI drift (src/main/resources/openapi/tandem.json)\n"
                        + "  mapped but missing from the document:\n    " + String.join("\n    ", undocumented)
                        + "\n  in the document but not mapped:\n    " + String.join("\n    ", unmapped) + "\n")
                .isTrue();
    }

    @Test
    void theDocumentIsWellFormedOpenApi31() {
        assertThat(document.path("openapi").asString()).startsWith("3.1.");
        assertThat(document.path("info").path("title").asString()).isNotBlank();
        JsonNode schemes = document.path("components").path("securitySchemes");
        assertThat(schemes.path("adminKey").path("scheme").asString()).isEqualTo("bearer");
        assertThat(schemes.path("session").path("in").asString()).isEqualTo("cookie");
        assertThat(schemes.path("session").path("name").asString()).isEqualTo("tandem_session");
        assertThat(schemes.path("csrf").path("name").asString()).isEqualTo("x-csrf-token");

        List<String> problems = new ArrayList<>();
        Set<String> operationIds = new TreeSet<>();
        document.path("paths").properties().forEach(path -> {
            Set<String> templated = new TreeSet<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
            while (m.find()) {
                templated.add(m.group(1));
            }
            path.getValue().properties().forEach(op -> {
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                JsonNode o = op.getValue();
                if (!operationIds.add(o.path("operationId").asString(""))) {
                    problems.add(where + ": missing or repeated operationId");
                }
                if (!o.path("responses").isObject() || o.path("responses").isEmpty()) {
                    problems.add(where + ": no responses");
                }
                Set<String> declared = new TreeSet<>();
                o.path("parameters").forEach(p -> {
                    if (p.path("in").asString().equals("path")) {
                        declared.add(p.path("name").asString());
                    }
                });
                if (!declared.equals(templated)) {
                    problems.add(where + ": path parameters " + declared + " but the path has " + templated);
                }
                o.path("security").forEach(requirement -> requirement.properties().forEach(s -> {
                    if (!schemes.has(s.getKey())) {
                        problems.add(where + ": unknown security scheme " + s.getKey());
                    }
                }));
            });
        });
        collectRefs(document, problems);
        assertThat(problems).isEmpty();
    }

    private static void collectRefs(JsonNode node, List<String> problems) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null) {
                String target = ref.asString();
                JsonNode resolved = document.at(target.substring(1));
                if (!target.startsWith("#/") || resolved.isMissingNode()) {
                    problems.add("unresolved $ref " + target);
                }
            }
            node.properties().forEach(e -> collectRefs(e.getValue(), problems));
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, problems));
        }
    }
}
