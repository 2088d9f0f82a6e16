// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the core's argument checks (CONFIG_VFIO_KUNIT_TEST),
 * #included at the end of vfio.c: they run when the module loads.
 *
 * vfio_set_irqs_validate_and_prepare() is what every bus driver relies on
 * to reject a malformed VFIO_DEVICE_SET_IRQS before it indexes its
 * interrupt arrays with start and count, or copies count entries of data.
 */
#include <kunit/test.h>

#define IRQS_MINSZ	offsetofend(struct vfio_irq_set, count)
#define IRQS_NONE	(VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER)
#define IRQS_BOOL	(VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER)
#define IRQS_EVENTFD	(VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER)

/* Checks a header against a device with 3 indexes, 8 vectors in this one */
static int vfio_test_irqs(u32 argsz, u32 flags, u32 index, u32 start,
			  u32 count, size_t *data_size)
{
	struct vfio_irq_set hdr = {
		.argsz = argsz, .flags = flags, .index = index,
		.start = start, .count = count,
	};

	*data_size = 12345;	/* must be overwritten, errors included */
	return vfio_set_irqs_validate_and_prepare(&hdr, 8, 3, data_size);
}

static void vfio_set_irqs_argsz(struct kunit *test)
{
	size_t ds;

	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, 0, 0, 1,
					     &ds), 0);
	KUNIT_EXPECT_EQ(test, ds, 0);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ - 1, IRQS_NONE, 0, 0,
					     1, &ds), -EINVAL);
	KUNIT_EXPECT_EQ(test, ds, 0);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(0, IRQS_NONE, 0, 0, 1, &ds),
			-EINVAL);
	/* a larger argsz than the data needs is fine */
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(U32_MAX, IRQS_NONE, 0, 0, 1, &ds),
			0);
	KUNIT_EXPECT_EQ(test, ds, 0);
}

static void vfio_set_irqs_index(struct kunit *test)
{
	size_t ds;

	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, 2, 0, 1,
					     &ds), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, 3, 0, 1,
					     &ds), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, U32_MAX, 0,
					     1, &ds), -EINVAL);
}

static void vfio_set_irqs_flags(struct kunit *test)
{
	size_t ds;
	u32 bit;

	/* Exactly one data type; the action is the caller's business. */
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, 0, 0, 0, 1, &ds),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ,
					     VFIO_IRQ_SET_DATA_NONE, 0, 0, 1,
					     &ds), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE |
					     VFIO_IRQ_SET_ACTION_TYPE_MASK,
					     0, 0, 1, &ds), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ + 4,
					     VFIO_IRQ_SET_DATA_NONE |
					     VFIO_IRQ_SET_DATA_EVENTFD, 0, 0,
					     1, &ds), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ + 4,
					     VFIO_IRQ_SET_DATA_TYPE_MASK, 0, 0,
					     1, &ds), -EINVAL);
	/* No flag beyond those of the uapi. */
	for (bit = 6; bit < 32; bit++)
		KUNIT_EXPECT_EQ_MSG(test, vfio_test_irqs(IRQS_MINSZ,
							 IRQS_NONE | BIT(bit),
							 0, 0, 1, &ds),
				    -EINVAL, "flag bit %u", bit);
}

static void vfio_set_irqs_range(struct kunit *test)
{
	struct vfio_irq_set hdr = {
		.argsz = IRQS_MINSZ, .flags = IRQS_NONE,
	};
	size_t ds;

	/* count 0 within range: nothing to do, but valid */
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, 0, 0, 0,
					     &ds), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, 0, 7, 0,
					     &ds), 0);
	/* but start must name a vector even then */
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, 0, 8, 0,
					     &ds), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, 0, 0, 8,
					     &ds), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, 0, 7, 1,
					     &ds), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, 0, 0, 9,
					     &ds), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, 0, 7, 2,
					     &ds), -EINVAL);
	/* start + count wraps around to a small number */
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, 0, 1,
					     U32_MAX, &ds), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, 0, 2,
					     U32_MAX - 1, &ds), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, 0, 0,
					     U32_MAX, &ds), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_NONE, 0,
					     U32_MAX, 1, &ds), -EINVAL);

	/* An index without vectors, or a bus driver's bogus count */
	KUNIT_EXPECT_EQ(test, vfio_set_irqs_validate_and_prepare(&hdr, 0, 3,
								 &ds), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_set_irqs_validate_and_prepare(&hdr, -1, 3,
								 &ds), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_set_irqs_validate_and_prepare(&hdr, 1, 0,
								 &ds), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_set_irqs_validate_and_prepare(&hdr, 1, 1,
								 &ds), 0);
}

static void vfio_set_irqs_data_size(struct kunit *test)
{
	size_t ds;

	/* bool: one byte per vector */
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ + 3, IRQS_BOOL, 0, 2,
					     3, &ds), 0);
	KUNIT_EXPECT_EQ(test, ds, 3);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ + 2, IRQS_BOOL, 0, 2,
					     3, &ds), -EINVAL);
	KUNIT_EXPECT_EQ(test, ds, 0);
	/* eventfd: an s32 per vector */
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ + 32, IRQS_EVENTFD, 1,
					     0, 8, &ds), 0);
	KUNIT_EXPECT_EQ(test, ds, 32);
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ + 31, IRQS_EVENTFD, 1,
					     0, 8, &ds), -EINVAL);
	KUNIT_EXPECT_EQ(test, ds, 0);
	/* more room than needed: data_size is what count asks for */
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ + 100, IRQS_EVENTFD, 1,
					     6, 2, &ds), 0);
	KUNIT_EXPECT_EQ(test, ds, 8);
	/* count 0: no data */
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(IRQS_MINSZ, IRQS_EVENTFD, 1, 3, 0,
					     &ds), 0);
	KUNIT_EXPECT_EQ(test, ds, 0);
	/* the data of a header whose count is out of range is not looked at */
	KUNIT_EXPECT_EQ(test, vfio_test_irqs(U32_MAX, IRQS_EVENTFD, 1, 0, 9,
					     &ds), -EINVAL);
}

static struct kunit_case vfio_set_irqs_cases[] = {
	KUNIT_CASE(vfio_set_irqs_argsz),
	KUNIT_CASE(vfio_set_irqs_index),
	KUNIT_CASE(vfio_set_irqs_flags),
	KUNIT_CASE(vfio_set_irqs_range),
	KUNIT_CASE(vfio_set_irqs_data_size),
	{}
};

static struct kunit_suite vfio_set_irqs_suite = {
	.name = "vfio_set_irqs",
	.test_cases = vfio_set_irqs_cases,
};

kunit_test_suite(vfio_set_irqs_suite);
