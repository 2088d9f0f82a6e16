// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of Type1's range arithmetic (CONFIG_VFIO_KUNIT_TEST),
 * #included at the end of vfio_iommu_type1.c: they run when the module
 * loads.
 *
 * Each test gets a container without any domain, as VFIO_SET_IOMMU leaves
 * it: MAP_DMA then only records a mapping (pinning waits for the first
 * group), so the mapping tree, the checks of MAP_DMA and UNMAP_DMA and the
 * dirty bitmap can be tested without a device or an IOMMU.  A mapping
 * holds its task's mm: the test thread borrows the mm of the process
 * that loads the module (kthread_use_mm()), which is also where the dirty
 * bitmaps live.  Built in, there is no such process, and these tests are
 * skipped.  The tests use no KUNIT_ASSERT: an assertion would end the
 * thread with the mm still in use.
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/mman.h>

/* An enum, not a macro: a failed check shows the expression as written */
enum { PG = PAGE_SIZE };
#define TOP		U64_MAX		/* the last IOVA */
#define VADDR		0x10000000UL	/* never touched without a domain */
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

/* The mm of the process that loads the module, NULL when built in */
static struct mm_struct *vfio_test_mm;

struct vfio_test {
	struct vfio_iommu	*iommu;
	bool			mm_used;
};

struct vfio_test_range {
	u64	iova;
	u64	size;
};

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

static int vfio_test_init(struct kunit *test)
{
	struct vfio_test *t;

	if (!vfio_test_mm)
		kunit_skip(test, "no process to borrow an mm from (built in)");

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->iommu = vfio_iommu_type1_open(VFIO_TYPE1v2_IOMMU);
	if (IS_ERR(t->iommu))
		return PTR_ERR(t->iommu);
	test->priv = t;

	kthread_use_mm(vfio_test_mm);
	t->mm_used = true;
	return 0;
}

static void vfio_test_exit(struct kunit *test)
{
	struct vfio_test *t = test->priv;

	if (!t)
		return;
	vfio_iommu_type1_release(t->iommu);
	if (t->mm_used)
		kthread_unuse_mm(vfio_test_mm);
}

static struct vfio_iommu *vfio_test_iommu(struct kunit *test)
{
	return ((struct vfio_test *)test->priv)->iommu;
}

static int vfio_test_map_va(struct vfio_iommu *iommu, u32 flags, u64 iova,
			    u64 vaddr, u64 size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map), .flags = flags,
		.vaddr = vaddr, .iova = iova, .size = size,
	};

	return vfio_dma_do_map(iommu, &map);
}

static int vfio_test_map(struct vfio_iommu *iommu, u64 iova, u64 size)
{
	return vfio_test_map_va(iommu, RW, iova, VADDR, size);
}

/* An UNMAP_DMA; *@size becomes what it reports unmapped. */
static int vfio_test_unmap_flags(struct vfio_iommu *iommu, u32 flags,
				 u64 iova, u64 *size,
				 struct vfio_bitmap *bitmap)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap), .flags = flags,
		.iova = iova, .size = *size,
	};
	struct vfio_bitmap none = { 0 };
	int ret;

	ret = vfio_dma_do_unmap(iommu, &unmap, bitmap ? bitmap : &none);
	*size = unmap.size;
	return ret;
}

static int vfio_test_unmap(struct vfio_iommu *iommu, u64 iova, u64 *size)
{
	return vfio_test_unmap_flags(iommu, 0, iova, size, NULL);
}

/* The mappings must be exactly @want, in IOVA order. */
static void vfio_test_expect_dmas(struct kunit *test, struct vfio_iommu *iommu,
				  const struct vfio_test_range *want, int nr)
{
	struct rb_node *n;
	int i = 0;

	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n), i++) {
		struct vfio_dma *dma = rb_entry(n, struct vfio_dma, node);

		if (i >= nr) {
			KUNIT_FAIL(test, "unexpected mapping %pad+%#zx",
				   &dma->iova, dma->size);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, (u64)dma->iova, want[i].iova,
				    "mapping %d", i);
		KUNIT_EXPECT_EQ_MSG(test, (u64)dma->size, want[i].size,
				    "mapping %d", i);
	}
	KUNIT_EXPECT_EQ_MSG(test, i, nr, "number of mappings");
	KUNIT_EXPECT_EQ(test, iommu->dma_avail, dma_entry_limit - i);
}

#define EXPECT_DMAS(test, iommu, ...)					\
	do {								\
		static const struct vfio_test_range __want[] = {	\
			__VA_ARGS__					\
		};							\
		vfio_test_expect_dmas(test, iommu, __want,		\
				      ARRAY_SIZE(__want));		\
	} while (0)

#define EXPECT_NO_DMAS(test, iommu) vfio_test_expect_dmas(test, iommu, NULL, 0)

/*
 * User ranges
 */

