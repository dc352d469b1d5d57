@NullMarked
package dev.tandem.web.console;

import org.jspecify.annotations.NullMarked;
