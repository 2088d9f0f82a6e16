// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the core's argument checks (CONFIG_VFIO_KUNIT_TEST),
 * #included at the end of vfio.c: they run when the module loads.
 *
 * vfio_set_irqs_validate_and_prepare() is what every bus driver relies on
 * to reject a malformed VFIO_DEVICE_SET_IRQS before it indexes its
 * interrupt arrays with start and count, or copies count entries of data.
 *
 * The ioctl helpers (suite vfio_ioctl) write to and read from user
 * memory: the test thread borrows the mm of the process that loads the
 * module (kthread_use_mm()) and maps its pages there.  Built in, there is
 * no such process, and the tests that need user memory are skipped.
 * Between borrowing and giving back, the tests use no KUNIT_ASSERT: an
 * assertion would end the thread with the mm still in use.
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>

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

/* The mm of the process that loads the module, NULL when built in */
static struct mm_struct *vfio_test_mm;

static int vfio_test_suite_init(struct kunit_suite *suite)
{
	vfio_test_mm = get_task_mm(current);
	return 0;
}

static void vfio_test_suite_exit(struct kunit_suite *suite)
{
	if (vfio_test_mm)
		mmput(vfio_test_mm);
	vfio_test_mm = NULL;
}

/*
 * Two pages of user memory, zeroed, of which only the first is mapped: the
 * second is a hole to fault on.  NULL (the test failed) if none could be
 * mapped; the test is skipped without an mm to borrow.  Give them back
 * with vfio_test_user_put().
 */
static void __user *vfio_test_user_get(struct kunit *test)
{
	unsigned long addr;

	if (!vfio_test_mm)
		kunit_skip(test, "no process to borrow an mm from (built in)");

	kthread_use_mm(vfio_test_mm);
	addr = vm_mmap(NULL, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(addr)) {
		kthread_unuse_mm(vfio_test_mm);
		KUNIT_FAIL(test, "vm_mmap: %ld", (long)addr);
		return NULL;
	}
	vm_munmap(addr + PAGE_SIZE, PAGE_SIZE);
	return (void __user *)addr;
}

static void vfio_test_user_put(void __user *uptr)
{
	vm_munmap((unsigned long)uptr, PAGE_SIZE);
	kthread_unuse_mm(vfio_test_mm);
}

/* Capabilities of 8 and 16 bytes, ids 1 and 2, as a bus driver adds them */
enum { CAP1_SZ = 8, CAPS_SZ = 24 };

static bool vfio_test_caps(struct kunit *test, struct vfio_info_cap *caps)
{
	caps->buf = NULL;
	caps->size = 0;
	/* vfio_info_cap_add() frees the whole chain when it fails */
	if (IS_ERR(vfio_info_cap_add(caps, CAP1_SZ, 1, 1)) ||
	    IS_ERR(vfio_info_cap_add(caps, CAPS_SZ - CAP1_SZ, 2, 1))) {
		KUNIT_FAIL(test, "vfio_info_cap_add failed");
		return false;
	}
	KUNIT_EXPECT_EQ(test, caps->size, CAPS_SZ);
	return true;
}

/* No capabilities: nothing changes, nothing is written */
static void vfio_info_cap_copy_empty(struct kunit *test)
{
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	struct vfio_region_info info = { .argsz = 4, .cap_offset = 0xdead };

	KUNIT_EXPECT_EQ(test, vfio_info_cap_copy(&caps, NULL, sizeof(info),
						 &info.argsz,
						 &info.cap_offset), 0);
	KUNIT_EXPECT_EQ(test, info.argsz, 4);
	KUNIT_EXPECT_EQ(test, info.cap_offset, 0xdead);
}

/*
 * A buffer too small for the chain: argsz says what is needed, cap_offset
 * is 0, and nothing is written (to NULL, which would fail) or shifted.
 */
