@NullMarked
package dev.tandem.inference.catalog;

import org.jspecify.annotations.NullMarked;
