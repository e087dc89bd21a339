// SPDX-License-Identifier: MIT
/*
 * api_pattern.c - seeded payloads and their byte-for-byte checks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_pattern.h"
#include "api_tap.h"

/* A 32-bit finaliser (xorshift-multiply): neighbouring inputs give
 * unrelated outputs, so seeds 1 and 2 share no bytes by accident. */
static uint32_t mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

uint32_t pattern_seed(uint32_t a, uint32_t b, uint32_t c)
{
	return mix32(a ^ mix32(b ^ mix32(c + 0x9e3779b9U)));
}

uint8_t pattern_byte(uint32_t seed, size_t offset)
{
	/* The low byte follows the offset (easy to read in a hex dump); the
	 * higher offset bits and the seed perturb it, so a block of 256
	 * bytes moved elsewhere does not look right. */
	uint32_t block = mix32(seed ^ (uint32_t)(offset >> 8));

	return (uint8_t)(offset + block);
}

/* The two loops below compute the block term once per 256 bytes: the
 * 16 MiB messages are filled and checked inside TCG guests. */
void pattern_fill_at(void *buf, size_t len, uint32_t seed, size_t offset)
{
	uint8_t *p = buf;
	uint32_t block = mix32(seed ^ (uint32_t)(offset >> 8));
	size_t i;

	for (i = 0; i < len; i++) {
		size_t at = offset + i;

		if (i && (at & 0xff) == 0)
			block = mix32(seed ^ (uint32_t)(at >> 8));
		p[i] = (uint8_t)(at + block);
	}
}

void pattern_fill(void *buf, size_t len, uint32_t seed)
{
	pattern_fill_at(buf, len, seed, 0);
}

size_t pattern_mismatch(const void *buf, size_t len, uint32_t seed,
			size_t offset)
{
	const uint8_t *p = buf;
	uint32_t block = mix32(seed ^ (uint32_t)(offset >> 8));
	size_t i;

	for (i = 0; i < len; i++) {
		size_t at = offset + i;

		if (i && (at & 0xff) == 0)
			block = mix32(seed ^ (uint32_t)(at >> 8));
		if (p[i] != (uint8_t)(at + block))
			return i;
	}
	return len;
}

bool pattern_check(const void *buf, size_t len, uint32_t seed,
		   const char *who, const char *fmt, ...)
{
	size_t bad = pattern_mismatch(buf, len, seed, 0);
	char desc[256], detail[128] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	if (bad < len)
		snprintf(detail, sizeof(detail),
			 "byte %zu of %zu is 0x%02x, want 0x%02x", bad, len,
			 ((const uint8_t *)buf)[bad], pattern_byte(seed, bad));
	return tap_check(bad == len, detail, who, "%s", desc);
}

bool poison_check(const void *buf, size_t len, const char *who,
		  const char *fmt, ...)
{
	const uint8_t *p = buf;
	char desc[256], detail[96] = "";
	size_t i;
	va_list ap;

	for (i = 0; i < len; i++)
		if (p[i] != API_POISON)
			break;
	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	if (i < len)
		snprintf(detail, sizeof(detail),
			 "byte %zu of %zu was overwritten with 0x%02x", i, len,
			 p[i]);
	return tap_check(i == len, detail, who, "%s", desc);
}

void *api_alloc(size_t len)
{
	/* malloc(0) may return NULL; a 0-byte message still needs a valid
	 * pointer to pass around. */
	void *p = malloc(len ? len : 1);

	if (!p)
		tap_bail("out of memory allocating %zu bytes", len);
	memset(p, API_POISON, len ? len : 1);
	return p;
}