/* The last address of a start and a size, at 0 and at the top */
static void vfio_type1_range_last(struct kunit *test)
{
	static const struct {
		u64 start, size;
		int ret;
		u64 last;
	} cases[] = {
		{ 0, 1, 0, 0 },
		{ 0, PG, 0, PG - 1 },
		{ 0, TOP, 0, TOP - 1 },
		{ 1, TOP, 0, TOP },
		{ TOP - PG + 1, PG, 0, TOP },
		{ TOP, 1, 0, TOP },
		/* empty */
		{ 0, 0, -EINVAL },
		{ TOP, 0, -EINVAL },
		/* one byte past the top, and more */
		{ 2, TOP, -EOVERFLOW },
		{ TOP, 2, -EOVERFLOW },
		{ TOP - PG + 1, PG + 1, -EOVERFLOW },
		{ TOP - PG + 1, 2 * PG, -EOVERFLOW },
		{ TOP, TOP, -EOVERFLOW },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 last = 0;

		KUNIT_EXPECT_EQ_MSG(test, vfio_range_last(cases[i].start,
							  cases[i].size,
							  &last),
				    cases[i].ret, "%#llx + %#llx",
				    cases[i].start, cases[i].size);
		if (!cases[i].ret)
			KUNIT_EXPECT_EQ_MSG(test, last, cases[i].last,
					    "%#llx + %#llx", cases[i].start,
					    cases[i].size);
	}
}

/*
 * MAP_DMA
 */

static void vfio_type1_map_args(struct kunit *test)
{
	struct vfio_iommu *iommu = vfio_test_iommu(test);
	struct vfio_dma *dma;

	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0, PG - 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0, PG + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, PG / 2, PG), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 1, PG), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, RW, 0, VADDR + 1, PG),
			-EINVAL);
	/* a new mapping needs a protection; a vaddr update must not have one */
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, 0, 0, VADDR, PG),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, VFIO_DMA_MAP_FLAG_VADDR |
					       VFIO_DMA_MAP_FLAG_READ, 0,
					       VADDR, PG), -EINVAL);
	EXPECT_NO_DMAS(test, iommu);

	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, VFIO_DMA_MAP_FLAG_READ,
					       0, VADDR, PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, VFIO_DMA_MAP_FLAG_WRITE,
					       PG, VADDR, PG), 0);
	EXPECT_DMAS(test, iommu, { 0, PG }, { PG, PG });
	dma = vfio_find_dma(iommu, 0, 0);
	KUNIT_EXPECT_TRUE(test, dma && dma->prot == IOMMU_READ);
	dma = vfio_find_dma(iommu, PG, PG);
	KUNIT_EXPECT_TRUE(test, dma && dma->prot == IOMMU_WRITE);
}

static void vfio_type1_map_edges(struct kunit *test)
{
	struct vfio_iommu *iommu = vfio_test_iommu(test);
	struct vfio_dma *dma;

	/* The first and the last page of the IOVA space */
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0, PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, TOP - PG + 1, PG), 0);
	/* ranges that wrap around, before any other check of the range */
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, TOP - PG + 1, 2 * PG),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, TOP - 2 * PG + 1, 4 * PG),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, TOP - PG + 1, PG + 1),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, TOP, PG), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, RW, 2 * PG, 0,
					       TOP - PG + 1), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, RW, 4 * PG,
					       (u64)-PG, 2 * PG), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, VFIO_DMA_MAP_FLAG_VADDR,
					       TOP - PG + 1, VADDR, 2 * PG),
			-EOVERFLOW);
	/* empty, at the top */
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, TOP - PG + 1, 0), -EINVAL);
	/* the largest mapping that fits between the two */
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, RW, PG, 0,
					       TOP - 2 * PG + 1), 0);
	EXPECT_DMAS(test, iommu, { 0, PG }, { PG, TOP - 2 * PG + 1 },
		    { TOP - PG + 1, PG });

	dma = vfio_find_dma(iommu, TOP, TOP);
	KUNIT_EXPECT_TRUE(test, dma && dma->iova == TOP - PG + 1);
	dma = vfio_find_dma(iommu, 0, 0);
	KUNIT_EXPECT_TRUE(test, dma && dma->iova == 0);
	dma = vfio_find_dma(iommu, PG - 1, PG - 1);
	KUNIT_EXPECT_TRUE(test, dma && dma->iova == 0);
	dma = vfio_find_dma(iommu, TOP - PG, TOP - PG);
	KUNIT_EXPECT_TRUE(test, dma && dma->iova == PG);
}

static void vfio_type1_map_overlap(struct kunit *test)
{
	struct vfio_iommu *iommu = vfio_test_iommu(test);

	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 4 * PG, 4 * PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 3 * PG, 2 * PG), -EEXIST);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 7 * PG, 2 * PG), -EEXIST);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 5 * PG, PG), -EEXIST);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 4 * PG, 4 * PG), -EEXIST);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0, 16 * PG), -EEXIST);
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, RW, 7 * PG, 0,
					       TOP - 7 * PG + 1), -EEXIST);
	/* adjacent on both sides */
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0, 4 * PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 8 * PG, PG), 0);
	EXPECT_DMAS(test, iommu, { 0, 4 * PG }, { 4 * PG, 4 * PG },
		    { 8 * PG, PG });
}

