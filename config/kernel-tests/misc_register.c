/* misc_register(): the frontend's /dev/open-mx is a misc device. */
#include <linux/module.h>
#include <linux/miscdevice.h>

static void __maybe_unused xen2mx_conftest(void)
{
	int (*fn)(struct miscdevice *) = misc_register;

	(void)fn;
}

MODULE_LICENSE("GPL");
