# kernel-tests.m4 - the kernel API tests, one line each.
#
# Adding a test: write config/kernel-tests/NAME.c (a module source that
# compiles only when the API is there, in the shape the modules use it) and
# add a line below.  See XEN2MX_KERNEL_TEST in kernel.m4 for the arguments:
# NAME, the HAVE_* it defines, the exported symbols it needs, and for the
# APIs the modules cannot do without, what needs them.

AC_DEFUN([XEN2MX_KERNEL_TESTS], [
	dnl Sanity: if this fails, the tree or the compiler is broken.
	XEN2MX_KERNEL_TEST([empty_module])

	dnl Ring setup and event channels (frontend and backend); required
	dnl only of a kernel with Xen (the fifth argument).
	XEN2MX_KERNEL_TEST([xenbus_setup_ring], [HAVE_XENBUS_SETUP_RING],
		[xenbus_setup_ring], [frontend ring setup, 5-argument form], [xen])
	XEN2MX_KERNEL_TEST([xenbus_teardown_ring], [HAVE_XENBUS_TEARDOWN_RING],
		[xenbus_teardown_ring])
	XEN2MX_KERNEL_TEST([bind_interdomain_evtchn_lateeoi_xenbus_dev],
		[HAVE_BIND_INTERDOMAIN_EVTCHN_LATEEOI_XENBUS_DEV],
		[bind_interdomain_evtchn_to_irqhandler_lateeoi],
		[backend event channel, struct xenbus_device * form], [xen])
	XEN2MX_KERNEL_TEST([xen_irq_lateeoi], [HAVE_XEN_IRQ_LATEEOI],
		[xen_irq_lateeoi])
	XEN2MX_KERNEL_TEST([gnttab_batch_copy], [HAVE_GNTTAB_BATCH_COPY],
		[gnttab_batch_copy])

	dnl Xenbus driver and xenstore.
	XEN2MX_KERNEL_TEST([xenbus_read_unsigned], [HAVE_XENBUS_READ_UNSIGNED],
		[xenbus_read_unsigned], [xenstore negotiation], [xen])
	XEN2MX_KERNEL_TEST([xenbus_driver_allow_rebind],
		[HAVE_XENBUS_DRIVER_ALLOW_REBIND])
	XEN2MX_KERNEL_TEST([xenbus_remove_void], [HAVE_XENBUS_REMOVE_VOID])

	dnl Character device and diagnostics.
	XEN2MX_KERNEL_TEST([misc_register], [HAVE_MISC_REGISTER],
		[misc_register], [/dev/open-mx])
	XEN2MX_KERNEL_TEST([debugfs_create_file], [HAVE_DEBUGFS_CREATE_FILE],
		[debugfs_create_file|debugfs_create_file_full])

	dnl KUnit (the test module; BUILD_KUNIT also needs CONFIG_KUNIT).
	XEN2MX_KERNEL_TEST([kunit_test_suite])
	XEN2MX_KERNEL_TEST([kunit_static_stub], [HAVE_KUNIT_STATIC_STUB])
])
