/* struct xenbus_driver.remove returning void.  It used to return int, and
 * kernels of the same version differ (Debian's 6.1 has void), hence a test
 * rather than a version check. */
#include <linux/module.h>
#include <xen/xenbus.h>

static void xen2mx_conftest_remove(struct xenbus_device *dev)
{
}

static struct xenbus_driver xen2mx_conftest_driver __maybe_unused = {
	.remove = xen2mx_conftest_remove,
};

MODULE_LICENSE("GPL");
