/* xenbus_read_unsigned(dir, node, default): read a xenstore number with a
 * default, the way negotiation keys are read (Linux 4.10). */
#include <linux/module.h>
#include <xen/xenbus.h>

static void __maybe_unused xen2mx_conftest(void)
{
	unsigned int (*fn)(const char *, const char *, unsigned int) =
		xenbus_read_unsigned;

	(void)fn;
}

MODULE_LICENSE("GPL");