static void vfio_type1_map_limit(struct kunit *test)
{
	struct vfio_iommu *iommu = vfio_test_iommu(test);
	u64 size = PG;

	iommu->dma_avail = 2;
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0, PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 2 * PG, PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 4 * PG, PG), -ENOSPC);
	KUNIT_EXPECT_EQ(test, iommu->dma_avail, 0);
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 0, &size), 0);
	KUNIT_EXPECT_EQ(test, iommu->dma_avail, 1);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 4 * PG, PG), 0);
	KUNIT_EXPECT_EQ(test, iommu->dma_avail, 0);
	iommu->dma_avail = dma_entry_limit - 2;	/* for EXPECT_DMAS */
	EXPECT_DMAS(test, iommu, { 2 * PG, PG }, { 4 * PG, PG });
}

/* With groups attached, only their usable IOVA ranges may be mapped. */
static void vfio_type1_map_iova_ranges(struct kunit *test)
{
	struct vfio_iommu *iommu = vfio_test_iommu(test);

	KUNIT_EXPECT_EQ(test, vfio_iova_add(&iommu->iova_list, 0x1000,
					    0xfffff, NULL), 0);
	KUNIT_EXPECT_EQ(test, vfio_iova_add(&iommu->iova_list, 0x100000,
					    0x1fffff, NULL), 0);
	KUNIT_EXPECT_EQ(test, vfio_iova_add(&iommu->iova_list, 0x400000,
					    TOP, NULL), 0);

	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0, PG), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0x1000, PG), 0);
	/* within two adjacent ranges, but not within one */
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0x100000 - PG, 2 * PG),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0x100000 - PG, PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0x200000 - PG, 2 * PG),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0x200000, PG), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0x400000 - PG, PG),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0x400000, PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, TOP - PG + 1, PG), 0);
	EXPECT_DMAS(test, iommu, { 0x1000, PG }, { 0x100000 - PG, PG },
		    { 0x400000, PG }, { TOP - PG + 1, PG });

	KUNIT_EXPECT_TRUE(test, vfio_iova_valid(iommu, 0x100000, 0x1fffff));
	KUNIT_EXPECT_FALSE(test, vfio_iova_valid(iommu, 0xfffff, 0x100000));
	KUNIT_EXPECT_FALSE(test, vfio_iova_valid(iommu, 0, 0));
	KUNIT_EXPECT_TRUE(test, vfio_iova_valid(iommu, TOP, TOP));
}

/*
 * UNMAP_DMA
 */

static void vfio_type1_unmap_args(struct kunit *test)
{
	struct vfio_iommu *iommu = vfio_test_iommu(test);
	u64 size;

	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0, 4 * PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, TOP - PG + 1, PG), 0);

	size = 0;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 0, &size), -EINVAL);
	size = 4 * PG - 1;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 0, &size), -EINVAL);
	KUNIT_EXPECT_EQ(test, size, 0);
	size = 4 * PG;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 1, &size), -EINVAL);
	/* ranges that wrap around, misaligned or not */
	size = 2 * PG;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, TOP - PG + 1, &size),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, size, 0);
	size = TOP - 4 * PG + 1;	/* wraps to below 8 * PG */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 8 * PG, &size),
			-EOVERFLOW);
	size = PG;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, TOP, &size), -EOVERFLOW);
	size = TOP;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 2, &size), -EOVERFLOW);
	size = 0;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, TOP - PG + 1, &size),
			-EINVAL);
	/* ALL wants iova and size 0 */
	size = 4 * PG;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap_flags(iommu,
						    VFIO_DMA_UNMAP_FLAG_ALL,
						    0, &size, NULL), -EINVAL);
	size = 0;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap_flags(iommu,
						    VFIO_DMA_UNMAP_FLAG_ALL,
						    PG, &size, NULL), -EINVAL);
	EXPECT_DMAS(test, iommu, { 0, 4 * PG }, { TOP - PG + 1, PG });

	/* the last page of the IOVA space */
	size = PG;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, TOP - PG + 1, &size), 0);
	KUNIT_EXPECT_EQ(test, size, PG);
	EXPECT_DMAS(test, iommu, { 0, 4 * PG });
	/* everything but the last page, in one range */
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, TOP - PG + 1, PG), 0);
	size = TOP - PG + 1;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 0, &size), 0);
	KUNIT_EXPECT_EQ(test, size, 4 * PG);
	EXPECT_DMAS(test, iommu, { TOP - PG + 1, PG });
	/* everything but the first page: up to the top */
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0, PG), 0);
	size = TOP - PG + 1;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, PG, &size), 0);
	KUNIT_EXPECT_EQ(test, size, PG);
	EXPECT_DMAS(test, iommu, { 0, PG });
}

/* A = [0, 2), B = [2, 3), C = [4, 8) in pages */
static void vfio_test_map_abc(struct kunit *test, struct vfio_iommu *iommu)
{
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0, 2 * PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 2 * PG, PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 4 * PG, 4 * PG), 0);
}

