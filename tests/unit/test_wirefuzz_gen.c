// SPDX-License-Identifier: MIT
/*
 * test_wirefuzz_gen.c - unit tests of tests/tools/wirefuzz_gen.c, the frame
 * generator of omx-wirefuzz, and through it a user-space fuzz run of the
 * decoder of shared/omx_wire.c.
 *
 * Frames left valid must decode and re-encode to the same octets, with the
 * header the configuration asks for (a target as destination, a spoofed
 * peer's MAC and index as source).  A run is reproducible frame by frame.
 * Mutated frames must stay within the configured length and reach every
 * check of the decoder; whatever the decoder accepts must keep its
 * promises (payloads inside the frame, lengths within their limits).
 * Frames are decoded from exact-size heap copies, so a read past the end
 * shows under valgrind or -fsanitize=address.
 */
#include <stdlib.h>
#include <string.h>

#include "omx_wire.h"
#include "wirefuzz_gen.h"
#include "tap.h"

static const uint8_t target_a[6] = { 0x02, 0x58, 0x32, 0x00, 0x00, 0x01 };
static const uint8_t target_g[6] = { 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01 };
static const uint8_t peer_b[6] = { 0x02, 0x58, 0x32, 0x00, 0x00, 0x02 };
static const uint8_t peer_g[6] = { 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01 };

static struct wf_frame frame, frame2;

static void config(struct wf_config *c)
{
	wf_config_init(c);
	memcpy(c->dst[0], target_a, 6);
	memcpy(c->dst[1], target_g, 6);
	c->ndst = 2;
	memcpy(c->src[0].mac, peer_b, 6);
	c->src[0].index = 1;
	c->src[0].has_index = 1;
	memcpy(c->src[1].mac, peer_g, 6);
	c->src[1].index = 2;
	c->src[1].has_index = 1;
	c->nsrc = 2;
	c->names[0] = "ga:0";
	c->names[1] = "hostA:0";
	c->nnames = 2;
}

static int is_target(const struct wf_config *c, const uint8_t *mac)
{
	unsigned int i;

	for (i = 0; i < c->ndst; i++)
		if (!memcmp(c->dst[i], mac, 6))
			return 1;
	return 0;
}

static void test_config(void)
{
	struct wf_config c;

	wf_config_init(&c);
	tap_ok(wf_config_check(&c) != NULL, "config: no target is refused");
	config(&c);
	tap_ok(wf_config_check(&c) == NULL, "config: two targets, two peers, two names");
	c.endpoints = 0;
	tap_ok(wf_config_check(&c) != NULL, "config: 0 endpoints is refused");
	config(&c);
	c.max_frame = 40;
	tap_ok(wf_config_check(&c) != NULL, "config: a 40-octet frame limit is refused");
	config(&c);
	c.names[1] = "0123456789012345678901234567890123456789"
		     "0123456789012345678901234567890123456789";
	tap_ok(wf_config_check(&c) != NULL, "config: an 80-octet hostname is refused");
	config(&c);
	c.valid_percent = 101;
	tap_ok(wf_config_check(&c) != NULL, "config: 101%% valid is refused");
}

static int same_frame(const struct wf_frame *a, const struct wf_frame *b)
{
	return a->len == b->len && a->base == b->base &&
	       a->mutations == b->mutations && a->src == b->src &&
	       !memcmp(a->buf, b->buf, a->len);
}

static void test_reproducible(void)
{
	struct wf_config c;
	unsigned int n, same = 1, differ = 0;

	config(&c);
	for (n = 0; n < 2000; n++) {
		wf_generate(&c, 42, n, &frame);
		wf_generate(&c, 42, n, &frame2);
		same &= same_frame(&frame, &frame2);
		wf_generate(&c, 43, n, &frame2);
		differ += !same_frame(&frame, &frame2);
	}
	tap_ok(same, "reproducible: frame N of a seed is the same every time");
	tap_ok(differ > 1990, "reproducible: another seed gives other frames "
	       "(%u of 2000 differ)", differ);
	/* Frame N does not depend on the frames before it. */
	wf_generate(&c, 7, 123456789, &frame);
	wf_generate(&c, 7, 5, &frame2);
	wf_generate(&c, 7, 123456789, &frame2);
	tap_ok(same_frame(&frame, &frame2), "reproducible: frame 123456789 alone");
}

