/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * omx_engine_params_kunit.h - the engine's parameters and wire setup,
 * which engine/module.c provides in open-mx.ko, defined once for both
 * KUnit modules (each links its own copy of the engine).  Small tables:
 * the suites fill them.
 */
unsigned int omx_ifaces_max = 4;
unsigned int omx_endpoints_max = 8;
unsigned int omx_peers_max = 16;
unsigned int omx_wire_mtu = OMX_WIRE_9000_MTU;
struct omx_wire_params omx_engine_wire;
struct omx_pull_geom omx_engine_pull_geom;
