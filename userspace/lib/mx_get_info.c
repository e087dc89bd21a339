/* SPDX-License-Identifier: MIT */
/*
 * mx_get_info.c - MX information keys, answered from Open-MX's or, for
 * what has no meaning on Ethernet, with the constants Open-MX 1.5 gave.
 */
#include <string.h>

#include "mx_codes.h"
#include "omx_compat_internal.h"
#include "omx_export.h"

/* Largest message sent as one packet (tiny and small messages). */
#define MX_INFO_PIO_SEND_MAX		128

/* What identifies a Myrinet board has no Ethernet equivalent. */
#define MX_INFO_NO_PRODUCT_STRING	"N/A (Open-MX)"

static omx_return_t mx_info_u32(omx_endpoint_t ep, mx_get_info_key_t key,
				void *out_val, uint32_t out_len,
				uint32_t value)
{
	if (!out_val)
		return omx__error_with_ep(ep, OMX_BAD_INFO_ADDRESS,
					  "mx_get_info key %d", (int)key);
	if (out_len < sizeof(value))
		return omx__error_with_ep(ep, OMX_BAD_INFO_LENGTH,
					  "mx_get_info key %d, %u bytes for a uint32_t",
					  (int)key, out_len);
	memcpy(out_val, &value, sizeof(value));
	return OMX_SUCCESS;
}

static omx_return_t mx_info_string(omx_endpoint_t ep, mx_get_info_key_t key,
				   void *out_val, uint32_t out_len,
				   const char *value)
{
	size_t len = strlen(value);

	if (!out_val)
		return omx__error_with_ep(ep, OMX_BAD_INFO_ADDRESS,
					  "mx_get_info key %d", (int)key);
	if (!out_len)
		return omx__error_with_ep(ep, OMX_BAD_INFO_LENGTH,
					  "mx_get_info key %d, no room for a string",
					  (int)key);
	if (len > out_len - 1)
		len = out_len - 1;
	memcpy(out_val, value, len);
	((char *)out_val)[len] = '\0';
	return OMX_SUCCESS;
}

/* One label per MX_MAX_STR_LEN slot, in counter order. */
static omx_return_t mx_info_counter_labels(omx_endpoint_t ep, const void *in_val,
					   uint32_t in_len, char *out_val,
					   uint32_t out_len)
{
	uint32_t count;
	omx_return_t ret;

	ret = omx_get_info(ep, OMX_INFO_COUNTER_MAX, in_val, in_len, &count,
			   sizeof(count));
	if (ret != OMX_SUCCESS)
		return ret;
	if (!out_val)
		return omx__error_with_ep(ep, OMX_BAD_INFO_ADDRESS,
					  "mx_get_info MX_COUNTERS_LABELS");
	if ((uint64_t)out_len < (uint64_t)count * MX_MAX_STR_LEN)
		return omx__error_with_ep(ep, OMX_BAD_INFO_LENGTH,
					  "mx_get_info MX_COUNTERS_LABELS, %u bytes for %u labels of %d",
					  out_len, count, MX_MAX_STR_LEN);

	/* Labels are indexed by one byte: there are fewer than 256. */
	for (uint32_t i = 0; i < count && i <= UINT8_MAX; i++) {
		uint8_t index = (uint8_t)i;

		ret = omx_get_info(ep, OMX_INFO_COUNTER_LABEL, &index,
				   sizeof(index), out_val + i * MX_MAX_STR_LEN,
				   MX_MAX_STR_LEN);
		if (ret != OMX_SUCCESS)
			return ret;
	}
	return OMX_SUCCESS;
}

static omx_return_t mx_info(omx_endpoint_t ep, mx_get_info_key_t key,
			    const void *in_val, uint32_t in_len,
			    void *out_val, uint32_t out_len)
{
	switch (key) {
	case MX_NIC_COUNT:
		return omx_get_info(ep, OMX_INFO_BOARD_COUNT, in_val, in_len,
				    out_val, out_len);
	case MX_NIC_IDS:
		return omx_get_info(ep, OMX_INFO_BOARD_IDS, in_val, in_len,
				    out_val, out_len);
	case MX_MAX_NATIVE_ENDPOINTS:
		return omx_get_info(ep, OMX_INFO_ENDPOINT_MAX, in_val, in_len,
				    out_val, out_len);
	case MX_NATIVE_REQUESTS:	/* no limit but memory */
		return mx_info_u32(ep, key, out_val, out_len, UINT32_MAX);
	case MX_COUNTERS_COUNT:
		return omx_get_info(ep, OMX_INFO_COUNTER_MAX, in_val, in_len,
				    out_val, out_len);
	case MX_COUNTERS_LABELS:
		return mx_info_counter_labels(ep, in_val, in_len, out_val,
					      out_len);
	case MX_COUNTERS_VALUES:
		return omx_get_info(ep, OMX_INFO_COUNTER_VALUES, in_val, in_len,
				    out_val, out_len);
	case MX_PRODUCT_CODE:
	case MX_PART_NUMBER:
	case MX_SERIAL_NUMBER:
		return mx_info_string(ep, key, out_val, out_len,
				      MX_INFO_NO_PRODUCT_STRING);
	case MX_PORT_COUNT:
		return mx_info_u32(ep, key, out_val, out_len, 1);
	case MX_PIO_SEND_MAX:
		return mx_info_u32(ep, key, out_val, out_len,
				   MX_INFO_PIO_SEND_MAX);
	case MX_COPY_SEND_MAX:
		return mx_info_u32(ep, key, out_val, out_len,
				   omx__rndv_threshold());
	case MX_NUMA_NODE:
		return omx_get_info(ep, OMX_INFO_BOARD_NUMA_NODE, in_val, in_len,
				    out_val, out_len);
	case MX_NET_TYPE:
		return mx_info_u32(ep, key, out_val, out_len, MX_NET_ETHER);
	case MX_LINE_SPEED:
		/* The native Open-MX wire, not MX's: no MX host can join. */
		return mx_info_u32(ep, key, out_val, out_len, MX_SPEED_OPEN_MX);
	}
	return omx__error_with_ep(ep, OMX_BAD_INFO_KEY, "mx_get_info key %d",
				  (int)key);
}

OMX_EXPORT mx_return_t mx_get_info(mx_endpoint_t ep, mx_get_info_key_t key,
				   void *in_val, uint32_t in_len,
				   void *out_val, uint32_t out_len)
{
	return omx__mx_return(mx_info((omx_endpoint_t)ep, key, in_val, in_len,
				      out_val, out_len));
}