static void test_types(void)
{
	unsigned int n, in_set = 0, pulls = 0;
	struct wf_config c;

	config(&c);
	c.types = 1u << WF_PULL | 1u << WF_NACK_MCP;
	for (n = 0; n < 1000; n++) {
		wf_generate(&c, 5, n, &frame);
		in_set += frame.base == WF_PULL || frame.base == WF_NACK_MCP;
		pulls += frame.base == WF_PULL;
	}
	tap_is(in_set, 1000, "types: only the selected packet types are built");
	tap_ok(pulls > 400 && pulls < 600, "types: each as likely (%u of 1000)",
	       pulls);
	tap_is(wf_base_by_name("pull_reply"), WF_PULL_REPLY,
	       "types: found by name");
	tap_is(wf_base_by_name("pullreply"), -1, "types: unknown name");
	c.types = 1u << WF_BASE_MAX;
	tap_ok(wf_config_check(&c) != NULL, "types: a type beyond raw is refused");
}

/* Copy to an exact-size heap buffer, decode. */
static int decode_exact(const struct wf_frame *f,
			const struct omx_wire_params *p,
			struct omx_wire_pkt *pkt, uint8_t **copy)
{
	*copy = malloc(f->len ? f->len : 1);
	if (!*copy)
		abort();
	memcpy(*copy, f->buf, f->len);
	return omx_wire_decode(*copy, f->len, p, pkt);
}

static void test_valid(const char *name, enum omx_wire_variant variant,
		       size_t max_frame)
{
	static uint8_t again[WF_FRAME_MAX];
	unsigned int n, seen[WF_BASE_MAX] = { 0 }, i, total = 20000;
	unsigned int decoded = 0, round_trip = 0, headers = 0, sized = 0;
	unsigned int spoofed = 0, claimed_name = 0, all_seen = 1;
	struct omx_wire_pkt pkt;
	struct wf_config c;
	uint8_t *copy;

	config(&c);
	omx_wire_params_init(&c.params, variant, OMX_WIRE_PEER_MAX_DEFAULT);
	c.max_frame = max_frame;
	c.valid_percent = 100;
	for (n = 0; n < total; n++) {
		int ret, len;

		wf_generate(&c, 1234, n, &frame);
		seen[frame.base]++;
		sized += frame.len >= OMX_WIRE_ETH_ZLEN && frame.len <= max_frame &&
			 frame.mutations == 0;
		ret = decode_exact(&frame, &c.params, &pkt, &copy);
		if (ret) {
			if (decoded + 5 > n)
				printf("# frame %u (%s, %zu octets): %s\n", n,
				       wf_base_name(frame.base), frame.len,
				       omx_wire_strerror(ret));
			free(copy);
			continue;
		}
		decoded++;
		if (pkt.ptype == wf_base_ptype(frame.base) &&
		    is_target(&c, pkt.hdr.dst_mac) &&
		    (frame.src < 0 ||
		     (!memcmp(pkt.hdr.src_mac, c.src[frame.src].mac, 6) &&
		      pkt.hdr.peer_index == c.src[frame.src].index)))
			headers++;
		spoofed += frame.src >= 0;
		if (frame.base == WF_HOST_REPLY &&
		    (!strcmp(pkt.host.hostname, "ga:0") ||
		     !strcmp(pkt.host.hostname, "hostA:0")))
			claimed_name++;
		/* The decoder reads what the encoder wrote, octet for octet. */
		len = omx_wire_encode(&c.params, &pkt, again, sizeof(again));
		if (len == (int)frame.len && !memcmp(again, frame.buf, frame.len))
			round_trip++;
		free(copy);
	}
	for (i = 0; i < WF_BASE_MAX; i++)
		all_seen &= seen[i] > total / WF_BASE_MAX / 2;
	tap_ok(all_seen, "%s valid frames: every packet type, evenly", name);
	tap_is(sized, total, "%s valid frames: 60..%zu octets, no mutation",
	       name, max_frame);
	tap_is(decoded, total, "%s valid frames: every one decodes", name);
	tap_is(headers, total, "%s valid frames: type, target and spoofed "
	       "source as configured", name);
	tap_ok(spoofed > total * 3 / 4 && spoofed < total * 95 / 100,
	       "%s valid frames: about 85%% spoof a peer (%u of %u)", name,
	       spoofed, total);
	tap_ok(claimed_name > 0, "%s valid frames: HOST_REPLY claims a real "
	       "board's name (%u times)", name, claimed_name);
	tap_is(round_trip, total, "%s valid frames: decode then encode gives "
	       "the same octets", name);
}

