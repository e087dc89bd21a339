/* KUNIT_STATIC_STUB_REDIRECT (<kunit/static_stub.h>, Linux 6.3): lets a
 * KUnit test replace a function such as a grant or event-channel wrapper. */
#include <linux/module.h>
#include <kunit/static_stub.h>

static int __maybe_unused xen2mx_conftest(int x)
{
	KUNIT_STATIC_STUB_REDIRECT(xen2mx_conftest, x);
	return x;
}

MODULE_LICENSE("GPL");
