/* xenbus_teardown_ring(&vaddr, nr_pages, grefs): the counterpart of the
 * 5-argument xenbus_setup_ring (Linux 5.18). */
#include <linux/module.h>
#include <xen/xenbus.h>

static void __maybe_unused xen2mx_conftest(void)
{
	void (*fn)(void **, unsigned int, grant_ref_t *) = xenbus_teardown_ring;

	(void)fn;
}

MODULE_LICENSE("GPL");