/* v2: a range may cover whole mappings, never cut one. */
static void vfio_type1_unmap_v2(struct kunit *test)
{
	struct vfio_iommu *iommu = vfio_test_iommu(test);
	u64 size;

	vfio_test_map_abc(test, iommu);

	size = 2 * PG;		/* from inside A over B */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, PG, &size), -EINVAL);
	KUNIT_EXPECT_EQ(test, size, 0);
	size = PG;		/* the first half of A */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 0, &size), -EINVAL);
	size = 3 * PG;		/* B and into C */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 2 * PG, &size), -EINVAL);
	size = 2 * PG;		/* the end of C */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 6 * PG, &size), -EINVAL);
	EXPECT_DMAS(test, iommu, { 0, 2 * PG }, { 2 * PG, PG },
		    { 4 * PG, 4 * PG });

	size = PG;		/* the hole between B and C */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 3 * PG, &size), 0);
	KUNIT_EXPECT_EQ(test, size, 0);
	size = TOP - 8 * PG + 1;	/* everything after C */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 8 * PG, &size), 0);
	KUNIT_EXPECT_EQ(test, size, 0);
	size = PG;		/* B exactly */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 2 * PG, &size), 0);
	KUNIT_EXPECT_EQ(test, size, PG);
	EXPECT_DMAS(test, iommu, { 0, 2 * PG }, { 4 * PG, 4 * PG });
	size = 16 * PG;		/* A and C, and the holes around them */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 0, &size), 0);
	KUNIT_EXPECT_EQ(test, size, 6 * PG);
	EXPECT_NO_DMAS(test, iommu);
}

/*
 * v1: a range that starts inside a mapping unmaps nothing, not even the
 * mappings after it; one that covers a mapping's first page unmaps all
 * of it.
 */
static void vfio_type1_unmap_v1(struct kunit *test)
{
	struct vfio_iommu *iommu = vfio_test_iommu(test);
	u64 size;

	iommu->v2 = false;
	vfio_test_map_abc(test, iommu);

	size = 2 * PG;		/* from inside A over B */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, PG, &size), 0);
	KUNIT_EXPECT_EQ(test, size, 0);
	size = 8 * PG;		/* from inside A over B and C */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, PG, &size), 0);
	KUNIT_EXPECT_EQ(test, size, 0);
	EXPECT_DMAS(test, iommu, { 0, 2 * PG }, { 2 * PG, PG },
		    { 4 * PG, 4 * PG });

	size = PG;		/* the first page of A: all of A */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 0, &size), 0);
	KUNIT_EXPECT_EQ(test, size, 2 * PG);
	EXPECT_DMAS(test, iommu, { 2 * PG, PG }, { 4 * PG, 4 * PG });
	size = 3 * PG;		/* B, and the first page of C: all of C */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 2 * PG, &size), 0);
	KUNIT_EXPECT_EQ(test, size, 5 * PG);
	EXPECT_NO_DMAS(test, iommu);
}

static void vfio_type1_unmap_all(struct kunit *test)
{
	struct vfio_iommu *iommu = vfio_test_iommu(test);
	u64 size = 0;

	vfio_test_map_abc(test, iommu);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, TOP - PG + 1, PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_unmap_flags(iommu,
						    VFIO_DMA_UNMAP_FLAG_ALL,
						    0, &size, NULL), 0);
	KUNIT_EXPECT_EQ(test, size, 8 * PG);
	EXPECT_NO_DMAS(test, iommu);
	size = 0;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap_flags(iommu,
						    VFIO_DMA_UNMAP_FLAG_ALL,
						    0, &size, NULL), 0);
	KUNIT_EXPECT_EQ(test, size, 0);
}

/* VFIO_DMA_UNMAP_FLAG_VADDR, then VFIO_DMA_MAP_FLAG_VADDR */
static void vfio_type1_vaddr_update(struct kunit *test)
{
	struct vfio_iommu *iommu = vfio_test_iommu(test);
	u32 inval = VFIO_DMA_UNMAP_FLAG_VADDR;
	u32 update = VFIO_DMA_MAP_FLAG_VADDR;
	struct vfio_dma *dma;
	u64 size;

	vfio_test_map_abc(test, iommu);

	size = PG;		/* v2 rules: not half of A */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap_flags(iommu, inval, 0, &size,
						    NULL), -EINVAL);
	size = 3 * PG;		/* A and B */
	KUNIT_EXPECT_EQ(test, vfio_test_unmap_flags(iommu, inval, 0, &size,
						    NULL), 0);
	KUNIT_EXPECT_EQ(test, size, 3 * PG);
	KUNIT_EXPECT_EQ(test, iommu->vaddr_invalid_count, 2);
	/* the mappings stay */
	EXPECT_DMAS(test, iommu, { 0, 2 * PG }, { 2 * PG, PG },
		    { 4 * PG, 4 * PG });
	/* all or nothing: B is invalid already, C is left alone */
	size = 8 * PG;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap_flags(iommu, inval, 0, &size,
						    NULL), -EINVAL);
	dma = vfio_find_dma(iommu, 4 * PG, 4 * PG);
	KUNIT_EXPECT_TRUE(test, dma && !dma->vaddr_invalid);
	KUNIT_EXPECT_EQ(test, iommu->vaddr_invalid_count, 2);

	/* An update names one whole, invalidated mapping. */
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, update, 0, 2 * VADDR,
					       PG), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, update, 0, 2 * VADDR,
					       3 * PG), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, update, 4 * PG,
					       2 * VADDR, 4 * PG), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, update, 8 * PG,
					       2 * VADDR, PG), -ENOENT);
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, update, 0, 2 * VADDR,
					       2 * PG), 0);
	dma = vfio_find_dma(iommu, 0, 0);
	KUNIT_EXPECT_TRUE(test, dma && !dma->vaddr_invalid &&
			  dma->vaddr == 2 * VADDR);
	KUNIT_EXPECT_EQ(test, iommu->vaddr_invalid_count, 1);
	/* a second update of it is refused */
	KUNIT_EXPECT_EQ(test, vfio_test_map_va(iommu, update, 0, 3 * VADDR,
					       2 * PG), -EINVAL);
	KUNIT_EXPECT_TRUE(test, dma && dma->vaddr == 2 * VADDR);

	/* unmapping an invalidated mapping drops it from the count */
	size = PG;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap(iommu, 2 * PG, &size), 0);
	KUNIT_EXPECT_EQ(test, iommu->vaddr_invalid_count, 0);
}

