/* KUnit's test-suite API as the xen2mx KUnit module uses it.  It compiles
 * even in kernels without CONFIG_KUNIT; configure checks that separately. */
#include <linux/module.h>
#include <kunit/test.h>

static void xen2mx_conftest_case(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1, 1);
}

static struct kunit_case xen2mx_conftest_cases[] = {
	KUNIT_CASE(xen2mx_conftest_case),
	{}
};

static struct kunit_suite xen2mx_conftest_suite = {
	.name = "xen2mx_conftest",
	.test_cases = xen2mx_conftest_cases,
};
kunit_test_suite(xen2mx_conftest_suite);

MODULE_LICENSE("GPL");
