/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_host.h - where a tool runs (bare metal, Xen dom0, Xen guest), so
 * that "no /dev/open-mx" names the module to load there: the open-mx
 * engine natively and in dom0, the xen2mx-front frontend in a guest.
 */
#ifndef OMX_HOST_H
#define OMX_HOST_H

enum omx_host {
	OMX_HOST_NATIVE,	/* no Xen: bare metal or another hypervisor */
	OMX_HOST_XEN_DOM0,	/* Xen's control domain */
	OMX_HOST_XEN_DOMU,	/* a Xen guest */
	OMX_HOST_XEN_UNKNOWN,	/* Xen, but which domain cannot be told */
};

/*
 * Detect from the files under @root ("" for this machine; tests pass a
 * directory holding fake copies):
 *   sys/hypervisor/type                not "xen" (or absent): native
 *   sys/hypervisor/properties/features hexadecimal; bit 11 (XENFEAT_dom0,
 *                                      xen/features.h) set: dom0, clear:
 *                                      guest.  Present whenever Xen is,
 *                                      xenfs or not
 *   proc/xen/capabilities              without the features file: dom0 if
 *                                      it names "control_d", else guest
 *                                      (needs xenfs, which dom0 mounts)
 * The same rules as systemd-detect-virt's.
 */
enum omx_host omx_host_detect(const char *root);

/*
 * What to do when the Open-MX device cannot be opened on @host: a phrase
 * for the end of the error line, e.g. "is the open-mx driver loaded? try
 * 'omx_init start' (or 'modprobe open-mx ifnames=IFACE')".
 */
const char *omx_host_driver_hint(enum omx_host host);

/* omx_host_driver_hint(omx_host_detect("")) */
const char *omx_driver_hint(void);

#endif /* OMX_HOST_H */