/*
 * Dirty page logging
 */

static void vfio_type1_dirty_bitmap_size(struct kunit *test)
{
	u64 max = VFIO_DIRTY_BITMAP_SIZE_MAX;
	struct vfio_bitmap bm = {
		.pgsize = PG, .size = 8,
		.data = (u64 __user *)VADDR,
	};

	/* one bit per page, in whole u64s, for at most INT_MAX pages */
	KUNIT_EXPECT_EQ(test, max, 1ULL << 28);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(1, 8), 0);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(1, 7), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(64, 8), 0);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(65, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(65, 16), 0);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(0, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(1, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(INT_MAX, max), 0);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(INT_MAX, max - 8),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(1, max), 0);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(1, max + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size((u64)INT_MAX + 65,
						      max + 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(15, 7), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(64, 15), 0);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(65, 15), -EINVAL);
	/* counts whose size in bytes would wrap around */
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(U64_MAX, max), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(U64_MAX - 62, 8),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_verify_bitmap_size(U64_MAX, U64_MAX),
			-EINVAL);

	/* The user's description: a page size, a range in it, user memory */
	KUNIT_EXPECT_EQ(test, vfio_check_user_bitmap(&bm, 64 * PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_check_user_bitmap(&bm, 65 * PG), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_check_user_bitmap(&bm, PG - 1), -EINVAL);
	bm.pgsize = 2 * PG;
	KUNIT_EXPECT_EQ(test, vfio_check_user_bitmap(&bm, 128 * PG), 0);
	bm.pgsize = 0;
	KUNIT_EXPECT_EQ(test, vfio_check_user_bitmap(&bm, 64 * PG), -EINVAL);
	bm.pgsize = PG;
	bm.data = (u64 __user *)(TASK_SIZE_MAX - 4);
	KUNIT_EXPECT_EQ(test, vfio_check_user_bitmap(&bm, 64 * PG), -EINVAL);
}

/* @bytes of user memory in the borrowed mm, or 0 */
static unsigned long vfio_test_user_mem(struct kunit *test, size_t bytes)
{
	unsigned long addr;

	addr = vm_mmap(NULL, 0, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(addr)) {
		KUNIT_FAIL(test, "vm_mmap: %ld", (long)addr);
		return 0;
	}
	return addr;
}

static int vfio_test_bitmap_init(u64 __user *bitmap, unsigned int nwords,
				 bool ones)
{
	unsigned int i;

	for (i = 0; i < nwords; i++) {
		if (put_user(ones ? ~0ULL : 0, bitmap + i))
			return -EFAULT;
	}
	return 0;
}

/* Bits [@first, @first + @n) of the user's bitmap are @set, the rest not */
static void vfio_test_expect_bits(struct kunit *test, u64 __user *bitmap,
				  unsigned int nwords, u64 first, u64 n,
				  bool set)
{
	unsigned int i, bad = 0;
	u64 word, want, bit;

	for (i = 0; i < nwords; i++) {
		if (get_user(word, bitmap + i)) {
			KUNIT_FAIL(test, "cannot read word %u", i);
			return;
		}
		want = 0;
		for (bit = 0; bit < 64; bit++) {
			u64 b = (u64)i * 64 + bit;

			if ((b >= first && b < first + n) == set)
				want |= BIT_ULL(bit);
		}
		if (word != want && bad++ < 4)
			KUNIT_FAIL(test, "%s %llu bits from %llu: word %u is %#llx, not %#llx",
				   set ? "set" : "clear", n, first, i, word,
				   want);
	}
}