/* What the decoder promises about a frame it accepted (omx_wire.h). */
static const char *accepted_ok(const struct omx_wire_params *p,
			       const struct omx_wire_pkt *pkt,
			       const uint8_t *frame, size_t len)
{
	const uint8_t *end = frame + len;

	switch (pkt->ptype) {
	case OMX_WIRE_PTYPE_TINY:
	case OMX_WIRE_PTYPE_SMALL:
		if (pkt->msg.length > (pkt->ptype == OMX_WIRE_PTYPE_TINY ?
				       OMX_WIRE_TINY_MAX : OMX_WIRE_SMALL_MAX))
			return "message length over its limit";
		if (pkt->msg.data + pkt->msg.length > end)
			return "message payload beyond the frame";
		break;
	case OMX_WIRE_PTYPE_MEDIUM:
		if (pkt->medium.frag_length > p->medium_frag_max ||
		    (uint64_t)pkt->medium.frag_seqnum * p->medium_frag_max +
		    pkt->medium.frag_length > pkt->medium.length ||
		    pkt->medium.length >
		    (uint64_t)p->medium_frag_max * p->medium_frags_max)
			return "medium fragment outside its message";
		if (pkt->medium.data + pkt->medium.frag_length > end)
			return "medium payload beyond the frame";
		break;
	case OMX_WIRE_PTYPE_PULL:
		if (pkt->pull.first_frame_offset >= p->pull_reply_max ||
		    (uint64_t)pkt->pull.first_frame_offset +
		    pkt->pull.block_length >
		    (uint64_t)p->pull_reply_max * p->pull_block_replies)
			return "pull block over its frames";
		break;
	case OMX_WIRE_PTYPE_PULL_REPLY:
		if (pkt->pull_reply.frame_length > p->pull_reply_max)
			return "pull reply over its limit";
		if (pkt->pull_reply.data + pkt->pull_reply.frame_length > end)
			return "pull reply payload beyond the frame";
		break;
	case OMX_WIRE_PTYPE_HOST_REPLY:
		if (pkt->host.hostname_len == 0 ||
		    pkt->host.hostname_len > OMX_WIRE_HOSTNAME_MAX)
			return "hostname length";
		if ((const uint8_t *)pkt->host.hostname +
		    pkt->host.hostname_len > end)
			return "hostname beyond the frame";
		if (pkt->host.hostname[pkt->host.hostname_len - 1] != '\0' ||
		    strlen(pkt->host.hostname) + 1 > pkt->host.hostname_len)
			return "hostname not a C string within its length";
		break;
	case OMX_WIRE_PTYPE_RAW:
		if (pkt->raw.len > OMX_WIRE_RAW_MAX || pkt->raw.len != len)
			return "raw frame length";
		break;
	case OMX_WIRE_PTYPE_CONNECT:
		if (pkt->connect.is_reply > 1)
			return "connect is_reply";
		break;
	case OMX_WIRE_PTYPE_TRUC:
		if (pkt->truc.type != OMX_WIRE_TRUC_ACK)
			return "truc type";
		break;
	case OMX_WIRE_PTYPE_NACK_LIB:
	case OMX_WIRE_PTYPE_NACK_MCP:
	case OMX_WIRE_PTYPE_RNDV:
	case OMX_WIRE_PTYPE_NOTIFY:
	case OMX_WIRE_PTYPE_HOST_QUERY:
		break;
	default:
		return "a packet type the decoder should have refused";
	}
	switch (pkt->ptype) {
	case OMX_WIRE_PTYPE_TINY:
	case OMX_WIRE_PTYPE_SMALL:
	case OMX_WIRE_PTYPE_MEDIUM:
	case OMX_WIRE_PTYPE_RNDV:
	case OMX_WIRE_PTYPE_NOTIFY:
	case OMX_WIRE_PTYPE_TRUC:
	case OMX_WIRE_PTYPE_PULL:
		if (pkt->hdr.peer_index == OMX_WIRE_PEER_INDEX_UNKNOWN ||
		    pkt->hdr.peer_index >= p->peer_max)
			return "a peer index outside the table";
		break;
	}
	return NULL;
}

