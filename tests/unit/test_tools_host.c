// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_tools_host.c - where a tool runs (omx_host.c), from fake copies of
 * /sys/hypervisor and /proc/xen under a temporary root, and the module
 * its "no device" message names there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "omx_host.h"
#include "tap.h"

static char root[] = "/tmp/test_tools_host.XXXXXX";

static void put(const char *path, const char *text)
{
	char full[4200], dir[4200], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", root, path);
	/* create the directories on the way */
	snprintf(dir, sizeof(dir), "%s", full);
	for (slash = dir + strlen(root) + 1; (slash = strchr(slash, '/'));
	     slash++) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	f = fopen(full, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		printf("Bail out! cannot write %s\n", full);
		exit(1);
	}
}

static void clear(void)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/sys/hypervisor/type", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sys/hypervisor/properties/features",
		 root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc/xen/capabilities", root);
	unlink(path);
}

static const char *name(enum omx_host h)
{
	switch (h) {
	case OMX_HOST_NATIVE:
		return "native";
	case OMX_HOST_XEN_DOM0:
		return "dom0";
	case OMX_HOST_XEN_DOMU:
		return "domU";
	case OMX_HOST_XEN_UNKNOWN:
		return "xen, unknown domain";
	}
	return "?";
}

static void host_is(enum omx_host want, const char *what)
{
	enum omx_host got = omx_host_detect(root);

	tap_ok(got == want, "%s: %s (got %s)", what, name(want), name(got));
}

int main(void)
{
	char cmd[4300];
	const char *h;

	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 99;
	}

	host_is(OMX_HOST_NATIVE, "no /sys/hypervisor (bare metal)");
	put("sys/hypervisor/type", "kvm\n");
	host_is(OMX_HOST_NATIVE, "another hypervisor");

	/* features as Xen writes them: hexadecimal, no 0x */
	put("sys/hypervisor/type", "xen\n");
	put("sys/hypervisor/properties/features", "00002f77\n");
	host_is(OMX_HOST_XEN_DOM0, "Xen, XENFEAT_dom0 (bit 11) set");
	put("sys/hypervisor/properties/features", "000027f7\n");
	put("proc/xen/capabilities", "control_d\n");
	host_is(OMX_HOST_XEN_DOMU,
		"Xen, bit 11 clear: a guest (the features file wins)");

	clear();
	put("sys/hypervisor/type", "xen\n");
	put("proc/xen/capabilities", "control_d\n");
	host_is(OMX_HOST_XEN_DOM0, "Xen, no features file, capabilities control_d");
	put("proc/xen/capabilities", "\n");
	host_is(OMX_HOST_XEN_DOMU, "Xen, no features file, empty capabilities");
	put("sys/hypervisor/properties/features", "garbage\n");
	put("proc/xen/capabilities", "control_d\n");
	host_is(OMX_HOST_XEN_DOM0, "an unreadable features value falls back to capabilities");

	clear();
	put("sys/hypervisor/type", "xen\n");
	host_is(OMX_HOST_XEN_UNKNOWN, "Xen, neither file (no xenfs, old kernel)");

	h = omx_host_driver_hint(OMX_HOST_XEN_DOMU);
	tap_ok(strstr(h, "xen2mx-front") && strstr(h, "modprobe xen2mx-front") &&
	       strstr(h, "xen2mx-attach") && !strstr(h, "xen2mx-back"),
	       "in a guest: the frontend, modprobe or xen2mx-attach (%s)", h);
	tap_ok(!strcmp(omx_host_driver_hint(OMX_HOST_NATIVE),
		       "is the open-mx driver loaded? try 'omx_init start' (or 'modprobe open-mx ifnames=IFACE')"),
	       "bare metal: the open-mx engine");
	tap_ok(!strcmp(omx_host_driver_hint(OMX_HOST_XEN_DOM0),
		       omx_host_driver_hint(OMX_HOST_NATIVE)),
	       "dom0: the same as bare metal");
	h = omx_host_driver_hint(OMX_HOST_XEN_UNKNOWN);
	tap_ok(strstr(h, "open-mx") && strstr(h, "xen2mx-front"),
	       "unknown Xen domain: both");
	tap_ok(omx_driver_hint() ==
	       omx_host_driver_hint(omx_host_detect("")),
	       "omx_driver_hint() reads this machine's own files");

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", root);
	return tap_done();
}