/* Runs of bits within a word, across words, over more than 64 words */
static void vfio_type1_dirty_bitmap_fill(struct kunit *test)
{
	static const struct vfio_test_range runs[] = {	/* first, n */
		{ 0, 1 }, { 63, 1 }, { 64, 1 }, { 5, 59 }, { 5, 60 },
		{ 0, 64 }, { 64, 128 }, { 3, 200 }, { 0, 64 * 64 },
		{ 1, 64 * 64 }, { 64, 64 * 64 + 65 }, { 7, 64 * 100 - 8 },
	};
	const unsigned int nwords = 128;
	u64 __user *bitmap;
	unsigned long addr;
	int i, set;

	addr = vfio_test_user_mem(test, nwords * sizeof(u64));
	if (!addr)
		return;
	bitmap = (u64 __user *)addr;

	for (set = 0; set <= 1; set++) {
		for (i = 0; i < ARRAY_SIZE(runs); i++) {
			u64 first = runs[i].iova, n = runs[i].size;

			if (vfio_test_bitmap_init(bitmap, nwords, !set)) {
				KUNIT_FAIL(test, "cannot write the bitmap");
				break;
			}
			KUNIT_EXPECT_EQ(test, vfio_user_bitmap_fill(bitmap,
								    first, n,
								    set), 0);
			vfio_test_expect_bits(test, bitmap, nwords, first, n,
					      set);
		}
	}
	vm_munmap(addr, nwords * sizeof(u64));
}

/* The bits of the mappings an unmap covers, at their offsets from iova */
static void vfio_type1_dirty_unmap(struct kunit *test)
{
	struct vfio_iommu *iommu = vfio_test_iommu(test);
	u32 flags = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP;
	const unsigned int nwords = 4;
	struct vfio_bitmap bm = { .pgsize = PG, .size = nwords * 8 };
	unsigned long addr;
	u64 size;

	addr = vfio_test_user_mem(test, nwords * sizeof(u64));
	if (!addr)
		return;
	bm.data = (u64 __user *)addr;

	/* 16 pages from page 4 on, and 3 from 67 on */
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 4 * PG, 16 * PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 67 * PG, 3 * PG), 0);

	/* only while logging, and in the smallest page size */
	size = 128 * PG;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap_flags(iommu, flags, 0, &size,
						    &bm), -EINVAL);
	iommu->dirty_tracking = true;
	bm.pgsize = 2 * PG;
	size = 128 * PG;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap_flags(iommu, flags, 0, &size,
						    &bm), -EINVAL);
	bm.pgsize = PG;
	EXPECT_DMAS(test, iommu, { 4 * PG, 16 * PG }, { 67 * PG, 3 * PG });

	/*
	 * Without a domain nothing is mapped, so nothing is dirty: the bits
	 * of the two mappings are cleared, relative to the range's start,
	 * and no other bit is touched.
	 */
	KUNIT_EXPECT_EQ(test, vfio_test_bitmap_init(bm.data, nwords, true), 0);
	size = 128 * PG;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap_flags(iommu, flags, 2 * PG,
						    &size, &bm), 0);
	KUNIT_EXPECT_EQ(test, size, 19 * PG);
	EXPECT_NO_DMAS(test, iommu);
	KUNIT_EXPECT_EQ(test, get_user(size, bm.data), 0);
	KUNIT_EXPECT_EQ(test, size, ~GENMASK_ULL(17, 2));
	KUNIT_EXPECT_EQ(test, get_user(size, bm.data + 1), 0);
	KUNIT_EXPECT_EQ(test, size, ~GENMASK_ULL(3, 1));
	KUNIT_EXPECT_EQ(test, get_user(size, bm.data + 2), 0);
	KUNIT_EXPECT_EQ(test, size, ~0ULL);

	vm_munmap(addr, nwords * sizeof(u64));
}

/* VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP, its range written at @uaddr */
static int vfio_test_get_dirty(struct vfio_iommu *iommu, unsigned long uaddr,
			       u64 iova, u64 size, struct vfio_bitmap *bm)
{
	struct vfio_iommu_type1_dirty_bitmap_get range = {
		.iova = iova, .size = size, .bitmap = *bm,
	};

	if (copy_to_user((void __user *)uaddr, &range, sizeof(range)))
		return -EFAULT;
	return vfio_iommu_get_dirty_bitmap(iommu, uaddr);
}

/*
 * The range checks of the dirty bitmap are those of MAP_DMA and UNMAP_DMA:
 * a range may end at the top, not wrap past it.
 */
