/* xen_irq_lateeoi(irq, flags) with XEN_EOI_FLAG_SPURIOUS, to tell Xen an
 * interrupt found no work. */
#include <linux/module.h>
#include <xen/events.h>

static void __maybe_unused xen2mx_conftest(unsigned int irq)
{
	xen_irq_lateeoi(irq, XEN_EOI_FLAG_SPURIOUS);
}

MODULE_LICENSE("GPL");
