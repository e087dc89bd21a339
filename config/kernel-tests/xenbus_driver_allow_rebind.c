/* struct xenbus_driver.allow_rebind: a backend that sets it keeps the device
 * usable across an unbind/rebind instead of closing it in xenstore. */
#include <linux/module.h>
#include <xen/xenbus.h>

static struct xenbus_driver xen2mx_conftest_driver __maybe_unused = {
	.allow_rebind = true,
};

MODULE_LICENSE("GPL");
