/* SPDX-License-Identifier: MIT */
/*
 * api_pattern.h - payloads that say where they came from.
 *
 * Every message carries bytes derived from a seed (typically size,
 * direction and sequence number mixed by pattern_seed()) and from the
 * byte's offset, so a byte that is missing, duplicated, shifted by a
 * fragment or taken from another message is caught by a byte-for-byte
 * comparison.  Receive buffers are first filled with POISON so that bytes a
 * transfer must not touch (beyond xfer_length) can be checked too.
 */
#ifndef API_PATTERN_H
#define API_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define API_POISON 0xa5

/* Mix up to three small numbers into one seed. */
uint32_t pattern_seed(uint32_t a, uint32_t b, uint32_t c);

/* Byte @offset of the payload with @seed. */
uint8_t pattern_byte(uint32_t seed, size_t offset);

void pattern_fill(void *buf, size_t len, uint32_t seed);

/* Pattern of @seed laid over segments: @offset is where @buf starts in
 * the whole message. */
void pattern_fill_at(void *buf, size_t len, uint32_t seed, size_t offset);

/*
 * Assertion: @buf holds the first @len bytes of pattern @seed.  On failure
 * the detail gives the first wrong offset, the byte found and the byte
 * expected.
 */
bool pattern_check(const void *buf, size_t len, uint32_t seed,
		   const char *who, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Assertion: @len bytes at @buf are all API_POISON (left untouched). */
bool poison_check(const void *buf, size_t len, const char *who,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Offset of the first byte that differs from pattern @seed, or @len. */
size_t pattern_mismatch(const void *buf, size_t len, uint32_t seed,
			size_t offset);

/* malloc() that bails out on failure, filled with API_POISON. */
void *api_alloc(size_t len);

#endif /* API_PATTERN_H */