static void vfio_info_cap_copy_too_small(struct kunit *test)
{
	struct vfio_region_info info = { .cap_offset = 0xdead };
	u32 sizes[] = { sizeof(info) + CAPS_SZ - 1, sizeof(info), 0 };
	struct vfio_info_cap_header *cap;
	struct vfio_info_cap caps;
	unsigned int i;

	if (!vfio_test_caps(test, &caps))
		return;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		info.argsz = sizes[i];
		KUNIT_EXPECT_EQ(test, vfio_info_cap_copy(&caps, NULL,
							 sizeof(info),
							 &info.argsz,
							 &info.cap_offset), 0);
		KUNIT_EXPECT_EQ(test, info.argsz, sizeof(info) + CAPS_SZ);
		KUNIT_EXPECT_EQ(test, info.cap_offset, 0);
	}
	cap = caps.buf;
	KUNIT_EXPECT_EQ(test, cap->next, CAP1_SZ);
	kfree(caps.buf);
}

/* Room enough: the chain lands after the structure, offsets from it */
static void vfio_info_cap_copy_fits(struct kunit *test)
{
	struct vfio_region_info info = { .cap_offset = 0xdead };
	struct vfio_info_cap_header *cap;
	struct vfio_info_cap caps, late;
	u8 out[sizeof(info) + CAPS_SZ];
	void __user *uarg, *end;

	if (!vfio_test_caps(test, &caps))
		return;
	if (!vfio_test_caps(test, &late)) {
		kfree(caps.buf);
		return;
	}
	uarg = vfio_test_user_get(test);
	if (!uarg)
		goto out_free;

	info.argsz = sizeof(info) + CAPS_SZ + 100;	/* more is fine */
	KUNIT_EXPECT_EQ(test, vfio_info_cap_copy(&caps, uarg, sizeof(info),
						 &info.argsz,
						 &info.cap_offset), 0);
	KUNIT_EXPECT_EQ(test, info.argsz, sizeof(info) + CAPS_SZ + 100);
	KUNIT_EXPECT_EQ(test, info.cap_offset, sizeof(info));
	KUNIT_EXPECT_EQ(test, copy_from_user(out, uarg, sizeof(out)), 0);
	/* the structure itself is the caller's to write */
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(out, 0, sizeof(info)), NULL);
	cap = (void *)out + sizeof(info);
	KUNIT_EXPECT_EQ(test, cap->id, 1);
	KUNIT_EXPECT_EQ(test, cap->next, sizeof(info) + CAP1_SZ);
	cap = (void *)out + sizeof(info) + CAP1_SZ;
	KUNIT_EXPECT_EQ(test, cap->id, 2);
	KUNIT_EXPECT_EQ(test, cap->next, 0);

	/* Exactly enough room, but the chain's last byte is in the hole */
	end = uarg + PAGE_SIZE - sizeof(info) - CAPS_SZ + 1;
	info.argsz = sizeof(info) + CAPS_SZ;
	KUNIT_EXPECT_EQ(test, vfio_info_cap_copy(&late, end, sizeof(info),
						 &info.argsz,
						 &info.cap_offset), -EFAULT);
	KUNIT_EXPECT_EQ(test, info.argsz, sizeof(info) + CAPS_SZ);

	vfio_test_user_put(uarg);
out_free:
	kfree(late.buf);
	kfree(caps.buf);
}

#define FEAT_GET	VFIO_DEVICE_FEATURE_GET
#define FEAT_SET	VFIO_DEVICE_FEATURE_SET
#define FEAT_PROBE	VFIO_DEVICE_FEATURE_PROBE

/* A feature with GET only, 16 bytes of data */
static int vfio_test_check_get(u32 flags, size_t argsz)
{
	return vfio_check_feature(flags | 3, argsz, FEAT_GET, 16);
}

