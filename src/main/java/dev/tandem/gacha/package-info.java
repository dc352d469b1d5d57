/**
 * Gacha: collectible character cards drawn from banners with gems.
 *
 * <h2>The draw engine</h2>
 * Pure functions, no database, clock or Spring: a draw is a function of the banner's rules
 * ({@link dev.tandem.gacha.BannerRules}), the player's pity before it ({@link dev.tandem.gacha.PityState}) and a
 * source of uniform values ({@link dev.tandem.gacha.DrawRandom}), so any past draw can be recomputed exactly.
 * <ul>
 *   <li>{@link dev.tandem.gacha.DrawEngine} draws one pull or a ten-pull and threads the pity through them.</li>
 *   <li>{@link dev.tandem.gacha.ProvablyFair} is the production source: HMAC-SHA256 under a server seed whose
 *       SHA-256 ({@link dev.tandem.gacha.ServerSeed#hash()}) is shown before the draw and revealed after it;
 *       {@link dev.tandem.gacha.DrawVerifier} and {@link dev.tandem.gacha.VerifyCommand} recompute a draw from the
 *       revealed seed. The algorithm is written out in {@code docs/provably-fair.md}.</li>
 *   <li>{@link dev.tandem.gacha.Odds} computes the published odds exactly from the rules (no simulation).</li>
 *   <li>{@link dev.tandem.gacha.CardPool} turns a pull into a card id.</li>
 * </ul>
 * These are immutable values or stateless functions, safe to share between threads, except the
 * {@link dev.tandem.gacha.DrawRandom} streams, which belong to one draw at a time.
 *
 * <h2>The service</h2>
 * On the database (migration {@code V12__gacha.sql}), with gems on billing's ledger ({@link dev.tandem.billing.Gems}):
 * <ul>
 *   <li>{@link dev.tandem.gacha.Cards}: card sets per character, by their creator or a platform admin.</li>
 *   <li>{@link dev.tandem.gacha.Banners}: time-limited banners, frozen once started, and each card's odds.</li>
 *   <li>{@link dev.tandem.gacha.Fairness}: each person's server seed (hash shown, revealed on rotation), client
 *       seed and nonce.</li>
 *   <li>{@link dev.tandem.gacha.Draws}: a draw debits gems and grants cards in one transaction, once per key;
 *       pity per person per banner type; refused in teen mode; kept for good and recomputable.</li>
 *   <li>{@link dev.tandem.gacha.CardCollection}: owned cards, shards from duplicates, the shard shop.</li>
 *   <li>{@link dev.tandem.gacha.Rewards}: free gems for check-ins, bond levels and chat activity.</li>
 * </ul>
 * The services are thread-safe; they refuse with {@link dev.tandem.gacha.GachaException}.
 */
@NullMarked
package dev.tandem.gacha;

import org.jspecify.annotations.NullMarked;
