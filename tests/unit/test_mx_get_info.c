/* SPDX-License-Identifier: MIT */
/*
 * test_mx_get_info.c - mx_get_info() against the key table of the
 * reference (shared/reference/mx-api.md 3.5): which MX keys become which
 * Open-MX keys, and what the MX layer answers itself.
 *
 * Built from mx_get_info.c and the code tables, over a fake core that
 * records the omx_get_info() calls it receives and the errors reported
 * through omx__error_with_ep().
 */
#include <stdarg.h>
#include <string.h>

#include "mx_codes.h"
#include "omx_compat_internal.h"
#include "tap.h"

/* ------------------------------------------------------------------------
 * Fake core
 */
#define FAKE_COUNTERS	3

static struct {
	int calls;
	omx_endpoint_t ep;
	omx_info_key_t key;
	const void *in_val;
	uint32_t in_len;
	void *out_val;
	uint32_t out_len;
} last_info;

static omx_return_t next_info_error;	/* returned by the next omx_get_info */

omx_return_t omx_get_info(omx_endpoint_t ep, omx_info_key_t key,
			  const void *in_val, uint32_t in_len, void *out_val,
			  uint32_t out_len)
{
	omx_return_t ret = next_info_error;
	uint32_t value = 1000 + key;

	last_info.calls++;
	last_info.ep = ep;
	last_info.key = key;
	last_info.in_val = in_val;
	last_info.in_len = in_len;
	last_info.out_val = out_val;
	last_info.out_len = out_len;
	next_info_error = OMX_SUCCESS;
	if (ret != OMX_SUCCESS)
		return ret;

	switch (key) {
	case OMX_INFO_COUNTER_MAX:
		value = FAKE_COUNTERS;
		break;
	case OMX_INFO_COUNTER_LABEL:
		snprintf(out_val, out_len, "label %u", *(const uint8_t *)in_val);
		return OMX_SUCCESS;
	default:
		break;
	}
	memcpy(out_val, &value, sizeof(value));
	return OMX_SUCCESS;
}

static uint32_t fake_rndv_threshold = 32768;

uint32_t omx__rndv_threshold(void)
{
	return fake_rndv_threshold;
}

static struct {
	int calls;
	omx_endpoint_t ep;
	omx_return_t ret;
	char msg[256];
} last_error;

omx_return_t omx__error_with_ep(omx_endpoint_t ep, omx_return_t ret,
				const char *fmt, ...)
{
	va_list ap;

	last_error.calls++;
	last_error.ep = ep;
	last_error.ret = ret;
	va_start(ap, fmt);
	vsnprintf(last_error.msg, sizeof(last_error.msg), fmt, ap);
	va_end(ap);
	return ret;	/* as OMX_ERRORS_RETURN would */
}

/* ------------------------------------------------------------------------
 * Keys answered by an Open-MX key
 */
static mx_endpoint_t const ep = (mx_endpoint_t)0x1000;

static void test_forwarded_keys(void)
{
	static const struct {
		mx_get_info_key_t mx_key;
		const char *name;
		omx_info_key_t omx_key;
	} keys[] = {
		{ MX_NIC_COUNT, "MX_NIC_COUNT", OMX_INFO_BOARD_COUNT },
		{ MX_NIC_IDS, "MX_NIC_IDS", OMX_INFO_BOARD_IDS },
		{ MX_MAX_NATIVE_ENDPOINTS, "MX_MAX_NATIVE_ENDPOINTS", OMX_INFO_ENDPOINT_MAX },
		{ MX_COUNTERS_COUNT, "MX_COUNTERS_COUNT", OMX_INFO_COUNTER_MAX },
		{ MX_COUNTERS_VALUES, "MX_COUNTERS_VALUES", OMX_INFO_COUNTER_VALUES },
		{ MX_NUMA_NODE, "MX_NUMA_NODE", OMX_INFO_BOARD_NUMA_NODE },
	};
	uint32_t board = 1;
	uint64_t out[4];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		mx_return_t ret;

		memset(&last_info, 0, sizeof(last_info));
		ret = mx_get_info(ep, keys[i].mx_key, &board, sizeof(board),
				  out, sizeof(out));
		tap_ok(ret == MX_SUCCESS && last_info.calls == 1 &&
		       last_info.key == keys[i].omx_key &&
		       last_info.ep == (omx_endpoint_t)ep &&
		       last_info.in_val == &board &&
		       last_info.in_len == sizeof(board) &&
		       last_info.out_val == out &&
		       last_info.out_len == sizeof(out),
		       "%s is Open-MX key %d, arguments passed on",
		       keys[i].name, keys[i].omx_key);
	}

	next_info_error = OMX_BOARD_NOT_FOUND;
	tap_is(mx_get_info(NULL, MX_NUMA_NODE, &board, sizeof(board), out,
			   sizeof(out)),
	       MX_BOARD_UNKNOWN, "an Open-MX error comes back as its MX code");
}

/* ------------------------------------------------------------------------
 * Keys the MX layer answers
 */
