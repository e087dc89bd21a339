// SPDX-License-Identifier: MIT
/*
 * omx_link.c - see omx_link.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "omx_link.h"
#include "omx_wire.h"

int omx_link_open(const char *progname, const char *ifname, int *ifindex,
		  uint8_t *mac, unsigned int *mtu)
{
	struct sockaddr_ll sll = { 0 };
	struct ifreq ifr = { 0 };
	const char *what;
	int fd;

	if (strlen(ifname) >= sizeof(ifr.ifr_name)) {
		fprintf(stderr, "%s: interface name '%s' is too long\n",
			progname, ifname);
		return -1;
	}
	fd = socket(AF_PACKET, SOCK_RAW, htons(OMX_WIRE_ETHERTYPE));
	if (fd < 0) {
		fprintf(stderr, "%s: AF_PACKET socket: %s\n", progname,
			strerror(errno));
		return -1;
	}
	strcpy(ifr.ifr_name, ifname);
	what = "interface";
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		goto fail;
	*ifindex = ifr.ifr_ifindex;
	what = "address of";
	if (mac && ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		goto fail;
	if (mac)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	what = "MTU of";
	if (mtu && ioctl(fd, SIOCGIFMTU, &ifr) < 0)
		goto fail;
	if (mtu)
		*mtu = (unsigned int)ifr.ifr_mtu;
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(OMX_WIRE_ETHERTYPE);
	sll.sll_ifindex = *ifindex;
	what = "bind to";
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		goto fail;
	return fd;
fail:
	fprintf(stderr, "%s: %s %s: %s\n", progname, what, ifname,
		strerror(errno));
	close(fd);
	return -1;
}