static void test_mutated(void)
{
	const unsigned int total = 100000;
	unsigned int mut_seen[WF_MUT_MAX] = { 0 }, err_seen[OMX_WIRE_EFIELD + 1] = { 0 };
	unsigned int n, i, in_range = 0, ether = 0, routed = 0, broken = 0;
	unsigned int all_muts = 1, all_errs = 1, spoof_src = 0;
	struct omx_wire_pkt pkt;
	struct wf_config c;
	uint8_t *copy;

	config(&c);
	c.valid_percent = 0;
	for (n = 0; n < total; n++) {
		const char *why;
		int ret;

		wf_generate(&c, 99, n, &frame);
		for (i = 0; i < WF_MUT_MAX; i++)
			mut_seen[i] += !!(frame.mutations & 1u << i);
		in_range += frame.len >= OMX_WIRE_ETH_HLEN &&
			    frame.len <= c.max_frame && frame.mutations;
		ether += frame.buf[12] == 0x86 && frame.buf[13] == 0xdf;
		routed += is_target(&c, frame.buf);
		spoof_src += frame.src >= 0 &&
			     !memcmp(frame.buf + 6, c.src[frame.src].mac, 6);
		ret = decode_exact(&frame, &c.params, &pkt, &copy);
		if (ret < 0 && -ret <= OMX_WIRE_EFIELD) {
			err_seen[-ret]++;
		} else if (ret == 0) {
			err_seen[0]++;
			why = accepted_ok(&c.params, &pkt, copy, frame.len);
			if (why) {
				if (broken++ < 5)
					printf("# frame %u of seed 99 (%s): %s\n",
					       n, wf_base_name(frame.base), why);
			}
		} else {
			if (broken++ < 5)
				printf("# frame %u of seed 99: decoder returned %d\n",
				       n, ret);
		}
		free(copy);
	}
	for (i = 0; i < WF_MUT_MAX; i++) {
		if (mut_seen[i] < total / 100) {
			printf("# mutation %s: %u frames\n",
			       wf_mutation_name(i), mut_seen[i]);
			all_muts = 0;
		}
	}
	tap_ok(all_muts, "mutated frames: every kind of mutation, each in over 1%% of them");
	tap_is(in_range, total, "mutated frames: 14..%zu octets, each mutated",
	       c.max_frame);
	tap_is(ether, total, "mutated frames: all 0x86DF");
	tap_is(routed, total, "mutated frames: all to a target board");
	tap_ok(spoof_src > total * 3 / 4,
	       "mutated frames: most from a spoofed peer (%u)", spoof_src);
	/* ESHORT .. EFIELD: every way of refusing a frame, and acceptance. */
	for (i = OMX_WIRE_ESHORT; i <= OMX_WIRE_EFIELD; i++) {
		if (i == OMX_WIRE_EETHERTYPE)
			continue;
		printf("# %s: %u\n", omx_wire_strerror((int)i), err_seen[i]);
		if (!err_seen[i])
			all_errs = 0;
	}
	printf("# accepted by the decoder: %u\n", err_seen[0]);
	tap_ok(all_errs, "mutated frames: reach every check of the decoder");
	tap_ok(err_seen[0] > total / 20,
	       "mutated frames: some still decode (%u), for the driver's own checks",
	       err_seen[0]);
	tap_is(broken, 0, "mutated frames: what the decoder accepts keeps its promises");
}

int main(void)
{
	test_config();
	test_reproducible();
	test_types();
	test_valid("MTU 9000", OMX_WIRE_VARIANT_MTU9000,
		   OMX_WIRE_9000_MTU + OMX_WIRE_ETH_HLEN);
	test_valid("MTU 1500", OMX_WIRE_VARIANT_MTU1500,
		   OMX_WIRE_1500_MTU + OMX_WIRE_ETH_HLEN);
	test_valid("64-octet", OMX_WIRE_VARIANT_MTU9000, 64);
	test_mutated();
	return tap_done();
}
