@NullMarked
package dev.tandem.inference.download;

import org.jspecify.annotations.NullMarked;
