/* bind_interdomain_evtchn_to_irqhandler_lateeoi() taking the xenbus device
 * (older kernels took the remote domid): the backend's event channel with
 * late-EOI protection against event storms. */
#include <linux/module.h>
#include <linux/interrupt.h>
#include <xen/events.h>
#include <xen/xenbus.h>

static void __maybe_unused xen2mx_conftest(void)
{
	int (*fn)(struct xenbus_device *, evtchn_port_t, irq_handler_t,
		  unsigned long, const char *, void *) =
		bind_interdomain_evtchn_to_irqhandler_lateeoi;

	(void)fn;
}

MODULE_LICENSE("GPL");