static void test_constant_keys(void)
{
	static const struct {
		mx_get_info_key_t key;
		const char *name;
		uint32_t want;
	} keys[] = {
		{ MX_NATIVE_REQUESTS, "MX_NATIVE_REQUESTS", UINT32_MAX },
		{ MX_PORT_COUNT, "MX_PORT_COUNT", 1 },
		{ MX_PIO_SEND_MAX, "MX_PIO_SEND_MAX", 128 },
		{ MX_NET_TYPE, "MX_NET_TYPE", MX_NET_ETHER },
		{ MX_LINE_SPEED, "MX_LINE_SPEED", MX_SPEED_OPEN_MX },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		uint32_t value = 0xdeadbeef;
		mx_return_t ret;

		last_info.calls = 0;
		ret = mx_get_info(ep, keys[i].key, NULL, 0, &value, sizeof(value));
		tap_ok(ret == MX_SUCCESS && value == keys[i].want &&
		       last_info.calls == 0,
		       "%s = %u", keys[i].name, keys[i].want);
	}

	for (uint32_t threshold = 4096; threshold <= 65536; threshold *= 16) {
		uint32_t value = 0;

		fake_rndv_threshold = threshold;
		mx_get_info(NULL, MX_COPY_SEND_MAX, NULL, 0, &value, sizeof(value));
		tap_is(value, threshold,
		       "MX_COPY_SEND_MAX is the rendezvous threshold (%u)", threshold);
	}
}

static void test_product_strings(void)
{
	static const mx_get_info_key_t keys[] = {
		MX_PRODUCT_CODE, MX_PART_NUMBER, MX_SERIAL_NUMBER,
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		tap_ok(mx_get_info(ep, keys[i], NULL, 0, buf, sizeof(buf)) == MX_SUCCESS &&
		       !strcmp(buf, "N/A (Open-MX)"),
		       "key %d reads \"N/A (Open-MX)\"", keys[i]);
	}

	memset(buf, 'x', sizeof(buf));
	mx_get_info(ep, MX_PRODUCT_CODE, NULL, 0, buf, 4);
	tap_ok(!strcmp(buf, "N/A") && buf[4] == 'x',
	       "a 4-byte buffer gets \"N/A\" and nothing past it");
}

static void test_counter_labels(void)
{
	char labels[FAKE_COUNTERS][MX_MAX_STR_LEN];
	mx_return_t ret;

	memset(labels, 'x', sizeof(labels));
	ret = mx_get_info(ep, MX_COUNTERS_LABELS, NULL, 0, labels, sizeof(labels));
	tap_ok(ret == MX_SUCCESS && !strcmp(labels[0], "label 0") &&
	       !strcmp(labels[1], "label 1") && !strcmp(labels[2], "label 2"),
	       "MX_COUNTERS_LABELS: label i in slot i of MX_MAX_STR_LEN bytes");

	last_error.calls = 0;
	ret = mx_get_info(ep, MX_COUNTERS_LABELS, NULL, 0, labels,
			  sizeof(labels) - 1);
	tap_ok(ret == MX_BAD_INFO_LENGTH && last_error.calls == 1 &&
	       last_error.ret == OMX_BAD_INFO_LENGTH,
	       "MX_COUNTERS_LABELS with one byte too few: MX_BAD_INFO_LENGTH, through the handler");
}

static void test_bad_requests(void)
{
	uint32_t value;
	mx_return_t ret;

	last_error.calls = 0;
	ret = mx_get_info(ep, (mx_get_info_key_t)99, NULL, 0, &value, sizeof(value));
	tap_ok(ret == MX_BAD_INFO_KEY && last_error.calls == 1 &&
	       last_error.ret == OMX_BAD_INFO_KEY &&
	       last_error.ep == (omx_endpoint_t)ep && strstr(last_error.msg, "99"),
	       "unknown key 99: MX_BAD_INFO_KEY, through the endpoint's handler");

	ret = mx_get_info(ep, (mx_get_info_key_t)0, NULL, 0, &value, sizeof(value));
	tap_is(ret, MX_BAD_INFO_KEY, "key 0 is not an MX key");

	last_error.calls = 0;
	ret = mx_get_info(ep, MX_PIO_SEND_MAX, NULL, 0, &value, 2);
	tap_ok(ret == MX_BAD_INFO_LENGTH && last_error.calls == 1,
	       "a 2-byte buffer for a uint32_t: MX_BAD_INFO_LENGTH");

	ret = mx_get_info(ep, MX_PORT_COUNT, NULL, 0, NULL, sizeof(value));
	tap_is(ret, MX_BAD_INFO_VAL, "no output buffer: MX_BAD_INFO_VAL");

	ret = mx_get_info(ep, MX_SERIAL_NUMBER, NULL, 0, &value, 0);
	tap_is(ret, MX_BAD_INFO_LENGTH, "a string into 0 bytes: MX_BAD_INFO_LENGTH");
}

int main(void)
{
	test_forwarded_keys();
	test_constant_keys();
	test_product_strings();
	test_counter_labels();
	test_bad_requests();
	return tap_done();
}
