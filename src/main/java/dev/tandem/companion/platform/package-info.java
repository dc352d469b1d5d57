/** The companion app's ways to call the Open Platform: in-process and over HTTP. */
@NullMarked
package dev.tandem.companion.platform;

import org.jspecify.annotations.NullMarked;
