/* xenbus_setup_ring(dev, gfp, &vaddr, nr_pages, grefs): allocates, grants and
 * zeroes a multi-page shared ring in one call (Linux 5.18).  Assigning it to a
 * pointer of the exact type rejects any other signature. */
#include <linux/module.h>
#include <xen/xenbus.h>

static void __maybe_unused xen2mx_conftest(void)
{
	int (*fn)(struct xenbus_device *, gfp_t, void **, unsigned int,
		  grant_ref_t *) = xenbus_setup_ring;

	(void)fn;
}

MODULE_LICENSE("GPL");
