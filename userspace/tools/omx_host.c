// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omx_host.c - where a tool runs, and which module provides /dev/open-mx
 * there (see omx_host.h for the rules).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_host.h"

#define XENFEAT_DOM0_BIT	11	/* XENFEAT_dom0, xen/features.h */

/* The first line of @root/@path, without its newline; -1 if unreadable. */
static int read_line(const char *root, const char *path, char *buf,
		     size_t size)
{
	char full[4096];
	FILE *f;
	int ok;

	snprintf(full, sizeof(full), "%s/%s", root, path);
	f = fopen(full, "r");
	if (!f)
		return -1;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (!ok)
		buf[0] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

enum omx_host omx_host_detect(const char *root)
{
	char line[256], *end;
	unsigned long features;

	if (read_line(root, "sys/hypervisor/type", line, sizeof(line)) ||
	    strcmp(line, "xen"))
		return OMX_HOST_NATIVE;

	if (!read_line(root, "sys/hypervisor/properties/features", line,
		       sizeof(line))) {
		features = strtoul(line, &end, 16);
		if (end != line && *end == '\0')
			return (features >> XENFEAT_DOM0_BIT) & 1 ?
			       OMX_HOST_XEN_DOM0 : OMX_HOST_XEN_DOMU;
	}
	if (!read_line(root, "proc/xen/capabilities", line, sizeof(line)))
		return strstr(line, "control_d") ? OMX_HOST_XEN_DOM0
						 : OMX_HOST_XEN_DOMU;
	return OMX_HOST_XEN_UNKNOWN;
}

const char *omx_host_driver_hint(enum omx_host host)
{
	switch (host) {
	case OMX_HOST_XEN_DOMU:
		return "is the xen2mx-front driver loaded? try 'modprobe xen2mx-front', or attach the device from dom0 with 'xen2mx-attach'";
	case OMX_HOST_XEN_UNKNOWN:
		return "is the driver loaded? in dom0 try 'omx_init start' (or 'modprobe open-mx ifnames=IFACE'), in a Xen guest 'modprobe xen2mx-front' or 'xen2mx-attach' from dom0";
	case OMX_HOST_NATIVE:
	case OMX_HOST_XEN_DOM0:
	default:
		return "is the open-mx driver loaded? try 'omx_init start' (or 'modprobe open-mx ifnames=IFACE')";
	}
}

const char *omx_driver_hint(void)
{
	return omx_host_driver_hint(omx_host_detect(""));
}
