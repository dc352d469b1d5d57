/**
 * Gacha: the pure draw engine for card banners. Nothing here touches a database, the clock or Spring: a draw is a
 * function of the banner's rules ({@link dev.tandem.gacha.BannerRules}), the player's pity before it
 * ({@link dev.tandem.gacha.PityState}) and a source of uniform values ({@link dev.tandem.gacha.DrawRandom}), so
 * any past draw can be recomputed exactly.
 *
 * <ul>
 *   <li>{@link dev.tandem.gacha.DrawEngine} draws one pull or a ten-pull and threads the pity through them.</li>
 *   <li>{@link dev.tandem.gacha.ProvablyFair} is the production source: HMAC-SHA256 under a server seed whose
 *       SHA-256 ({@link dev.tandem.gacha.ServerSeed#hash()}) is shown before the draw and revealed after it;
 *       {@link dev.tandem.gacha.DrawVerifier} and {@link dev.tandem.gacha.VerifyCommand} recompute a draw from the
 *       revealed seed. The algorithm is written out in {@code docs/provably-fair.md}.</li>
 *   <li>{@link dev.tandem.gacha.Odds} computes the published odds exactly from the rules (no simulation).</li>
 *   <li>{@link dev.tandem.gacha.CardPool} turns a pull into a card id.</li>
 * </ul>
 *
 * <p>Every type here is an immutable value or a stateless function and safe to share between threads, except the
 * {@link dev.tandem.gacha.DrawRandom} streams, which belong to one draw at a time.
 */
@NullMarked
package dev.tandem.gacha;

import org.jspecify.annotations.NullMarked;