static void vfio_type1_dirty_ranges(struct kunit *test)
{
	struct vfio_iommu *iommu = vfio_test_iommu(test);
	u32 flags = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP;
	struct vfio_bitmap bm = { .pgsize = PG, .size = 8 };
	unsigned long addr;
	u64 size, word;

	/* the request at the start of a page, the bitmap in its middle */
	addr = vfio_test_user_mem(test, PG);
	if (!addr)
		return;
	bm.data = (u64 __user *)(addr + PG / 2);

	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, TOP - PG + 1, PG), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_get_dirty(iommu, addr, TOP - PG + 1,
						  PG, &bm), -EINVAL);
	iommu->dirty_tracking = true;

	/* the last 64 pages: only the mapped one, the last, is reported */
	KUNIT_EXPECT_EQ(test, vfio_test_bitmap_init(bm.data, 1, true), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_get_dirty(iommu, addr,
						  TOP - 64 * PG + 1, 64 * PG,
						  &bm), 0);
	KUNIT_EXPECT_EQ(test, get_user(word, bm.data), 0);
	KUNIT_EXPECT_EQ(test, word, ~BIT_ULL(63));
	KUNIT_EXPECT_EQ(test, vfio_test_get_dirty(iommu, addr, TOP - PG + 1,
						  PG, &bm), 0);

	/* empty, wrapping, wrapping and misaligned */
	KUNIT_EXPECT_EQ(test, vfio_test_get_dirty(iommu, addr, TOP - PG + 1,
						  0, &bm), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_get_dirty(iommu, addr, TOP - PG + 1,
						  2 * PG, &bm), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, vfio_test_get_dirty(iommu, addr, TOP - PG + 2,
						  PG, &bm), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, vfio_test_get_dirty(iommu, addr, PG, TOP,
						  &bm), -EOVERFLOW);

	/* the same at an unmap with the bitmap */
	size = 2 * PG;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap_flags(iommu, flags,
						    TOP - PG + 1, &size, &bm),
			-EOVERFLOW);
	size = 0;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap_flags(iommu, flags,
						    TOP - PG + 1, &size, &bm),
			-EINVAL);
	EXPECT_DMAS(test, iommu, { TOP - PG + 1, PG });
	KUNIT_EXPECT_EQ(test, vfio_test_bitmap_init(bm.data, 1, true), 0);
	size = PG;
	KUNIT_EXPECT_EQ(test, vfio_test_unmap_flags(iommu, flags,
						    TOP - PG + 1, &size, &bm),
			0);
	KUNIT_EXPECT_EQ(test, size, PG);
	KUNIT_EXPECT_EQ(test, get_user(word, bm.data), 0);
	KUNIT_EXPECT_EQ(test, word, ~BIT_ULL(0));
	EXPECT_NO_DMAS(test, iommu);

	vm_munmap(addr, PG);
}

/*
 * Usable IOVA ranges
 */

static void vfio_test_resv(struct list_head *resv,
			   struct iommu_resv_region *r, u64 start, u64 len,
			   enum iommu_resv_type type)
{
	r->start = start;
	r->length = len;
	r->type = type;
	list_add_tail(&r->list, resv);
}

static void vfio_test_expect_iovas(struct kunit *test, struct list_head *iovas,
				   const struct vfio_test_range *want, int nr)
{
	struct vfio_iova *range;
	int i = 0;

	list_for_each_entry(range, iovas, list) {
		if (i < nr) {
			KUNIT_EXPECT_EQ_MSG(test, (u64)range->start,
					    want[i].iova, "range %d", i);
			KUNIT_EXPECT_EQ_MSG(test, (u64)range->last,
					    want[i].size, "range %d", i);
		}
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, nr);
}

static void vfio_type1_iova_exclude(struct kunit *test)
{
	static const struct vfio_test_range want[] = {	/* start, last */
		{ 0x1000, 0xfedfffff },
		{ 0xfef00000, 0xfffffffff },
		{ 0x1100000000, TOP - 0x1000 },
	};
	struct iommu_resv_region r[7] = { };
	LIST_HEAD(iovas);
	LIST_HEAD(resv);

	KUNIT_EXPECT_EQ(test, vfio_iova_add(&iovas, 0, TOP, NULL), 0);
	/* the MSI window, in the middle */
	vfio_test_resv(&resv, &r[0], 0xfee00000, 0x100000, IOMMU_RESV_MSI);
	/* the first and the last page */
	vfio_test_resv(&resv, &r[1], 0, 0x1000, IOMMU_RESV_RESERVED);
	vfio_test_resv(&resv, &r[2], TOP - 0xfff, 0x1000,
		       IOMMU_RESV_RESERVED);
	/* relaxable and empty regions do not count */
	vfio_test_resv(&resv, &r[3], 0x10000000, 0x1000,
		       IOMMU_RESV_DIRECT_RELAXABLE);
	vfio_test_resv(&resv, &r[4], 0x20000000, 0, IOMMU_RESV_DIRECT);
	/* a hole, then one that overlaps its end */
	vfio_test_resv(&resv, &r[5], 0x1000000000, 0x80000000,
		       IOMMU_RESV_DIRECT);
	vfio_test_resv(&resv, &r[6], 0x1040000000, 0xc0000000,
		       IOMMU_RESV_SW_MSI);

	KUNIT_EXPECT_EQ(test, vfio_iova_exclude(&iovas, &resv), 0);
	vfio_test_expect_iovas(test, &iovas, want, ARRAY_SIZE(want));

	/* a region that covers ranges whole removes them */
	INIT_LIST_HEAD(&resv);
	vfio_test_resv(&resv, &r[0], 0, 0x1000000000, IOMMU_RESV_RESERVED);
	KUNIT_EXPECT_EQ(test, vfio_iova_exclude(&iovas, &resv), 0);
	vfio_test_expect_iovas(test, &iovas, &want[2], 1);
	vfio_iova_free(&iovas);
	KUNIT_EXPECT_TRUE(test, list_empty(&iovas));
}

