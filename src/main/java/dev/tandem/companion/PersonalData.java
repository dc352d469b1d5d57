package dev.tandem.companion;

import tools.jackson.databind.JsonNode;

/**
 * A module's share of what it keeps about a person, for the app's data export: each bean adds one section to the
 * document {@link DataExport} builds. Modules that depend on the companion module (the store, the gacha) implement
 * it; the companion module does not know them.
 */
public interface PersonalData {

    /** The section's name in the export ({@code purchases}, {@code cards}, …). */
    String section();

    /** Everything the module keeps about the person, as JSON. */
    JsonNode export(String personId);
}
