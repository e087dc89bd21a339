/* SPDX-License-Identifier: MIT */
/*
 * omx_link.h - the test tools' raw access to an interface: an AF_PACKET
 * socket that sends and sees only Open-MX (0x86DF) frames.
 */
#ifndef OMX_LINK_H
#define OMX_LINK_H

#include <stdint.h>

/*
 * Open a socket bound to @ifname for 0x86DF frames.  Sets *@ifindex, and
 * when not NULL, @mac (6 octets) to the interface's address and *@mtu to
 * its MTU.  Returns the socket, or -1 after printing why, prefixed with
 * @progname.
 */
int omx_link_open(const char *progname, const char *ifname, int *ifindex,
		  uint8_t *mac, unsigned int *mtu);

#endif /* OMX_LINK_H */