/* Mappings outside a new group's aperture or in its reserved regions */
static void vfio_type1_conflicts(struct kunit *test)
{
	struct vfio_iommu *iommu = vfio_test_iommu(test);
	struct iommu_resv_region r[2] = { };
	LIST_HEAD(resv);

	KUNIT_EXPECT_FALSE(test, vfio_aperture_conflict(iommu, 0, TOP));

	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, 0, PG), 0);
	KUNIT_EXPECT_FALSE(test, vfio_aperture_conflict(iommu, 0, TOP));
	KUNIT_EXPECT_FALSE(test, vfio_aperture_conflict(iommu, 0, PG - 1));
	KUNIT_EXPECT_TRUE(test, vfio_aperture_conflict(iommu, 1, TOP));
	KUNIT_EXPECT_TRUE(test, vfio_aperture_conflict(iommu, PG, TOP));

	KUNIT_EXPECT_EQ(test, vfio_test_map(iommu, TOP - PG + 1, PG), 0);
	KUNIT_EXPECT_FALSE(test, vfio_aperture_conflict(iommu, 0, TOP));
	KUNIT_EXPECT_TRUE(test, vfio_aperture_conflict(iommu, 0, TOP - 1));
	KUNIT_EXPECT_TRUE(test, vfio_aperture_conflict(iommu, 0, (u32)~0));

	vfio_test_resv(&resv, &r[0], PG, 0x1000000, IOMMU_RESV_MSI);
	KUNIT_EXPECT_FALSE(test, vfio_resv_conflict(iommu, &resv));
	vfio_test_resv(&resv, &r[1], TOP, 1, IOMMU_RESV_DIRECT_RELAXABLE);
	KUNIT_EXPECT_FALSE(test, vfio_resv_conflict(iommu, &resv));
	r[1].type = IOMMU_RESV_RESERVED;
	KUNIT_EXPECT_TRUE(test, vfio_resv_conflict(iommu, &resv));
}

/*
 * The pending-unmap runs: on the stack first, allocated once those fill,
 * full at VFIO_UNMAP_RUNS_MAX.  Nothing is unmapped or unpinned here.
 */
static void vfio_type1_unmap_batch(struct kunit *test)
{
	struct vfio_unmap_batch ub;
	unsigned long i;
	bool full = false;

	vfio_unmap_batch_init(&ub, false);
	KUNIT_EXPECT_PTR_EQ(test, ub.runs, &ub.small[0]);
	for (i = 0; i < VFIO_UNMAP_RUNS_SMALL - 1; i++)
		KUNIT_EXPECT_FALSE(test, vfio_unmap_batch_add(&ub, i, i + 1));
	KUNIT_EXPECT_PTR_EQ(test, ub.runs, &ub.small[0]);

	/* the stack's last run: a page is tried once */
	full = vfio_unmap_batch_add(&ub, i, i + 1);
	KUNIT_EXPECT_TRUE(test, ub.grown);
	KUNIT_EXPECT_EQ(test, full, ub.runs == &ub.small[0]);
	if (!full) {
		for (i++; i < VFIO_UNMAP_RUNS_MAX - 1; i++)
			KUNIT_EXPECT_FALSE(test,
					   vfio_unmap_batch_add(&ub, i, i + 1));
		KUNIT_EXPECT_TRUE(test, vfio_unmap_batch_add(&ub, i, i + 1));
		KUNIT_EXPECT_EQ(test, ub.nr, VFIO_UNMAP_RUNS_MAX);
	}
	for (i = 0; i < ub.nr; i++) {
		KUNIT_EXPECT_EQ(test, ub.runs[i].pfn, i);
		KUNIT_EXPECT_EQ(test, ub.runs[i].npage, i + 1);
	}

	/* flushed (nothing pending here), it fills at the same size again */
	ub.nr = 0;
	for (i = 0; i < ub.capacity - 1; i++)
		KUNIT_EXPECT_FALSE(test, vfio_unmap_batch_add(&ub, i, 1));
	KUNIT_EXPECT_TRUE(test, vfio_unmap_batch_add(&ub, i, 1));
	vfio_unmap_batch_fini(&ub);
}

static struct kunit_case vfio_type1_cases[] = {
	KUNIT_CASE(vfio_type1_range_last),
	KUNIT_CASE(vfio_type1_map_args),
	KUNIT_CASE(vfio_type1_map_edges),
	KUNIT_CASE(vfio_type1_map_overlap),
	KUNIT_CASE(vfio_type1_map_limit),
	KUNIT_CASE(vfio_type1_map_iova_ranges),
	KUNIT_CASE(vfio_type1_unmap_args),
	KUNIT_CASE(vfio_type1_unmap_v2),
	KUNIT_CASE(vfio_type1_unmap_v1),
	KUNIT_CASE(vfio_type1_unmap_all),
	KUNIT_CASE(vfio_type1_vaddr_update),
	KUNIT_CASE(vfio_type1_dirty_bitmap_size),
	KUNIT_CASE(vfio_type1_dirty_bitmap_fill),
	KUNIT_CASE(vfio_type1_dirty_unmap),
	KUNIT_CASE(vfio_type1_dirty_ranges),
	KUNIT_CASE(vfio_type1_iova_exclude),
	KUNIT_CASE(vfio_type1_conflicts),
	KUNIT_CASE(vfio_type1_unmap_batch),
	{}
};

static struct kunit_suite vfio_type1_suite = {
	.name = "vfio_type1",
	.suite_init = vfio_test_suite_init,
	.suite_exit = vfio_test_suite_exit,
	.init = vfio_test_init,
	.exit = vfio_test_exit,
	.test_cases = vfio_type1_cases,
};

kunit_test_suite(vfio_type1_suite);
