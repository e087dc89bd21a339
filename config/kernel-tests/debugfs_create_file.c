/* debugfs_create_file() for the statistics files.  Called rather than
 * assigned to a pointer: newer kernels make it a macro over
 * debugfs_create_file_full().  Without CONFIG_DEBUG_FS it is an inline stub
 * and nothing is exported, so the test fails on purpose. */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/fs.h>

static const struct file_operations xen2mx_conftest_fops;

static void __maybe_unused xen2mx_conftest(void)
{
	struct dentry *d;

	d = debugfs_create_file("xen2mx", 0444, NULL, NULL,
				&xen2mx_conftest_fops);
	debugfs_remove(d);
}

MODULE_LICENSE("GPL");
