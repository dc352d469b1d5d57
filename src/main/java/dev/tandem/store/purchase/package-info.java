/**
 * Internals of the store module: purchases, memberships, deliveries, refusals and store accounts in the database,
 * the fulfilment of verified store events (gems credited and taken back, membership states), and the verifiers
 * built from {@link dev.tandem.store.StoreProperties} for each enabled store. Not for other modules.
 */
@NullMarked
package dev.tandem.store.purchase;

import org.jspecify.annotations.NullMarked;
