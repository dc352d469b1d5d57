@NullMarked
package dev.tandem.gateway.admin;

import org.jspecify.annotations.NullMarked;
