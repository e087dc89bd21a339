/* SPDX-License-Identifier: MIT */
/*
 * api_omx.h - Open-MX plumbing of the API tests: library set-up, the
 * two-way connection between the roles, bounded waits, control messages
 * and status assertions.  Written against <open-mx.h> only.
 *
 * Connections are one-way in Open-MX, and a rendezvous (large message)
 * needs the receiver to be connected to the sender too.  The handshake
 * therefore connects both ways:
 *
 *   client: omx_connect(server)  ->  HELLO  ->
 *   server: learns the client's NIC id and endpoint from HELLO's
 *           status.addr, omx_connect(client)  ->  HELLO_ACK  ->  client
 *
 * Match space: the harness owns match infos with the top 16 bits all set
 * (API_MATCH_HARNESS); tests use match infos below it, and must not post
 * a receive that could take a harness message while one may arrive.
 */
#ifndef API_OMX_H
#define API_OMX_H

#include <stdbool.h>
#include <stdint.h>

#include <open-mx.h>

#include "api_run.h"

#define API_MATCH_HARNESS	0xffff000000000000ULL
#define API_MATCH_EXACT		(~0ULL)

/* One endpoint of a role and the address of the other role's endpoint. */
struct omx_pair {
	const struct api_role *role;
	const char *who;		/* role->name, the TAP prefix */
	omx_endpoint_t ep;
	omx_endpoint_addr_t peer;
	uint64_t peer_nic;
	uint32_t peer_index;
	uint32_t sync_seq;
	char scratch[8];		/* buffer of the 0-byte control messages */
};

/* api_program.init/.fini for Open-MX programs: install OMX_ERRORS_RETURN
 * (before omx_init, so that even init failures come back as values), then
 * omx_init(). */
int omx_api_init(const struct api_opts *opts);
void omx_api_fini(void);

/* Opens endpoint @index (or API_ANY_ENDPOINT) of the configured board.
 * Failure is reported as a "not ok" line. */
bool omx_api_open(const struct api_role *role, uint32_t index,
		  omx_endpoint_t *ep);

/* NIC id of the server's board: --peer looked up in the peer table
 * (retried for --connect-wait-s while discovery fills it), or the local
 * board in --self mode. */
bool omx_api_server_nic(const struct api_role *role, uint64_t *nic);

/*
 * The usual start of a role: open the role's endpoint (--server-endpoint
 * or --client-endpoint), tell api_run the server is ready, and run the
 * handshake.  On failure nothing is left open.
 */
bool omx_pair_setup(const struct api_role *role, struct omx_pair *p);

/* Handshake halves, for programs that open their own endpoints: the
 * endpoint is p->ep, p->role/p->who set. */
bool omx_pair_accept(struct omx_pair *p);
bool omx_pair_dial(struct omx_pair *p, uint64_t server_nic,
		   uint32_t server_index);

/* A final omx_pair_sync() (so neither side closes while the other still
 * needs it), then close.  Safe on a pair whose endpoint is NULL. */
void omx_pair_finish(struct omx_pair *p);
/* Close without the final sync (after a failure). */
void omx_pair_close(struct omx_pair *p);

/*
 * omx_wait() bounded by @timeout_ms.  Returns true when the request
 * completed (then *status is valid).  Otherwise prints
 * "not ok - WHO: WHAT # timed out after N ms" (or the error returned) and
 * returns false; the request is then still pending.
 */
bool api_wait(const char *who, omx_endpoint_t ep, omx_request_t *req,
	      omx_status_t *status, uint32_t timeout_ms, const char *what);

/* Control messages between the roles, in the harness match space.
 * signal/await are one-way (tag 0..0xffffffff); sync is both ways. */
bool omx_pair_signal(struct omx_pair *p, uint32_t tag);
bool omx_pair_await(struct omx_pair *p, uint32_t tag);
bool omx_pair_sync(struct omx_pair *p);

/* A call that is not itself under test: silent on OMX_SUCCESS, a
 * "not ok" line naming the call and the code otherwise. */
bool api_call(const char *who, omx_return_t ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Assertion on a return code; detail "got <string> (n), want ...". */
bool api_check_ret(omx_return_t got, omx_return_t want, const char *who,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Expected completion status; each field is compared. */
struct api_want {
	omx_return_t code;
	uint32_t msg_length;
	uint32_t xfer_length;
	uint64_t match_info;
	void *context;
};

/* One assertion on code, msg_length, xfer_length, match_info and context;
 * the detail lists every field that differs. */
bool api_check_status(const omx_status_t *st, const struct api_want *want,
		      const char *who, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "Message Truncated (95)" into @buf. */
const char *api_code_str(omx_return_t code, char *buf, size_t len);

#endif /* API_OMX_H */
