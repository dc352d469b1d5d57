package dev.tandem.store.google;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Google service account key file ({@code "type": "service_account"}): who signs the token request, with what
 * key, and where to send it.
 */
public record ServiceAccount(String clientEmail, PrivateKey privateKey, @Nullable String privateKeyId,
        URI tokenUri) {

    /**
     * Reads the JSON key file Google Cloud hands out.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong (never echoing the key)
     */
    public static ServiceAccount parse(String json) {
        JsonNode node;
        try {
            node = JsonMapper.builder().build().readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Google service account file is not JSON: " + e.getOriginalMessage());
        }
        String email = field(node, "client_email");
        String pem = field(node, "private_key");
        String tokenUri = field(node, "token_uri");
        JsonNode keyId = node.get("private_key_id");
        return new ServiceAccount(email, rsaKey(pem), keyId == null || !keyId.isString() ? null : keyId.stringValue(),
                URI.create(tokenUri));
    }

    private static String field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isString() || value.stringValue().isBlank()) {
            throw new IllegalArgumentException("Google service account file lacks '" + name + "'");
        }
        return value.stringValue();
    }

    /** A PKCS#8 RSA key in PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    static PrivateKey rsaKey(String pem) {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "Google service account 'private_key' is not a PEM PKCS#8 RSA key (BEGIN PRIVATE KEY)");
        }
    }

    @Override
    public String toString() {
        return "ServiceAccount[" + clientEmail + ", key " + privateKeyId + ", " + tokenUri + "]";
    }
}