static void vfio_check_feature_get_only(struct kunit *test)
{
	/* PROBE: 0 for what the feature has, whatever argsz */
	KUNIT_EXPECT_EQ(test, vfio_test_check_get(FEAT_PROBE, 0), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_check_get(FEAT_PROBE | FEAT_GET, 0),
			0);
	KUNIT_EXPECT_EQ(test, vfio_test_check_get(FEAT_PROBE | FEAT_SET, 16),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_check_get(FEAT_PROBE | FEAT_GET |
						  FEAT_SET, 16), -EINVAL);
	/* GET: 1 to do it, with enough data */
	KUNIT_EXPECT_EQ(test, vfio_test_check_get(FEAT_GET, 16), 1);
	KUNIT_EXPECT_EQ(test, vfio_test_check_get(FEAT_GET, SIZE_MAX), 1);
	KUNIT_EXPECT_EQ(test, vfio_test_check_get(FEAT_GET, 15), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_check_get(FEAT_GET, 0), -EINVAL);
	/* SET, or neither without PROBE */
	KUNIT_EXPECT_EQ(test, vfio_test_check_get(FEAT_SET, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_check_get(0, 16), -EINVAL);
}

static void vfio_check_feature_get_set(struct kunit *test)
{
	const u32 both = FEAT_GET | FEAT_SET;

	KUNIT_EXPECT_EQ(test, vfio_check_feature(FEAT_PROBE | both, 0, both,
						 8), 0);
	KUNIT_EXPECT_EQ(test, vfio_check_feature(FEAT_PROBE | FEAT_SET, 0,
						 both, 8), 0);
	KUNIT_EXPECT_EQ(test, vfio_check_feature(FEAT_GET, 8, both, 8), 1);
	KUNIT_EXPECT_EQ(test, vfio_check_feature(FEAT_SET, 8, both, 8), 1);
	KUNIT_EXPECT_EQ(test, vfio_check_feature(FEAT_SET, 7, both, 8),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_check_feature(0, 8, both, 8), -EINVAL);
	/* a feature without data */
	KUNIT_EXPECT_EQ(test, vfio_check_feature(FEAT_SET, 0, FEAT_SET, 0), 1);
	KUNIT_EXPECT_EQ(test, vfio_check_feature(FEAT_GET, 0, FEAT_SET, 0),
			-EINVAL);
}

/* A bus driver's device_feature op that records its call */
struct vfio_test_feature_dev {
	struct vfio_device	vdev;
	unsigned int		calls;
	u32			flags;
	void __user		*arg;
	size_t			argsz;
};

static int vfio_test_device_feature(struct vfio_device *vdev, u32 flags,
				    void __user *arg, size_t argsz)
{
	struct vfio_test_feature_dev *t =
		container_of(vdev, struct vfio_test_feature_dev, vdev);

	t->calls++;
	t->flags = flags;
	t->arg = arg;
	t->argsz = argsz;
	return 42;
}

static const struct vfio_device_ops vfio_test_feature_ops = {
	.name		= "vfio-test",
	.device_feature	= vfio_test_device_feature,
};

static const struct vfio_device_ops vfio_test_no_feature_ops = {
	.name		= "vfio-test",
};

/* VFIO_DEVICE_FEATURE with @argsz and @flags through the core */
static int vfio_test_feature(struct vfio_test_feature_dev *t,
			     struct vfio_device_feature __user *uarg,
			     u32 argsz, u32 flags)
{
	struct vfio_device_feature hdr = { .argsz = argsz, .flags = flags };

	if (copy_to_user(uarg, &hdr, sizeof(hdr)))
		return -EIO;	/* not an answer of the core */
	t->calls = 0;
	return vfio_ioctl_device_feature(&t->vdev, uarg);
}

/* The core checks the header, and hands the rest to the bus driver */
static void vfio_device_feature_header(struct kunit *test)
{
	struct vfio_test_feature_dev t = { .vdev.ops = &vfio_test_feature_ops };
	const u32 hdrsz = sizeof(struct vfio_device_feature);
	struct vfio_device_feature __user *uarg;
	u32 bit;

	uarg = vfio_test_user_get(test);
	if (!uarg)
		return;

	/* argsz: the header at least; more is the feature's data */
	KUNIT_EXPECT_EQ(test, vfio_test_feature(&t, uarg, hdrsz - 1,
						FEAT_GET | 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, t.calls, 0);
	KUNIT_EXPECT_EQ(test, vfio_test_feature(&t, uarg, hdrsz, FEAT_GET | 5),
			42);
	KUNIT_EXPECT_EQ(test, t.calls, 1);
	KUNIT_EXPECT_EQ(test, t.flags, FEAT_GET | 5);
	KUNIT_EXPECT_EQ(test, (unsigned long)t.arg, (unsigned long)uarg->data);
	KUNIT_EXPECT_EQ(test, t.argsz, 0);
	KUNIT_EXPECT_EQ(test, vfio_test_feature(&t, uarg, U32_MAX,
						FEAT_SET | 0xffff), 42);
	KUNIT_EXPECT_EQ(test, t.argsz, U32_MAX - hdrsz);

	/* No flag beyond those of the uapi */
	for (bit = 19; bit < 32; bit++) {
		KUNIT_EXPECT_EQ_MSG(test, vfio_test_feature(&t, uarg, hdrsz,
							    FEAT_GET |
							    BIT(bit)),
				    -EINVAL, "flag bit %u", bit);
		KUNIT_EXPECT_EQ(test, t.calls, 0);
	}

	/* GET and SET together only to PROBE; PROBE alone is the driver's */
	KUNIT_EXPECT_EQ(test, vfio_test_feature(&t, uarg, hdrsz,
						FEAT_GET | FEAT_SET), -EINVAL);
	KUNIT_EXPECT_EQ(test, t.calls, 0);
	KUNIT_EXPECT_EQ(test, vfio_test_feature(&t, uarg, hdrsz, FEAT_PROBE |
						FEAT_GET | FEAT_SET), 42);
	KUNIT_EXPECT_EQ(test, t.calls, 1);
	KUNIT_EXPECT_EQ(test, vfio_test_feature(&t, uarg, hdrsz, FEAT_PROBE),
			42);
	KUNIT_EXPECT_EQ(test, vfio_test_feature(&t, uarg, hdrsz, 0), 42);

	/* A driver without features: -ENOTTY, once the header is good */
	t.vdev.ops = &vfio_test_no_feature_ops;
	KUNIT_EXPECT_EQ(test, vfio_test_feature(&t, uarg, hdrsz, FEAT_GET),
			-ENOTTY);
	KUNIT_EXPECT_EQ(test, vfio_test_feature(&t, uarg, hdrsz,
						FEAT_GET | FEAT_SET), -EINVAL);

	/* A header that cannot be read */
	KUNIT_EXPECT_EQ(test, vfio_ioctl_device_feature(&t.vdev, (void __user *)
							uarg + PAGE_SIZE),
			-EFAULT);

	vfio_test_user_put(uarg);
}

static struct kunit_case vfio_ioctl_cases[] = {
	KUNIT_CASE(vfio_info_cap_copy_empty),
	KUNIT_CASE(vfio_info_cap_copy_too_small),
	KUNIT_CASE(vfio_info_cap_copy_fits),
	KUNIT_CASE(vfio_check_feature_get_only),
	KUNIT_CASE(vfio_check_feature_get_set),
	KUNIT_CASE(vfio_device_feature_header),
	{}
};

static struct kunit_suite vfio_ioctl_suite = {
	.name = "vfio_ioctl",
	.suite_init = vfio_test_suite_init,
	.suite_exit = vfio_test_suite_exit,
	.test_cases = vfio_ioctl_cases,
};

kunit_test_suites(&vfio_set_irqs_suite, &vfio_ioctl_suite);
