/* gnttab_batch_copy(ops, count): grant copies issued as one batch. */
#include <linux/module.h>
#include <xen/grant_table.h>

static void __maybe_unused xen2mx_conftest(void)
{
	void (*fn)(struct gnttab_copy *, unsigned int) = gnttab_batch_copy;

	(void)fn;
}

MODULE_LICENSE("GPL");
