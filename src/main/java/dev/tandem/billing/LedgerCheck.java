package dev.tandem.billing;

import java.util.List;

/**
 * Recomputes every balance of the ledger from its entries and reports each difference: an account whose balance
 * is not the sum of its entries, a transaction whose entries do not sum to zero, an organization whose credits on
 * hold differ from what its open leases hold.
 */
public interface LedgerCheck {

    /** The findings; empty when the ledger is consistent. */
    Report verify();

    /**
     * What a check found.
     *
     * @param accounts     accounts checked
     * @param transactions transactions checked
     * @param problems     one line per difference
     */
    record Report(long accounts, long transactions, List<String> problems) {
        public boolean clean() {
            return problems.isEmpty();
        }
    }
}
