/**
 * Who may do what: bearer tokens kept as digests ({@link dev.slipway.security.TokenStore}) and the roles they grant
 * ({@link dev.slipway.security.Role}: reader, operator, admin).
 */
@NullMarked
package dev.slipway.security;

import org.jspecify.annotations.NullMarked;
