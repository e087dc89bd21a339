/* The baseline: a module with nothing in it.  If this does not build, no
 * other result means anything (broken compiler or unprepared tree). */
#include <linux/module.h>

MODULE_LICENSE("GPL");
